import { Construct } from 'constructs';
import { BaselineMessages, NetproofError } from '../errors';
import { PolicyConstructBase } from './_base';
import { policyChartsOf } from './_policy-chart-base';
import { AllowDns } from './allow-dns';
import { AllowFrom } from './allow-from';
import { AllowMetadataServer } from './allow-metadata-server';
import { DefaultDeny } from './default-deny';
import { PolicyChart } from './policy-chart';
import { checkDns1123Label } from '../model/validate';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { IPodSelector } from '../values/selector';

export interface NamespaceBaselineProps {
  /**
   * The namespaces, by name; each must have a PolicyChart in the app, which gets the policies.
   * @default - none: only `charts`
   */
  readonly namespaces?: string[];
  /**
   * The PolicyCharts that get the policies (one per namespace).
   * @default - none: only `namespaces`
   */
  readonly charts?: PolicyChart[];
  /**
   * Allow DNS to kube-dns (`k8s-app=kube-dns` in `kube-system`, UDP and TCP 53), as AllowDns does.
   * @default true
   */
  readonly kubeDns?: boolean;
  /**
   * Also allow NodeLocal DNSCache (169.254.20.10/32, UDP and TCP 53), as AllowDns does.
   * @default false
   */
  readonly nodeLocalDnsCache?: boolean;
  /**
   * Also allow Cloud DNS for GKE (169.254.169.254/32, UDP and TCP 53), as AllowDns does.
   * @default false
   */
  readonly cloudDns?: boolean;
  /**
   * The namespace of the metrics scraper (e.g. `monitoring`): adds `allow-metrics-scraping`, ingress from
   * its pods on `metricsPorts`. The scraper's own egress belongs to its namespace's policies.
   * @default - no metrics scraping ingress
   */
  readonly metricsNamespace?: string;
  /**
   * The scraper pods within `metricsNamespace` (e.g. `Selector.labels({ app: 'prometheus' })`).
   * @default - every pod of `metricsNamespace`
   */
  readonly metricsPods?: IPodSelector;
  /**
   * The ports scraped (required with `metricsNamespace`), e.g. `[Port.named('metrics')]`.
   * @default - none
   */
  readonly metricsPorts?: Port[];
  /**
   * Add `allow-metadata-server`: egress to the GKE metadata server (Workload Identity), from the profile
   * of each chart, as AllowMetadataServer does.
   * @default false
   */
  readonly metadataServer?: boolean;
}

/** The policy names the baseline gives each namespace. */
export const BASELINE_POLICY_NAMES = Object.freeze({
  defaultDeny: 'default-deny',
  dns: 'allow-dns',
  metrics: 'allow-metrics-scraping',
  metadataServer: 'allow-metadata-server',
});

/**
 * One baseline for many namespaces: in each namespace's PolicyChart a `default-deny` (ingress and
 * egress), `allow-dns`, and optionally `allow-metrics-scraping` (ingress from the monitoring namespace)
 * and `allow-metadata-server` (Workload Identity). It emits nothing itself; the policies live in the charts.
 */
export class NamespaceBaseline extends Construct {
  /** The namespaces, in the order given. */
  public readonly namespaces: readonly string[];
  private readonly byNamespace = new Map<string, readonly PolicyConstructBase[]>();

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    const where = `NamespaceBaseline ${this.node.path}`;
    const charts = baselineCharts(this, props, where);
    const metrics = metricsOf(props, where);
    for (const chart of charts) {
      for (const name of Object.values(BASELINE_POLICY_NAMES)) {
        if (chart.node.tryFindChild(name) !== undefined) throw new NetproofError(where, BaselineMessages.taken(chart.node.path, name));
      }
    }
    const dns = { kubeDns: props.kubeDns, nodeLocalDnsCache: props.nodeLocalDnsCache, cloudDns: props.cloudDns };
    for (const chart of charts) {
      const policies: PolicyConstructBase[] = [
        new DefaultDeny(chart, BASELINE_POLICY_NAMES.defaultDeny),
        new AllowDns(chart, BASELINE_POLICY_NAMES.dns, dns),
      ];
      if (metrics) policies.push(new AllowFrom(chart, BASELINE_POLICY_NAMES.metrics, { from: [metrics.peer], ports: metrics.ports }));
      if (props.metadataServer) policies.push(new AllowMetadataServer(chart, BASELINE_POLICY_NAMES.metadataServer));
      this.byNamespace.set(chart.namespace, Object.freeze(policies));
    }
    this.namespaces = Object.freeze(charts.map((c) => c.namespace));
  }

  /** The policies of the baseline in `namespace`, in the order above; empty for a namespace it does not cover. */
  public policiesOf(namespace: string): readonly PolicyConstructBase[] {
    return this.byNamespace.get(namespace) ?? [];
  }
}

function baselineCharts(scope: Construct, props: NamespaceBaselineProps, where: string): PolicyChart[] {
  const charts: PolicyChart[] = [];
  (props.charts ?? []).forEach((c, i) => {
    if (!PolicyChart.isPolicyChart(c)) throw new NetproofError(where, BaselineMessages.notAChart(String(c)), `charts[${i}]`);
    if (c.node.root !== scope.node.root) throw new NetproofError(where, BaselineMessages.otherApp(c.node.path), `charts[${i}]`);
    charts.push(c);
  });
  const all = policyChartsOf(scope).filter((c): c is PolicyChart => PolicyChart.isPolicyChart(c));
  (props.namespaces ?? []).forEach((ns, i) => {
    const bad = checkDns1123Label(String(ns));
    if (bad !== undefined) throw new NetproofError(where, BaselineMessages.badNamespace(String(ns), bad), `namespaces[${i}]`);
    const chart = all.find((c) => c.namespace === ns);
    if (chart === undefined) throw new NetproofError(where, BaselineMessages.noChart(ns), `namespaces[${i}]`);
    charts.push(chart);
  });
  if (charts.length === 0) throw new NetproofError(where, BaselineMessages.nothing);
  const seen = new Set<string>();
  for (const c of charts) {
    if (seen.has(c.namespace)) throw new NetproofError(where, BaselineMessages.twice(c.namespace));
    seen.add(c.namespace);
  }
  return charts;
}

function metricsOf(props: NamespaceBaselineProps, where: string): { peer: Peer; ports: Port[] } | undefined {
  if (props.metricsNamespace === undefined) {
    if (props.metricsPods !== undefined || props.metricsPorts !== undefined) throw new NetproofError(where, BaselineMessages.metricsWithoutNamespace);
    return undefined;
  }
  const bad = checkDns1123Label(String(props.metricsNamespace));
  if (bad !== undefined) throw new NetproofError(where, BaselineMessages.badNamespace(String(props.metricsNamespace), bad), 'metricsNamespace');
  if (props.metricsPorts === undefined || props.metricsPorts.length === 0) throw new NetproofError(where, BaselineMessages.metricsPorts, 'metricsPorts');
  return { peer: Peer.namespace(props.metricsNamespace, props.metricsPods), ports: props.metricsPorts };
}
