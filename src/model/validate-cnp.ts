/**
 * ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`) validated over the model as its CRD
 * validates the object: the OpenAPI limits (priority 0..1000, at most 25 rules per direction and 25
 * peers, protocols, networks and domain names per rule, rule names of at most 100 characters, a port
 * range that is not empty) and the CEL rules (exactly one field per peer and per protocols entry,
 * ingress peers only namespaces and pods, domainNames only in Accept rules, no destinationNamedPort with
 * networks, nodes or domainNames peers). One home for the rules: the value classes check their part as
 * they are made, the constructs check the whole model before they register it.
 *
 * Each problem has a stable code, the field it is about (as in the manifest, under `spec` unless it is
 * `metadata.name`) and a reason that names the bad value; callers add where and the fix.
 */
import { parseCidr } from './cidr';
import {
  CNP_ACTIONS, CNP_TIERS, ClusterNetworkPolicyModel, CnpPeerModel, CnpPodsModel, CnpProtocolModel, CnpRuleModel, Direction,
} from './policy';
import { PROTOCOLS } from './port';
import { LabelSelectorModel } from './selector';
import { checkCnpDomainName, checkDns1123Subdomain, checkLabelKey, checkLabelValue, checkPortName, checkPortNumber } from './validate';

/** The CRD's limits. */
export const CNP_LIMITS = Object.freeze({
  rules: 25,
  peers: 25,
  protocols: 25,
  networks: 25,
  domainNames: 25,
  ruleName: 100,
  priority: 1000,
  /** The longest CIDR text the CRD admits. */
  cidr: 43,
});

export type CnpProblemCode =
  | 'name' | 'tier' | 'priority' | 'selector' | 'rules' | 'ruleName' | 'action' | 'peers' | 'peer' | 'ingressPeer'
  | 'networks' | 'cidr' | 'domainNames' | 'domainName' | 'domainAccept' | 'protocols' | 'protocol' | 'port' | 'range'
  | 'namedPort' | 'namedPortPeer';

export interface CnpProblem {
  readonly code: CnpProblemCode;
  /** The field, as in the manifest: `metadata.name`, or a path under `spec` such as `egress[1].to[0].networks[2]`. */
  readonly field: string;
  /** What is wrong, with the bad value; no fix. */
  readonly reason: string;
}

const NON_POD_PEERS: ReadonlySet<CnpPeerModel['kind']> = new Set(['networks', 'nodes', 'domainNames']);

/** Every problem of a whole ClusterNetworkPolicy, in field order (empty when the CRD admits it). */
export function cnpProblems(model: ClusterNetworkPolicyModel): CnpProblem[] {
  const out: CnpProblem[] = [];
  const name = checkDns1123Subdomain(model.name);
  if (name !== undefined) out.push({ code: 'name', field: 'metadata.name', reason: `policy name ${quote(model.name)} ${name}` });
  if (!(CNP_TIERS as readonly unknown[]).includes(model.tier)) out.push({ code: 'tier', field: 'tier', reason: `tier ${quote(model.tier)} is not Admin or Baseline` });
  const priority = cnpPriorityProblem(model.priority);
  if (priority !== undefined) out.push({ code: 'priority', field: 'priority', reason: priority });
  for (const p of cnpPodsProblems(model.subject, 'subject')) out.push(p);
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = model[direction];
    if (rules.length > CNP_LIMITS.rules) {
      out.push({ code: 'rules', field: direction, reason: `${rules.length} ${direction} rules; at most ${CNP_LIMITS.rules} are allowed` });
    }
    rules.forEach((r, i) => {
      for (const p of cnpRuleProblems(r, `${direction}[${i}]`, direction)) out.push(p);
    });
  }
  return out;
}

/** Priority: a whole number from 0 to 1000. */
export function cnpPriorityProblem(priority: number): string | undefined {
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > CNP_LIMITS.priority) {
    return `priority ${quote(priority)} is not a whole number from 0 to ${CNP_LIMITS.priority}`;
  }
  return undefined;
}

