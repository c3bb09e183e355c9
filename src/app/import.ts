/**
 * `netproof import`: existing policies as a netproof app. Each NetworkPolicy becomes the constructs that say
 * the same thing (DefaultDeny for isolation without rules, AllowFrom / AllowTo per rule), written with the
 * value factories (Selector, LabelExpression, Peer, Port); what they cannot express (a GKE Pod-network
 * annotation, FQDN policies, ClusterNetworkPolicies, names the split would not keep) stays the object as it
 * is, in an ApiObject. The plan is a small tree of calls that is both printed as TypeScript and run against
 * the real constructs, so the text and the app that is checked are one thing.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
// Loading the app layer registers the synth-time checks the charts ask for (as the package root does).
import './index';
import { AllowFrom } from '../constructs/allow-from';
import { AllowTo } from '../constructs/allow-to';
import { DefaultDeny } from '../constructs/default-deny';
import { PolicyChart } from '../constructs/policy-chart';
import { renderPolicy } from '../emit/render';
import { NAMESPACE_NAME_LABEL, NetworkPolicyModel, PeerModel, PolicyModel, policyId, RuleModel } from '../model/policy';
import { PortModel } from '../model/port';
import { compareStrings, isSelectAll, LabelSelectorModel } from '../model/selector';
import { checkDns1123Subdomain } from '../model/validate';
import { ClusterProfile } from '../values/cluster-profile';
import { Peer } from '../values/peer';
import { Port } from '../values/port';
import { LabelExpression, Selector } from '../values/selector';

/** An expression of the generated program: a literal, a list, an object, or a call of a value factory. */
export type Expr =
  | { readonly k: 'value'; readonly v: string | number | boolean }
  | { readonly k: 'list'; readonly items: readonly Expr[] }
  | { readonly k: 'object'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly k: 'call'; readonly fn: FactoryName; readonly args: readonly Expr[] }
  | { readonly k: 'method'; readonly target: Expr; readonly name: 'withExpressions'; readonly args: readonly Expr[] }
  /** A JSON value written as it is (the manifest of a raw object). */
  | { readonly k: 'json'; readonly v: unknown };

/** The value factories a generated program calls, and what each is. */
const FACTORIES = {
  'Selector.all': () => Selector.all(),
  'Selector.labels': (labels: Record<string, string>) => Selector.labels(labels),
  'Selector.expressions': (...e: LabelExpression[]) => Selector.expressions.apply(undefined, e),
  'LabelExpression.in': (key: string, values: string[]) => LabelExpression.in(key, values),
  'LabelExpression.notIn': (key: string, values: string[]) => LabelExpression.notIn(key, values),
  'LabelExpression.exists': (key: string) => LabelExpression.exists(key),
  'LabelExpression.doesNotExist': (key: string) => LabelExpression.doesNotExist(key),
  'Peer.anyone': () => Peer.anyone(),
  'Peer.pods': (pods: Selector) => Peer.pods(pods),
  'Peer.namespace': (name: string, pods?: Selector) => Peer.namespace(name, pods),
  'Peer.namespaces': (selector: Selector, pods?: Selector) => Peer.namespaces(selector, pods),
  'Peer.cidr': (cidr: string, options?: { except?: string[] }) => Peer.cidr(cidr, options),
  'Port.tcp': (n: number) => Port.tcp(n),
  'Port.udp': (n: number) => Port.udp(n),
  'Port.sctp': (n: number) => Port.sctp(n),
  'Port.tcpRange': (a: number, b: number) => Port.tcpRange(a, b),
  'Port.udpRange': (a: number, b: number) => Port.udpRange(a, b),
  'Port.sctpRange': (a: number, b: number) => Port.sctpRange(a, b),
  'Port.named': (name: string, protocol?: 'TCP' | 'UDP' | 'SCTP') => Port.named(name, protocol),
  'Port.allTcp': () => Port.allTcp(),
  'Port.allUdp': () => Port.allUdp(),
  'Port.allSctp': () => Port.allSctp(),
} as const;
export type FactoryName = keyof typeof FACTORIES;

/** One construct of the program: `new <kind>(<chart>, '<id>', <props>)`. */
export interface PlannedConstruct {
  readonly kind: 'DefaultDeny' | 'AllowFrom' | 'AllowTo' | 'ApiObject';
  readonly id: string;
  readonly props: Expr;
  /** The input policy it comes from (`namespace/name`, or `cnp/name`). */
  readonly from: string;
}

