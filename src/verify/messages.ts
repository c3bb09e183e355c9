/**
 * Messages of the verifier's errors, in one place so tests import them instead of retyping them.
 * Each says what is wrong with which value, what was expected, and the fix.
 */
import { Dataplane } from '../model/cluster';

export const VerifyMessages = {
  fqdnNeedsDataplaneV2: (dataplane: Dataplane) =>
    `FQDNNetworkPolicy requires Dataplane V2, but the dataplane is "${dataplane}". Verify with dataplane "dataplane-v2", or remove the FQDNNetworkPolicy`,
  unknownDataplane: (dataplane: string) =>
    `unknown dataplane "${dataplane}". Use one of upstream, calico, dataplane-v2`,
  unknownPolicyKind: (kind: string) =>
    `unknown policy kind "${kind}". The verifier models NetworkPolicy, ClusterNetworkPolicy and FQDNNetworkPolicy only; remove or exclude the object`,
  cnpOverlap: (tier: string, priority: number, a: string, b: string, traffic: string) =>
    `ClusterNetworkPolicies ${a} and ${b} are both in the ${tier} tier at priority ${priority} and both match ${traffic}; `
    + 'their order is undefined (an implementation may apply either), so netproof cannot decide. Give one of them another priority',
  duplicateEndpoint: (id: string) =>
    `endpoint id "${id}" is used twice. Give every pod a unique namespace/name and every external a unique name that is not a pod id`,
  badPodIp: (ip: string, reason: string) =>
    `"${ip}" is not an IP address (${reason}). Give the pod IP as an IPv4 or IPv6 address, e.g. 10.8.0.10`,
  badNodeIp: (ip: string, reason: string) =>
    `"${ip}" is not an IP address (${reason}). Give the node's addresses as IPv4 or IPv6 addresses, e.g. 10.128.0.5`,
  badExternalIp: (ip: string, reason: string) =>
    `"${ip}" is not an IP address (${reason}). Give the external's IP as an IPv4 or IPv6 address, e.g. 203.0.113.9`,
  badCidr: (cidr: string, reason: string) =>
    `"${cidr}" is not a CIDR (${reason}). Write an address and a prefix length, e.g. "10.0.0.0/8"`,
  badPort: (port: unknown) =>
    `port must be a whole number between 1 and 65535, got ${String(port)}. Use a port such as 80`,
  badProtocol: (protocol: unknown) =>
    `protocol must be TCP, UDP or SCTP, got ${String(protocol)}. Use one of TCP, UDP, SCTP`,
  badNetwork: (network: unknown) =>
    `network must be a non-empty string, got ${String(network)}. Use a Pod-network name such as "default"`,
  unknownEndpoint: (id: string) =>
    `no pod (namespace/name) or external named "${id}". Use the id of a pod or external of the cluster model`,
  notOnNetwork: (id: string, network: string) =>
    `pod "${id}" is not attached to network "${network}". Ask about a network the pod is attached to`,
  externalToExternal: (from: string, to: string) =>
    `"${from}" to "${to}" is external to external, which the verifier does not model. Ask about a pair with at least one pod`,
  badIndex: (index: number, size: number) =>
    `endpoint index ${index} is out of range 0..${size - 1}. Use an index into the matrix's endpoints`,
} as const;
