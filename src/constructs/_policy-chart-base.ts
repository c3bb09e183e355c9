/**
 * Internal: what PolicyChart (one namespace) and ClusterPolicyChart (cluster-scoped objects) share. A
 * chart holds one cluster profile, registers the policy models of the netproof constructs created in it,
 * records the externals they imply, states intents, and runs the synth-time checks of the app layer.
 */
import { ApiObject, Chart, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConstructMessages, Fix, NetproofError } from '../errors';
import { appAnalyzer } from './_analyzer';
import { duplicateObjectErrors, readableObjectName, readableSelectionErrors } from './_object-names';
import { EndpointsLike, Expectation, ExplainOptions, toEndpointSet } from './expect';
import { Intents } from './intents';
import { ExternalModel } from '../model/cluster';
import { IntentModel } from '../model/intent';
import { comparePolicies, policyId, PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';
import { checkLabelKey, checkLabelValue } from '../model/validate';
import { ClusterProfile } from '../values/cluster-profile';
import { Port } from '../values/port';
import { Verdict } from '../verify/api';

/** Kinds of objects that are policies netproof verifies (and lints) when a chart writes them raw. */
const POLICY_OBJECT_KINDS = new Set(['NetworkPolicy', 'FQDNNetworkPolicy', 'ClusterNetworkPolicy']);

/** What both kinds of chart take besides a namespace. */
export interface PolicyChartBaseProps {
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
   * Whether lint warnings fail synth. A warning belongs to the chart of the policy it is about, else to
   * the first chart (with policies) of the namespace of its pod or Service, else to the app's first chart.
   * @default false - warnings are printed on stderr at synth (id, place, fix) and synth goes on; `netproof
   * synth --strict` makes every chart strict
   */
  readonly strict?: boolean;
  /**
   * Write only the policy objects of this chart (NetworkPolicy, FQDNNetworkPolicy, ClusterNetworkPolicy,
   * NetworkLogging). Its other objects (cdk8s-plus workloads and Services used to select pods) still
   * describe the cluster that the intents are verified against, and netproof synth records them in
   * `.netproof-model`, but they are not synthesized: the application's own repository deploys them, and
   * a GitOps tool applying the policy repository must not own or prune them.
   * @default false - every object of the chart is written
   */
  readonly policiesOnly?: boolean;
  /**
   * How objects without a `metadata.name` are named. `true`: by their construct path below the chart,
   * without cdk8s's hash (`new kplus.Deployment(shopChart, 'checkout')` is `shop/checkout`), which the
   * chart's namespace keeps apart; synth fails if two objects of one kind end up with one name in one
   * namespace. `false`: as a plain cdk8s Chart names them (`shop-checkout-c824f7ea`).
   * @default true
   */
  readonly readableNames?: boolean;
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

const NETPROOF_CHART = Symbol.for('netproof.PolicyChartBase');

/** Every netproof chart: a PolicyChart (namespaced) or a ClusterPolicyChart (cluster-scoped). */
export abstract class PolicyChartBase extends Chart {
  /** Is `x` a PolicyChart or a ClusterPolicyChart (also across copies of the library)? @internal */
  public static _isPolicyChartBase(x: unknown): x is PolicyChartBase {
    return x !== null && typeof x === 'object' && (x as any)[NETPROOF_CHART] === true;
  }

  /** The nearest netproof chart that contains `construct` (or is it), if any. @internal */
  public static _nearest(construct: IConstruct): PolicyChartBase | undefined {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (PolicyChartBase._isPolicyChartBase(scopes[i])) return scopes[i] as PolicyChartBase;
    }
    return undefined;
  }

  public readonly profile: ClusterProfile;
  /** Labels of every object in this chart, as given. */
  public readonly policyLabels: Readonly<Record<string, string>>;
  /** Whether lint warnings this chart owns fail synth (see PolicyChartBaseProps.strict). */
  public readonly strict: boolean;
  /** Whether only the policy objects are written (see `PolicyChartBaseProps.policiesOnly`). */
  public readonly policiesOnly: boolean;
  /** Whether objects without a name are named readably (see `PolicyChartBaseProps.readableNames`). */
  public readonly readableNames: boolean;
  /** `PolicyChart shop` or `ClusterPolicyChart cluster`, for messages. @internal */
  public readonly _title: string;

  private readonly _policies: PolicyModel[] = [];
  private readonly _owners = new Map<string, string>();
  private readonly _externals = new Map<string, ImpliedExternal>();

  protected constructor(scope: Construct, id: string, kind: string, namespace: string | undefined, props: PolicyChartBaseProps) {
    const where = `${kind} ${[scope.node.path, id].filter((s) => s).join('/')}`;
    const labels: Record<string, string> = {};
    for (const key of Object.keys(props.labels ?? {}).sort(compareStrings)) {
      const value = props.labels![key];
      const badKey = checkLabelKey(key);
      if (badKey !== undefined) throw new NetproofError(where, `${badKey}. ${Fix.labelKey}`, `labels key "${key}"`);
      const badValue = checkLabelValue(value);
      if (badValue !== undefined) throw new NetproofError(where, `${badValue}. ${Fix.labelValue}`, `labels value "${value}"`);
      labels[key] = value;
    }
    super(scope, id, { ...(namespace === undefined ? {} : { namespace }), labels, disableResourceNameHashes: true });
    Object.defineProperty(this, NETPROOF_CHART, { value: true });
    this._title = `${kind} ${this.node.path}`;
    this.profile = props.profile ?? ClusterProfile.upstream();
    this.policyLabels = Object.freeze(labels);
    this.strict = props.strict ?? false;
    this.policiesOnly = props.policiesOnly ?? false;
    this.readableNames = props.readableNames ?? true;
    const charts = CHARTS_BY_ROOT.get(this.node.root) ?? [];
    charts.push(this);
    CHARTS_BY_ROOT.set(this.node.root, charts);
    this.node.addValidation({ validate: () => duplicateErrors(this.node.root, this) });
    // Lint errors (what GKE would reject or silently ignore) about the policies this chart writes fail synth:
    // its constructs' and raw objects of a policy kind alike. The warnings it owns are printed, or fail
    // synth when strict.
    this.node.addValidation({ validate: () => (this.writesPolicies() ? appAnalyzer(this.node.path).lintErrors(this, this.strict) : []) });
    // Once per app: the model synth verifies against, for `netproof synth` to write next to the YAML.
    if (charts.length === 1) {
      // cdk8s validates the whole app once per synthesized chart; each pass starts at the root.
      this.node.root.node.addValidation({ validate: () => { appAnalyzer(this.node.path).beginValidation(this.node.root); return []; } });
      this.node.root.node.addValidation({ validate: () => { appAnalyzer(this.node.path).recordModel(this.node.root); return []; } });
      // Objects that would overwrite each other, and readable workload selectors that are not the workload's alone.
      this.node.addValidation({ validate: () => [...duplicateObjectErrors(this.node.root), ...readableSelectionErrors(this.node.root)] });
    }
  }

  /**
   * Names an object without a `metadata.name`: readably, by its construct path below this chart (see
   * `readableNames`), else as cdk8s does (path and hash).
   */
  public generateObjectName(apiObject: ApiObject): string {
    const hashed = () => Names.toDnsLabel(apiObject, { maxLen: apiObject.kind === 'CronJob' ? 52 : undefined });
    if (!this.readableNames) return hashed();
    return readableObjectName(this, apiObject) ?? hashed();
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
    return appAnalyzer(this._title)
      .explain(this, toEndpointSet(from, this.namespace), toEndpointSet(to, this.namespace), port.model, port.toString(), options);
  }

  /** The intents stated on this chart, in the order they were stated. */
  public get intents(): readonly IntentModel[] {
    return Intents.of(this).intents;
  }

  /** The policy models of this chart, in the order the constructs were created. */
  /** Does this chart write a policy (a construct's, or a raw ApiObject of a policy kind)? */
  private writesPolicies(): boolean {
    return this._policies.length > 0 || this.node.findAll().some((c) => ApiObject.isApiObject(c) && POLICY_OBJECT_KINDS.has(c.kind));
  }

  public get policies(): readonly PolicyModel[] {
    return [...this._policies];
  }

  /** Externals implied by the constructs of this chart, sorted by name. */
  public get impliedExternals(): readonly ImpliedExternal[] {
    return [...this._externals.keys()].sort(compareStrings).map((k) => this._externals.get(k)!);
  }

  /**
   * Registers a policy model (called by netproof constructs). Throws on a second policy of the same kind
   * and name in this chart. @internal
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

/** Netproof charts per construct tree (keyed by the root), in creation order; avoids walking the tree. */
const CHARTS_BY_ROOT = new WeakMap<IConstruct, PolicyChartBase[]>();

/** Every netproof chart (namespaced and cluster-scoped) of the app of `scope`, in creation order. */
export function policyChartsOf(scope: IConstruct): PolicyChartBase[] {
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

/**
 * Policies emitted twice (same kind and id: namespace and name, or a ClusterNetworkPolicy's name) by
 * different charts; only `only`'s when given.
 */
function duplicateErrors(root: IConstruct, only?: PolicyChartBase): string[] {
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
 * Every policy model of every netproof chart in the app of `scope` that lies under `scope` (an App: all
 * of them), cluster-scoped first, then by namespace, kind and name. Throws when two charts emit the same
 * policy.
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