/** A chart of the program: a PolicyChart per namespace, and one plain Chart for cluster-scoped objects. */
export interface PlannedChart {
  /** The namespace, or undefined for the cluster-scoped chart. */
  readonly namespace?: string;
  readonly variable: string;
  /**
   * The chart's profile when the policies need GKE Dataplane V2 (FQDN policies, Pod-network annotations):
   * the Pod-networks to declare. Undefined: the upstream profile.
   */
  readonly dataplaneV2?: { readonly podNetworks: readonly string[] };
  readonly constructs: readonly PlannedConstruct[];
}

export interface ImportPlan {
  readonly charts: readonly PlannedChart[];
  /** The ids (`namespace/name`, `cnp/name`) of the policies the program makes, sorted. */
  readonly ids: readonly string[];
  /** Policies kept as raw objects, with the reason: `shop/x: a GKE Pod-network annotation`. */
  readonly raw: readonly string[];
}

/** The id of the chart of cluster-scoped objects. */
export const CLUSTER_CHART_ID = 'cluster';

/** Plans the program for a policy set (policies in input order; charts and constructs in name order). */
export function planImport(policies: readonly PolicyModel[]): ImportPlan {
  const byNamespace = new Map<string, PolicyModel[]>();
  const cluster: PolicyModel[] = [];
  for (const p of policies) {
    if (p.kind === 'ClusterNetworkPolicy') { cluster.push(p); continue; }
    const list = byNamespace.get(p.namespace);
    if (list === undefined) byNamespace.set(p.namespace, [p]); else list.push(p);
  }
  const raw: string[] = [];
  const variables = new Set<string>();
  const charts: PlannedChart[] = [];
  for (const namespace of [...byNamespace.keys()].sort(compareStrings)) {
    const list = byNamespace.get(namespace)!.slice().sort((a, b) => compareStrings(a.name, b.name));
    const taken = new Set(list.map((p) => p.name));
    const constructs: PlannedConstruct[] = [];
    for (const p of list) {
      const planned = p.kind === 'NetworkPolicy' ? planNetworkPolicy(p, taken) : { reason: 'an FQDNNetworkPolicy' };
      if ('reason' in planned) {
        raw.push(`${policyId(p)}: ${planned.reason}`);
        constructs.push(rawObject(p));
      } else {
        for (const c of planned.constructs) constructs.push(c);
      }
    }
    // FQDN policies and Pod-network annotations exist only on GKE Dataplane V2: the chart says so.
    const networks = [...new Set(list.flatMap((p) => (p.kind === 'NetworkPolicy' && p.network !== undefined ? [p.network] : [])))].sort(compareStrings);
    const dpv2 = networks.length > 0 || list.some((p) => p.kind === 'FQDNNetworkPolicy');
    charts.push({ namespace, variable: variableName(namespace, variables), constructs, ...(dpv2 ? { dataplaneV2: { podNetworks: networks } } : {}) });
  }
  if (cluster.length > 0) {
    const list = cluster.slice().sort((a, b) => compareStrings(a.name, b.name));
    for (const p of list) raw.push(`${policyId(p)}: a ClusterNetworkPolicy`);
    charts.push({ variable: variableName(CLUSTER_CHART_ID, variables), constructs: list.map(rawObject) });
  }
  const ids = charts.flatMap((c) => c.constructs.map((x) => (c.namespace === undefined ? `cnp/${x.id}` : `${c.namespace}/${x.id}`))).sort(compareStrings);
  return { charts, raw, ids };
}

/**
 * The constructs of one NetworkPolicy: one per rule of an isolated direction (AllowFrom, AllowTo), and a
 * DefaultDeny for an isolated direction without rules; one construct keeps the policy's name, several take
 * `<name>-from-<i>`, `<name>-to-<i>` and `<name>-deny-<direction>`. A reason instead when they cannot say it.
 */