/**
 * One rule at `field` (`ingress[0]`). Without a direction, the checks that do not depend on it (a rule
 * value before it is placed); with one, also which peers that direction admits.
 */
export function cnpRuleProblems(rule: CnpRuleModel, field: string, direction?: Direction): CnpProblem[] {
  const out: CnpProblem[] = [];
  if (typeof rule.name !== 'string' || rule.name.length > CNP_LIMITS.ruleName) {
    out.push({ code: 'ruleName', field: `${field}.name`, reason: `rule name of ${String(rule.name).length} characters; at most ${CNP_LIMITS.ruleName} are allowed` });
  }
  if (!(CNP_ACTIONS as readonly unknown[]).includes(rule.action)) {
    out.push({ code: 'action', field: `${field}.action`, reason: `action ${quote(rule.action)} is not Accept, Deny or Pass` });
  }
  const peersKey = direction === 'egress' ? 'to' : direction === 'ingress' ? 'from' : 'peers';
  if (rule.peers.length === 0 || rule.peers.length > CNP_LIMITS.peers) {
    out.push({ code: 'peers', field: `${field}.${peersKey}`, reason: `a rule has ${rule.peers.length} peers; it needs 1 to ${CNP_LIMITS.peers}` });
  }
  rule.peers.forEach((p, i) => {
    const at = `${field}.${peersKey}[${i}]`;
    if (direction === 'ingress' && p.kind !== 'pods' && p.kind !== 'unknown') {
      out.push({ code: 'ingressPeer', field: at, reason: `a ${p.kind} peer in an ingress rule; ingress peers are namespaces and pods only` });
    }
    if (p.kind === 'domainNames' && rule.action !== 'Accept') {
      out.push({ code: 'domainAccept', field: at, reason: `a domainNames peer in a ${rule.action} rule; domainNames work only in Accept rules` });
    }
    for (const problem of cnpPeerProblems(p, at)) out.push(problem);
  });
  if (rule.protocols !== 'all') {
    if (rule.protocols.length === 0 || rule.protocols.length > CNP_LIMITS.protocols) {
      out.push({ code: 'protocols', field: `${field}.protocols`, reason: `${rule.protocols.length} protocols entries; a rule has 1 to ${CNP_LIMITS.protocols}, or none for every port` });
    }
    rule.protocols.forEach((p, i) => {
      for (const problem of cnpProtocolProblems(p, `${field}.protocols[${i}]`)) out.push(problem);
    });
    if (rule.protocols.some((p) => 'namedPort' in p) && rule.peers.some((p) => NON_POD_PEERS.has(p.kind))) {
      out.push({ code: 'namedPortPeer', field: `${field}.protocols`, reason: 'a destinationNamedPort in a rule with networks, nodes or domainNames peers, which have no named ports' });
    }
  }
  return out;
}

/** One peer's own content at `field` (which direction and action admit it is the rule's check). */
export function cnpPeerProblems(peer: CnpPeerModel, field: string): CnpProblem[] {
  switch (peer.kind) {
    case 'pods': return cnpPodsProblems(peer, field);
    case 'nodes': return selectorProblems(peer.selector, `${field}.nodes`);
    case 'unknown': return [{ code: 'peer', field, reason: `a peer with none of namespaces, pods, networks, nodes, domainNames${peer.fields.length ? ` (it has ${peer.fields.join(', ')})` : ''}` }];
    case 'networks': {
      const out: CnpProblem[] = [];
      if (peer.cidrs.length === 0 || peer.cidrs.length > CNP_LIMITS.networks) {
        out.push({ code: 'networks', field: `${field}.networks`, reason: `${peer.cidrs.length} CIDRs in a networks peer; it has 1 to ${CNP_LIMITS.networks}` });
      }
      peer.cidrs.forEach((c, i) => {
        const parsed = parseCidr(c);
        if (!parsed.ok) out.push({ code: 'cidr', field: `${field}.networks[${i}]`, reason: `invalid CIDR ${quote(c)}: ${parsed.reason}` });
        else if (c.length > CNP_LIMITS.cidr) out.push({ code: 'cidr', field: `${field}.networks[${i}]`, reason: `CIDR ${quote(c)} is longer than ${CNP_LIMITS.cidr} characters` });
      });
      return out;
    }
    case 'domainNames': {
      const out: CnpProblem[] = [];
      if (peer.names.length === 0 || peer.names.length > CNP_LIMITS.domainNames) {
        out.push({ code: 'domainNames', field: `${field}.domainNames`, reason: `${peer.names.length} names in a domainNames peer; it has 1 to ${CNP_LIMITS.domainNames}` });
      }
      peer.names.forEach((n, i) => {
        const bad = checkCnpDomainName(n);
        if (bad !== undefined) out.push({ code: 'domainName', field: `${field}.domainNames[${i}]`, reason: `domain name ${quote(n)} ${bad}` });
      });
      return out;
    }
  }
}

