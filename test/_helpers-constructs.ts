/** Shared helpers for the construct, emitter, value and example tests. */
import { App, Chart, Testing } from 'cdk8s';
import { ClusterPolicyChart, PolicyChart } from '../src';
import { ClusterProfile } from '../src/values/cluster-profile';

// CommonJS module of kubernetes-models v4: an independent schema for NetworkPolicy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NetworkPolicy } = require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy');

export const DPV2 = ClusterProfile.dataplaneV2({
  gkeVersion: '1.29.1-gke.1589000',
  podCidrs: ['10.8.0.0/14'],
  serviceCidrs: ['10.12.0.0/20'],
  nodeCidrs: ['10.128.0.0/20'],
  podNetworks: ['blue'],
  proxyOnlySubnet: '10.129.0.0/23',
  controlPlaneIp: '172.16.0.2',
});

/** A profile on which GKE has ClusterNetworkPolicy: Dataplane V2, GKE >= 1.36.0-gke.4447000. */
export const CNP_DPV2 = ClusterProfile.dataplaneV2({
  gkeVersion: '1.36.0-gke.4447000',
  podCidrs: ['10.8.0.0/14'],
  serviceCidrs: ['10.12.0.0/20'],
});

export function newClusterChart(profile: ClusterProfile = CNP_DPV2, app: App = Testing.app()): { app: App; chart: ClusterPolicyChart } {
  return { app, chart: new ClusterPolicyChart(app, 'cluster', { profile }) };
}

export function newChart(profile?: ClusterProfile, namespace = 'shop', app: App = Testing.app()): { app: App; chart: PolicyChart } {
  const chart = new PolicyChart(app, namespace, { namespace, profile });
  return { app, chart };
}

/** Every manifest of a chart, in emission order. */
export function manifests(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The one manifest with this kind and name; fails the test when missing. */
export function manifest(chart: Chart, name: string, kind = 'NetworkPolicy'): any {
  const found = manifests(chart).filter((m) => m.kind === kind && m.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/**
 * Independent checks of a NetworkPolicy manifest: the kubernetes-models v4 JSON schema, plus the API
 * server rules the schema does not express (port 1-65535, endPort >= port and only with a numeric port,
 * explicit namespace and policyTypes).
 */
export function validateNetworkPolicy(obj: any): void {
  new NetworkPolicy(obj).validate();
  const problems: string[] = [];
  if (!obj.metadata?.namespace) problems.push('metadata.namespace missing');
  if (!Array.isArray(obj.spec?.policyTypes) || obj.spec.policyTypes.length === 0) problems.push('policyTypes missing');
  for (const dir of ['ingress', 'egress']) {
    for (const rule of obj.spec?.[dir] ?? []) {
      for (const p of rule.ports ?? []) {
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) problems.push(`${dir} port ${p.port}`);
        if (p.endPort !== undefined && (typeof p.port !== 'number' || p.endPort < p.port || p.endPort > 65535)) problems.push(`${dir} endPort ${p.endPort}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`${obj.metadata?.name}: ${problems.join(', ')}`);
}

/** Validates every NetworkPolicy of a chart or app synth; returns how many were checked. */
export function validateAll(objs: any[]): number {
  const nps = objs.filter((o) => o.kind === 'NetworkPolicy');
  for (const np of nps) validateNetworkPolicy(np);
  return nps.length;
}

export { errorOf } from './_errors';