function planNetworkPolicy(p: NetworkPolicyModel, taken: Set<string>): { readonly constructs: PlannedConstruct[] } | { readonly reason: string } {
  if (p.network !== undefined) return { reason: `a GKE Pod-network annotation (${p.network})` };
  const isolates = { ingress: p.policyTypes.includes('Ingress'), egress: p.policyTypes.includes('Egress') };
  const pods = isSelectAll(p.podSelector) ? undefined : selectorExpr(p.podSelector);
  const parts: { kind: PlannedConstruct['kind']; suffix: string; props: [string, Expr][] }[] = [];
  const withPods = (rest: [string, Expr][]): [string, Expr][] => (pods === undefined ? rest : [['pods', pods], ...rest]);
  const bare = (isolates.ingress ? p.ingress.length === 0 : true) && (isolates.egress ? p.egress.length === 0 : true);
  if (bare) {
    const props: [string, Expr][] = [];
    if (!isolates.ingress) props.push(['ingress', value(false)]);
    if (!isolates.egress) props.push(['egress', value(false)]);
    parts.push({ kind: 'DefaultDeny', suffix: '', props: withPods(props) });
  } else {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!isolates[direction]) continue;
      const rules = p[direction];
      if (rules.length === 0) {
        parts.push({ kind: 'DefaultDeny', suffix: `deny-${direction}`, props: withPods([[direction === 'ingress' ? 'egress' : 'ingress', value(false)]]) });
        continue;
      }
      rules.forEach((r, i) => parts.push({
        kind: direction === 'ingress' ? 'AllowFrom' : 'AllowTo',
        suffix: `${direction === 'ingress' ? 'from' : 'to'}-${i}`,
        props: withPods(ruleProps(r, direction === 'ingress' ? 'from' : 'to')),
      }));
    }
  }
  const names = parts.length === 1 ? [p.name] : parts.map((part) => `${p.name}-${part.suffix}`);
  if (parts.length > 1) {
    const clash = names.find((name) => taken.has(name) || checkDns1123Subdomain(name) !== undefined);
    if (clash !== undefined) return { reason: `its parts would need the name ${clash}, which another policy has or which is too long` };
    for (const name of names) taken.add(name);
  }
  return {
    constructs: parts.map((part, i) => ({
      kind: part.kind,
      id: names[i],
      // The construct id is the policy's name (a DNS name is its own kebab case, so no policyName is needed).
      props: { k: 'object', entries: part.props },
      from: policyId(p),
    })),
  };
}

function ruleProps(r: RuleModel, key: 'from' | 'to'): [string, Expr][] {
  const peers: Expr = { k: 'list', items: r.peers === 'all' ? [call('Peer.anyone')] : r.peers.map(peerExpr) };
  const props: [string, Expr][] = [[key, peers]];
  if (r.ports !== 'all') props.push(['ports', { k: 'list', items: r.ports.map(portExpr) }]);
  return props;
}

function peerExpr(peer: PeerModel): Expr {
  if (peer.kind === 'ipBlock') {
    return peer.except.length === 0
      ? call('Peer.cidr', [value(peer.cidr)])
      : call('Peer.cidr', [value(peer.cidr), { k: 'object', entries: [['except', { k: 'list', items: peer.except.map(value) }]] }]);
  }
  const pods = isSelectAll(peer.pods) ? [] : [selectorExpr(peer.pods)];
  if (peer.namespaces.kind === 'own') return call('Peer.pods', [pods[0] ?? call('Selector.all')]);
  const ns = peer.namespaces.selector;
  const names = Object.keys(ns.matchLabels);
  if (ns.matchExpressions.length === 0 && names.length === 1 && names[0] === NAMESPACE_NAME_LABEL) {
    return call('Peer.namespace', [value(ns.matchLabels[NAMESPACE_NAME_LABEL]), ...pods]);
  }
  return call('Peer.namespaces', [selectorExpr(ns), ...pods]);
}

function portExpr(port: PortModel): Expr {
  const lower = port.protocol.toLowerCase();
  const title = `${port.protocol[0]}${lower.slice(1)}`;
  if (port.port === undefined) return call(`Port.all${title}` as FactoryName);
  if (typeof port.port === 'string') return port.protocol === 'TCP' ? call('Port.named', [value(port.port)]) : call('Port.named', [value(port.port), value(port.protocol)]);
  if (port.endPort !== undefined) return call(`Port.${lower}Range` as FactoryName, [value(port.port), value(port.endPort)]);
  return call(`Port.${lower}` as FactoryName, [value(port.port)]);
}