/** One protocols entry at `field`: a protocol with a port or a range (start below end), or a port name. */
export function cnpProtocolProblems(p: CnpProtocolModel, field: string): CnpProblem[] {
  if ('namedPort' in p) {
    const bad = checkPortName(p.namedPort);
    return bad === undefined ? [] : [{ code: 'namedPort', field: `${field}.destinationNamedPort`, reason: `port name ${quote(p.namedPort)}: ${bad}` }];
  }
  if (!(PROTOCOLS as readonly unknown[]).includes(p.protocol)) {
    return [{ code: 'protocol', field, reason: `protocol ${quote(p.protocol)} is not TCP, UDP or SCTP` }];
  }
  const at = `${field}.${String(p.protocol).toLowerCase()}.destinationPort`;
  if (p.port === undefined) return [{ code: 'port', field: at, reason: `a ${p.protocol} entry without a port` }];
  const bad = checkPortNumber(p.port);
  if (bad !== undefined) return [{ code: p.endPort === undefined ? 'port' : 'range', field: at, reason: bad }];
  if (p.endPort !== undefined) {
    const badEnd = checkPortNumber(p.endPort);
    if (badEnd !== undefined) return [{ code: 'range', field: `${at}.range.end`, reason: badEnd.replace(/^port/, 'end port') }];
    // endPort === port is the one port (rendered as a number); below it, the range is empty.
    if (p.endPort < p.port) return [{ code: 'range', field: `${at}.range`, reason: `range start ${p.port} is greater than end ${p.endPort}` }];
  }
  return [];
}

/** A subject or a pods peer: both selectors well-formed. */
function cnpPodsProblems(p: CnpPodsModel, field: string): CnpProblem[] {
  if (p.pods === undefined) return selectorProblems(p.namespaces, `${field}.namespaces`);
  return [...selectorProblems(p.namespaces, `${field}.pods.namespaceSelector`), ...selectorProblems(p.pods, `${field}.pods.podSelector`)];
}

/** A label selector as the API server admits it: label keys and values, operators, values for In and NotIn only. */
function selectorProblems(s: LabelSelectorModel, field: string): CnpProblem[] {
  const out: CnpProblem[] = [];
  for (const [k, v] of Object.entries(s.matchLabels)) {
    const bad = checkLabelKey(k) ?? checkLabelValue(v);
    if (bad !== undefined) out.push({ code: 'selector', field: `${field}.matchLabels`, reason: `label ${quote(k)}: ${quote(v)}: ${bad}` });
  }
  s.matchExpressions.forEach((e, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const bad = checkLabelKey(e.key) ?? e.values.map(checkLabelValue).find((r) => r !== undefined);
    if (bad !== undefined) out.push({ code: 'selector', field: at, reason: `key ${quote(e.key)}: ${bad}` });
    const takesValues = e.operator === 'In' || e.operator === 'NotIn';
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) out.push({ code: 'selector', field: at, reason: `operator ${quote(e.operator)} is not In, NotIn, Exists or DoesNotExist` });
    else if (takesValues !== e.values.length > 0) out.push({ code: 'selector', field: at, reason: `operator ${e.operator} with ${e.values.length} values` });
  });
  return out;
}

function quote(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
