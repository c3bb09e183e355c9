import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConstructMessages, Fix, NetproofError } from '../errors';
import { appAnalyzer } from './_analyzer';
import { EndpointsLike, Expectation, ExplainOptions, toEndpointSet } from './expect';
import { Intents } from './intents';
import { ExternalModel } from '../model/cluster';
import { IntentModel } from '../model/intent';
import { comparePolicies, policyId, PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { checkDns1123Label, checkLabelKey, checkLabelValue } from '../model/validate';
import { ClusterProfile } from '../values/cluster-profile';
import { Port } from '../values/port';
import { Verdict } from '../verify/api';

export interface PolicyChartProps {
  /** The namespace every policy of this chart lives in (DNS-1123 label). */
  readonly namespace: string;
  /**
   * The cluster the policies are for; constructs read the dataplane and cluster facts from it.
   * @default - ClusterProfile.upstream(): upstream semantics, no cluster facts
   */
  readonly profile?: ClusterProfile;
  /**
   * Labels added to every object of the chart (and to the policy models).
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Write only the policy objects of this chart (NetworkPolicy, FQDNNetworkPolicy, ClusterNetworkPolicy,
   * NetworkLogging). Its other objects (cdk8s-plus workloads and Services used to select pods) still
   * describe the cluster that the intents are verified against, and netproof synth records them in
   * `.netproof-model`, but they are not synthesized: the application's own repository deploys them, and
   * a GitOps tool applying the policy repository must not own or prune them.
   * @default false - every object of the chart is written
   */
  readonly policiesOnly?: boolean;
}

/** What a `policiesOnly` chart writes: `apiVersion kind` of the policy objects. */
const POLICY_OUTPUT_KINDS: ReadonlySet<string> = new Set([
  'networking.k8s.io/v1 NetworkPolicy',
  'networking.gke.io/v1alpha1 FQDNNetworkPolicy',
  'policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy',
  'networking.gke.io/v1alpha1 NetworkLogging',
]);

/**
 * A non-pod endpoint that a construct's rules imply exists (metadata server, health checkers, control
 * plane, ...). Plain data for the verifier's cluster model; `ip` is one representative address.
 */
export interface ImpliedExternal extends ExternalModel {
  /** The whole block the endpoint occupies (a /32 or /128 for a single host). */
  readonly cidr: string;
}

const POLICY_CHART = Symbol.for('netproof.PolicyChart');

/**
 * A cdk8s Chart bound to one namespace and one cluster profile. netproof constructs created in it (or
 * under a scope inside it) register their policy models here; the YAML is rendered from those models.
 */
export class PolicyChart extends Chart {
  /** Is `x` a PolicyChart (also across copies of the library)? */
  public static isPolicyChart(x: unknown): x is PolicyChart {
    return x !== null && typeof x === 'object' && (x as any)[POLICY_CHART] === true;
  }

  /** The PolicyChart that contains `construct` (or is it); throws when there is none. */
  public static of(construct: IConstruct): PolicyChart {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (PolicyChart.isPolicyChart(scopes[i])) return scopes[i] as PolicyChart;
    }
    throw new NetproofError(`PolicyChart.of ${construct.node.path || '<root>'}`, ConstructMessages.notInPolicyChart);
  }

  declare public readonly namespace: string;
  public readonly profile: ClusterProfile;
  /** Labels of every object in this chart, as given. */
  public readonly policyLabels: Readonly<Record<string, string>>;
  /** Whether only the policy objects are written (see `PolicyChartProps.policiesOnly`). */
  public readonly policiesOnly: boolean;

  private readonly _policies: PolicyModel[] = [];
  private readonly _owners = new Map<string, string>();
  private readonly _externals = new Map<string, ImpliedExternal>();

  constructor(scope: Construct, id: string, props: PolicyChartProps) {
    const where = `PolicyChart ${[scope.node.path, id].filter((s) => s).join('/')}`;
    const bad = checkDns1123Label(props.namespace);
    if (bad !== undefined) throw new NetproofError(where, ConstructMessages.namespace(String(props.namespace), bad));
    const labels: Record<string, string> = {};
    for (const key of Object.keys(props.labels ?? {}).sort(compareStrings)) {
      const value = props.labels![key];
      const badKey = checkLabelKey(key);
      if (badKey !== undefined) throw new NetproofError(where, `${badKey}. ${Fix.labelKey}`, `labels key "${key}"`);
      const badValue = checkLabelValue(value);
      if (badValue !== undefined) throw new NetproofError(where, `${badValue}. ${Fix.labelValue}`, `labels value "${value}"`);
      labels[key] = value;
    }
    super(scope, id, { namespace: props.namespace, labels, disableResourceNameHashes: true });
    Object.defineProperty(this, POLICY_CHART, { value: true });
    this.profile = props.profile ?? ClusterProfile.upstream();
    this.policyLabels = Object.freeze(labels);
    this.policiesOnly = props.policiesOnly ?? false;
    const charts = CHARTS_BY_ROOT.get(this.node.root) ?? [];
    charts.push(this);
    CHARTS_BY_ROOT.set(this.node.root, charts);
    this.node.addValidation({ validate: () => duplicateErrors(this.node.root, this) });
    // Lint errors (what GKE would reject or silently ignore) about this chart's policies fail synth.
    this.node.addValidation({ validate: () => (this.policies.length === 0 ? [] : appAnalyzer(this.node.path).lintErrors(this)) });
    // Once per app: the model synth verifies against, for `netproof synth` to write next to the YAML.
    if (charts.length === 1) {
      this.node.root.node.addValidation({ validate: () => { appAnalyzer(this.node.path).recordModel(this.node.root); return []; } });
    }
  }

  /** The objects cdk8s writes for this chart: with `policiesOnly`, the policy objects alone. */
  public toJson(): any[] {
    const objects = super.toJson();
    if (!this.policiesOnly) return objects;
    return objects.filter((o: { apiVersion?: unknown; kind?: unknown }) => POLICY_OUTPUT_KINDS.has(`${String(o.apiVersion)} ${String(o.kind)}`));
  }

  /**
   * States intents about `subject` (a Selector in this chart's namespace, a cdk8s-plus workload, or
   * Endpoints): `chart.expect(frontend).canReach(backend, Port.tcp(80))`. Synth checks every intent of
   * the app before writing any file and fails with a counterexample for each one that does not hold.
   */
  public expect(subject: EndpointsLike): Expectation {
    return Intents.of(this).expect(subject);
  }

  /**
   * Why each endpoint of `from` does or does not reach each endpoint of `to` on `port`, with the
   * policies that isolate each side and the rules that allowed it (selectors mean this chart's namespace).
   */
  public explain(from: EndpointsLike, to: EndpointsLike, port: Port, options: ExplainOptions = {}): Verdict[] {
    return appAnalyzer(`PolicyChart ${this.node.path}`)
      .explain(this, toEndpointSet(from, this.namespace), toEndpointSet(to, this.namespace), port.model, port.toString(), options);
  }

  /** The intents stated on this chart, in the order they were stated. */
  public get intents(): readonly IntentModel[] {
    return Intents.of(this).intents;
  }

  /** The policy models of this chart, in the order the constructs were created. */
  public get policies(): readonly PolicyModel[] {
    return [...this._policies];
  }

  /** Externals implied by the constructs of this chart, sorted by name. */
  public get impliedExternals(): readonly ImpliedExternal[] {
    return [...this._externals.keys()].sort(compareStrings).map((k) => this._externals.get(k)!);
  }

  /**
   * Registers a policy model (called by netproof constructs). Throws on a second policy of the same kind
   * and name in this namespace. @internal
   */
  public _registerPolicy(model: PolicyModel, where: string): void {
    const key = `${model.kind}/${model.name}`;
    const other = this._owners.get(key);
    if (other !== undefined) throw new NetproofError(where, ConstructMessages.duplicatePolicy(model.kind, policyNamespace(model), model.name, other));
    this._owners.set(key, model.source?.constructPath ?? where);
    this._policies.push(model);
  }

  /** Records an implied external (first writer of a name wins). @internal */
  public _addExternal(external: ImpliedExternal): void {
    if (!this._externals.has(external.name)) this._externals.set(external.name, Object.freeze({ ...external }));
  }
}