function selectorExpr(s: LabelSelectorModel): Expr {
  const expressions = s.matchExpressions.map((e): Expr => {
    switch (e.operator) {
      case 'In': return call('LabelExpression.in', [value(e.key), { k: 'list', items: e.values.map(value) }]);
      case 'NotIn': return call('LabelExpression.notIn', [value(e.key), { k: 'list', items: e.values.map(value) }]);
      case 'Exists': return call('LabelExpression.exists', [value(e.key)]);
      default: return call('LabelExpression.doesNotExist', [value(e.key)]);
    }
  });
  const labels = Object.keys(s.matchLabels);
  if (labels.length === 0) return expressions.length === 0 ? call('Selector.all') : call('Selector.expressions', expressions);
  const base = call('Selector.labels', [{ k: 'object', entries: labels.map((k) => [k, value(s.matchLabels[k])] as const) }]);
  return expressions.length === 0 ? base : { k: 'method', target: base, name: 'withExpressions', args: expressions };
}

function rawObject(p: PolicyModel): PlannedConstruct {
  return { kind: 'ApiObject', id: p.name, props: { k: 'json', v: renderPolicy(p) }, from: policyId(p) };
}

const call = (fn: FactoryName, args: readonly Expr[] = []): Expr => ({ k: 'call', fn, args });
const value = (v: string | number | boolean): Expr => ({ k: 'value', v });

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private '
  + 'protected public await app').split(' '));

/** A variable for a chart: the namespace in camelCase (`kube-system` → `kubeSystem`), never a reserved word, unique. */
function variableName(namespace: string, used: Set<string>): string {
  let v = namespace.replace(/[-.]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^[0-9]/.test(v)) v = `ns${v}`;
  if (RESERVED.has(v)) v = `${v}Ns`;
  let out = v;
  for (let i = 2; used.has(out); i++) out = `${v}${i}`;
  used.add(out);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The program as TypeScript

/** The program: a cdk8s App for a repository made by `netproof init` (`main.ts`). */
export function renderImport(plan: ImportPlan, inputs: readonly string[]): string {
  const used = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.k === 'call') { used.add(e.fn.split('.')[0]); e.args.forEach(walk); }
    if (e.k === 'method') { walk(e.target); e.args.forEach(walk); }
    if (e.k === 'list') e.items.forEach(walk);
    if (e.k === 'object') e.entries.forEach(([, x]) => walk(x));
  };
  for (const chart of plan.charts) for (const c of chart.constructs) { walk(c.props); if (c.kind !== 'ApiObject') used.add(c.kind); }
  const fromCdk8s = ['App', ...(plan.charts.some((c) => c.namespace === undefined) ? ['Chart'] : []),
    ...(plan.charts.some((c) => c.constructs.some((x) => x.kind === 'ApiObject')) ? ['ApiObject'] : [])].sort(compareStrings);
  if (plan.charts.some((c) => c.dataplaneV2 !== undefined)) used.add('ClusterProfile');
  const fromNetproof = [...used, 'PolicyChart'].filter((n) => n !== 'ApiObject').sort(compareStrings);
  const lines = [
    '/**',
    ` * Imported by \`netproof import\` from ${inputs.join(', ')}: a PolicyChart per namespace, made of`,
    ' * netproof constructs that allow exactly what the input allows (netproof import proved it). State what',
    ' * the policies must mean with chart.expect(...), then run `npx netproof synth`.',
    ' */',
    `import { ${[...new Set(fromCdk8s)].join(', ')} } from 'cdk8s';`,
    `import { ${[...new Set(fromNetproof)].join(', ')} } from 'netproof';`,
    '',
    'const app = new App(); // writes to $CDK8S_OUTDIR, which netproof synth sets',
  ];
  for (const chart of plan.charts) {
    lines.push('');
    if (chart.namespace === undefined) {
      lines.push('// Cluster-scoped policies, as they were written.');
      lines.push(`const ${chart.variable} = new Chart(app, ${quote(CLUSTER_CHART_ID)});`);
    } else {
      const profile = chart.dataplaneV2 === undefined ? ''
        : `, profile: ClusterProfile.dataplaneV2(${chart.dataplaneV2.podNetworks.length === 0 ? '' : `{ podNetworks: [${chart.dataplaneV2.podNetworks.map(quote).join(', ')}] }`})`;
      if (chart.dataplaneV2 !== undefined) lines.push('// FQDN policies and Pod-networks need GKE Dataplane V2; give the profile your GKE version and cluster ranges.');
      lines.push(`const ${chart.variable} = new PolicyChart(app, ${quote(chart.namespace)}, { namespace: ${quote(chart.namespace)}${profile} });`);
    }
    let last = '';
    for (const c of chart.constructs) {
      if (c.from !== last && c.kind === 'ApiObject' && chart.namespace !== undefined) lines.push(`// ${c.from}: kept as written (see the note of netproof import).`);
      last = c.from;
      lines.push(`new ${c.kind}(${chart.variable}, ${quote(c.id)}, ${exprText(c.props, 0)});`);
    }
  }
  lines.push('', 'app.synth();', '');
  return lines.join('\n');
}