/** PolicyCharts per construct tree (keyed by the root), in creation order; avoids walking the tree. */
const CHARTS_BY_ROOT = new WeakMap<IConstruct, PolicyChart[]>();

function policyChartsOf(scope: IConstruct): PolicyChart[] {
  return [...(CHARTS_BY_ROOT.get(scope.node.root) ?? [])];
}

function isUnder(path: string | undefined, scopePath: string): boolean {
  if (scopePath === '') return true;
  return path !== undefined && (path === scopePath || path.startsWith(`${scopePath}/`));
}

/** A policy's namespace in messages; a cluster-scoped one has none. */
function policyNamespace(p: PolicyModel): string {
  return p.kind === 'ClusterNetworkPolicy' ? '(cluster)' : p.namespace;
}

/** Policies emitted twice (same namespace, kind and name) by different charts; only `only`'s when given. */
function duplicateErrors(root: IConstruct, only?: PolicyChart): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const chart of policyChartsOf(root)) {
    if (only !== undefined && chart.namespace !== only.namespace) continue;
    for (const p of chart.policies) {
      const key = `${p.kind} ${policyId(p)}`;
      const path = p.source?.constructPath ?? chart.node.path;
      const other = seen.get(key);
      if (other !== undefined && other !== path) {
        if (only !== undefined && chart !== only) continue;
        errors.push(`${path}: ${ConstructMessages.duplicatePolicy(p.kind, policyNamespace(p), p.name, other)}`);
      } else {
        seen.set(key, path);
      }
    }
  }
  return errors;
}

/**
 * Every policy model of every PolicyChart in the app of `scope` that lies under `scope` (an App: all of
 * them), sorted by namespace, kind and name. Throws when two charts emit the same policy.
 */
export function policiesOf(scope: IConstruct): PolicyModel[] {
  const errors = duplicateErrors(scope);
  if (errors.length > 0) throw new NetproofError('policiesOf', errors.join('; '));
  const scopePath = scope.node.path;
  const out: PolicyModel[] = [];
  for (const chart of policyChartsOf(scope)) {
    for (const p of chart.policies) if (isUnder(p.source?.constructPath, scopePath)) out.push(p);
  }
  return out.sort(comparePolicies);
}

/** Every implied external recorded under `scope` (an App: all), de-duplicated by name, sorted. */
export function impliedExternalsOf(scope: IConstruct): ImpliedExternal[] {
  const byName = new Map<string, ImpliedExternal>();
  const scopePath = scope.node.path;
  for (const chart of policyChartsOf(scope)) {
    for (const e of chart.impliedExternals) {
      if (isUnder(e.source?.constructPath, scopePath) && !byName.has(e.name)) byName.set(e.name, e);
    }
  }
  return [...byName.keys()].sort(compareStrings).map((k) => byName.get(k)!);
}