const INDENT = '  ';

/** Lines a generated statement may take before its objects and lists break, one entry per line. */
const WIDTH = 110;

function exprText(e: Expr, depth: number): string {
  const one = oneLine(e);
  if (one.length + INDENT.length * depth <= WIDTH || (e.k !== 'object' && e.k !== 'list')) return e.k === 'json' ? jsonText(e.v, depth) : one;
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (e.k === 'list') return `[\n${e.items.map((x) => `${pad}${exprText(x, depth + 1)},`).join('\n')}\n${close}]`;
  return `{\n${e.entries.map(([k, v]) => `${pad}${propertyName(k)}: ${exprText(v, depth + 1)},`).join('\n')}\n${close}}`;
}

function oneLine(e: Expr): string {
  switch (e.k) {
    case 'value': return typeof e.v === 'string' ? quote(e.v) : String(e.v);
    case 'list': return `[${e.items.map(oneLine).join(', ')}]`;
    case 'object': return e.entries.length === 0 ? '{}' : `{ ${e.entries.map(([k, v]) => `${propertyName(k)}: ${oneLine(v)}`).join(', ')} }`;
    case 'call': return `${e.fn}(${e.args.map(oneLine).join(', ')})`;
    case 'method': return `${oneLine(e.target)}.${e.name}(${e.args.map(oneLine).join(', ')})`;
    case 'json': return jsonText(e.v, 0);
  }
}

/** A JSON value as a TypeScript literal, a key per line. */
function jsonText(v: unknown, depth: number): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? quote(v) : String(v);
  const pad = INDENT.repeat(depth + 1);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${pad}${jsonText(x, depth + 1)},`).join('\n')}\n${INDENT.repeat(depth)}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, x]) => `${pad}${propertyName(k)}: ${jsonText(x, depth + 1)},`).join('\n')}\n${INDENT.repeat(depth)}}`;
}

function propertyName(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k);
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

// ---------------------------------------------------------------------------------------------------
// The program run against the real constructs

/** Runs the plan: the App the printed program makes (not synthesized). */
export function buildImport(plan: ImportPlan): App {
  const app = new App();
  for (const chart of plan.charts) {
    const scope: Construct = chart.namespace === undefined
      ? new Chart(app, CLUSTER_CHART_ID)
      : new PolicyChart(app, chart.namespace, {
        namespace: chart.namespace,
        ...(chart.dataplaneV2 ? { profile: ClusterProfile.dataplaneV2({ podNetworks: [...chart.dataplaneV2.podNetworks] }) } : {}),
      });
    for (const c of chart.constructs) {
      const props = evaluate(c.props) as any;
      switch (c.kind) {
        case 'DefaultDeny': new DefaultDeny(scope, c.id, props); break;
        case 'AllowFrom': new AllowFrom(scope, c.id, props); break;
        case 'AllowTo': new AllowTo(scope, c.id, props); break;
        case 'ApiObject': new ApiObject(scope, c.id, props); break;
      }
    }
  }
  return app;
}

function evaluate(e: Expr): unknown {
  switch (e.k) {
    case 'value': return e.v;
    case 'json': return e.v;
    case 'list': return e.items.map(evaluate);
    case 'object': return Object.fromEntries(e.entries.map(([k, v]) => [k, evaluate(v)]));
    case 'call': return (FACTORIES[e.fn] as (...a: unknown[]) => unknown).apply(undefined, e.args.map(evaluate));
    case 'method': {
      const target = evaluate(e.target) as Selector;
      return target.withExpressions.apply(target, e.args.map(evaluate) as LabelExpression[]);
    }
  }
}
