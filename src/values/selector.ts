import { ApiObject } from 'cdk8s';
import { check, Fix, NetproofError } from '../errors';
import { describeSelector, LabelRequirementModel, LabelSelectorModel, Labels, makeSelector, SELECT_ALL, SelectorOperator } from '../model/selector';
import { checkLabelKey, checkLabelValue } from '../model/validate';

/** One requirement of a selector: `LabelExpression.in('tier', ['web', 'api'])`. */
export class LabelExpression {
  public static in(key: string, values: string[]): LabelExpression { return LabelExpression.make(key, 'In', values); }
  public static notIn(key: string, values: string[]): LabelExpression { return LabelExpression.make(key, 'NotIn', values); }
  public static exists(key: string): LabelExpression { return LabelExpression.make(key, 'Exists', []); }
  public static doesNotExist(key: string): LabelExpression { return LabelExpression.make(key, 'DoesNotExist', []); }

  private static make(key: string, operator: SelectorOperator, values: string[]): LabelExpression {
    const where = `LabelExpression.${operator === 'In' ? 'in' : operator === 'NotIn' ? 'notIn' : operator === 'Exists' ? 'exists' : 'doesNotExist'}`;
    check(checkLabelKey(key), where, Fix.labelKey, `key "${key}"`);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      throw new NetproofError(where, `operator ${operator} needs at least one value for key "${key}". List the values, or use exists()/doesNotExist()`);
    }
    for (const v of values) check(checkLabelValue(v), where, Fix.labelValue, `value "${v}"`);
    return new LabelExpression({ key, operator, values: [...new Set(values)].sort() });
  }

  private constructor(public readonly model: LabelRequirementModel) {}

  public toString(): string { return describeSelector(makeSelector({}, [this.model])); }
}

/**
 * Something that selects pods. netproof's `Selector` implements it, and so do every cdk8s-plus workload
 * (`Deployment`, `StatefulSet`, `DaemonSet`, `Job`) and `Pod` (this is the method of cdk8s-plus's own
 * `IPodSelector`) and `DeclaredWorkload`: props and factories take any of them, no wrapping needed.
 */
export interface IPodSelector {
  toPodSelectorConfig(): PodSelectorConfig;
}

/** A pod selection as cdk8s-plus describes it: a label selector, and the namespaces it is limited to. */
export interface PodSelectorConfig {
  readonly labelSelector: unknown;
  readonly namespaces?: { readonly names?: readonly string[] };
}

/** The shape of a cdk8s-plus workload or Pod that netproof reads (name, namespace, pod template). @internal */
export interface IWorkloadLike {
  readonly name: string;
  readonly metadata: { readonly namespace?: string };
}

/** What an IPodSelector selects: the pod selector, and the namespace and name of a workload. */
export interface PodSelection {
  readonly selector: Selector;
  /** The workload's namespace, when it names one. */
  readonly namespace?: string;
  /** The workload's name; undefined for a plain Selector. */
  readonly name?: string;
}

/**
 * A label selector over pods or namespaces. `Selector.all()` selects everything;
 * `Selector.labels({ app: 'web' })`, `.withExpressions(...)` adds requirements (AND).
 */
export class Selector {
  public static all(): Selector { return new Selector(SELECT_ALL); }

  public static labels(labels: Record<string, string>, where = 'Selector.labels'): Selector {
    Selector.checkLabels(labels, where);
    return new Selector(makeSelector(labels));
  }

  public static expressions(...expressions: LabelExpression[]): Selector {
    return new Selector(makeSelector({}, expressions.map((e) => e.model)));
  }

  /**
   * The pods of a cdk8s-plus workload or Pod. A workload that selects its pods itself (`select: false`
   * and `workload.select(...)`) is selected by exactly that selector. One left at cdk8s-plus's default
   * (`select: true`, which labels its pods with a hash, `cdk8s.io/metadata.addr=shop-checkout-c824f7ea`)
   * is selected readably: by its own pod template labels when it has some (`app=checkout`), else by
   * `app.kubernetes.io/name=<name>`, which netproof then adds to its pod template. Synth fails when
   * such a selector also matches the pods of another workload of the namespace (see
   * `readableSelectionErrors`).
   */
  public static workload(workload: IWorkloadLike): Selector {
    const own = workloadSelector(workload);
    if (own !== undefined) return own;
    const labels = workloadPodLabels(workload);
    const readable = readableSelection(workload, labels);
    if (readable !== undefined) return readable;
    if (Object.keys(labels).length === 0) {
      throw new NetproofError(`Selector.workload ${ApiObject.of(workload as any)?.node?.path ?? workload.name}`,
        'the workload\'s pod template has no labels, so no policy can select it. Give it labels (podMetadata.addLabel) or keep select: true');
    }
    return new Selector(makeSelector(labels));
  }

  /**
   * A selector from its model form (`{ matchLabels, matchExpressions }`, as a parser produces it),
   * validated as the API server validates a label selector: label keys and values, an operator of In,
   * NotIn, Exists or DoesNotExist, values for In and NotIn and none for Exists and DoesNotExist.
   */
  public static fromModel(model: LabelSelectorModel, where = 'Selector.fromModel'): Selector {
    if (typeof model !== 'object' || model === null) throw new NetproofError(where, `expected { matchLabels, matchExpressions }, got ${String(model)}. Pass a selector model`);
    Selector.checkLabels(model.matchLabels ?? {}, where);
    const expressions = (model.matchExpressions ?? []).map((e, i) => checkedRequirement(e, where, `matchExpressions[${i}]`));
    return new Selector(makeSelector(model.matchLabels ?? {}, expressions));
  }

  /** @internal */
  public static checkLabels(labels: Labels, where: string): void {
    for (const [k, v] of Object.entries(labels)) {
      check(checkLabelKey(k), where, Fix.labelKey, `key "${k}"`);
      check(checkLabelValue(v), where, Fix.labelValue, `value "${v}" of key "${k}"`);
    }
  }

  private constructor(public readonly model: LabelSelectorModel) {}

  /** A Selector selects the pods it matches (in the namespace its user means). */
  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: this };
  }

  /** A new selector that also requires these expressions. */
  public withExpressions(...expressions: LabelExpression[]): Selector {
    return new Selector(makeSelector(this.model.matchLabels, [...this.model.matchExpressions, ...expressions.map((e) => e.model)]));
  }

  /** A new selector that also requires these labels. */
  public withLabels(labels: Record<string, string>): Selector {
    Selector.checkLabels(labels, 'Selector.withLabels');
    for (const [k, v] of Object.entries(labels)) {
      const had = this.model.matchLabels[k];
      if (had !== undefined && had !== v) {
        throw new NetproofError('Selector.withLabels', `label "${k}" is already required to be "${had}", cannot also be "${v}" (the selector would match nothing). Use LabelExpression.in('${k}', [...]) for alternatives`);
      }
    }
    return new Selector(makeSelector({ ...this.model.matchLabels, ...labels }, this.model.matchExpressions));
  }

  public get isAll(): boolean { return describeSelector(this.model) === 'all'; }

  public toString(): string { return describeSelector(this.model); }
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A requirement as the API server accepts it (see `Selector.fromModel`), or a NetproofError at `where field`. */
function checkedRequirement(r: LabelRequirementModel, where: string, field: string): LabelRequirementModel {
  if (!OPERATORS.includes(r.operator)) {
    throw new NetproofError(where, `operator "${String(r.operator)}" is not a label selector operator. Use In, NotIn, Exists or DoesNotExist`, field);
  }
  check(checkLabelKey(String(r.key)), where, Fix.labelKey, `${field} key "${String(r.key)}"`);
  const values = r.values ?? [];
  if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) {
    throw new NetproofError(where, `operator ${r.operator} needs at least one value for key "${r.key}". List the values, or use Exists/DoesNotExist`, field);
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) {
    throw new NetproofError(where, `operator ${r.operator} takes no values, got ${JSON.stringify(values)} for key "${r.key}". Remove the values`, field);
  }
  for (const v of values) check(checkLabelValue(String(v)), where, Fix.labelValue, `${field} value "${String(v)}"`);
  return { key: r.key, operator: r.operator, values: [...values] };
}

/**
 * The label selector a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job) manages its pods
 * by — exactly the pods Kubernetes counts as the workload's — or undefined for a Pod or a workload
 * without one.
 */
function workloadSelector(workload: IWorkloadLike): Selector | undefined {
  const w = workload as any;
  const labels: Record<string, string> = { ...(w.matchLabels ?? {}) };
  if (isDefaultSelection(workload)) return undefined;
  const expressions: LabelRequirementModel[] = (w.matchExpressions ?? []).map((e: any) => ({
    key: String(e.key), operator: String(e.operator) as SelectorOperator, values: [...(e.values ?? [])].map(String),
  }));
  if (Object.keys(labels).length === 0 && expressions.length === 0) return undefined;
  return Selector.fromModel(makeSelector(labels, expressions), `Selector.workload ${workload.name}`);
}

/** Pod template labels of a cdk8s-plus workload or Pod (`podMetadata`), or plain metadata labels. */
export function workloadPodLabels(workload: IWorkloadLike): Labels {
  const w = workload as any;
  const meta = w.podMetadata ?? w.metadata;
  const json = meta && typeof meta.toJson === 'function' ? meta.toJson() : meta;
  return { ...(json?.labels ?? {}) };
}

/** The cdk8s-plus workloads and Pods (constructs with a name and a pod template) of the app of `scope`. @internal */
export function podTemplatesOf(scope: { readonly node: { readonly root: { readonly node: { findAll(): readonly unknown[] } } } }): IWorkloadLike[] {
  return scope.node.root.node.findAll().filter((c): c is IWorkloadLike => {
    const w = c as Partial<IWorkloadLike> & { podMetadata?: unknown };
    return typeof w.name === 'string' && typeof w.podMetadata === 'object' && w.podMetadata !== null;
  });
}

function isWorkloadLike(x: unknown): x is IWorkloadLike {
  const w = x as Partial<IWorkloadLike> | undefined;
  return typeof w?.name === 'string' && typeof w.metadata === 'object' && w.metadata !== null;
}

/**
 * What an IPodSelector selects. A Selector is itself; a cdk8s-plus workload or Pod is selected by its
 * template (see `Selector.workload`) in its namespace; anything else by the Selector its config holds.
 */
export function podSelectionOf(target: IPodSelector): PodSelection {
  if (target instanceof Selector) return { selector: target };
  if (isWorkloadLike(target)) {
    const ns = ApiObject.of(target as any)?.metadata.namespace ?? target.metadata.namespace;
    return { selector: Selector.workload(target), name: target.name, ...(ns !== undefined ? { namespace: ns } : {}) };
  }
  const config = target.toPodSelectorConfig();
  if (!(config.labelSelector instanceof Selector)) {
    throw new NetproofError('IPodSelector', `${String(target)} selects pods with a label selector netproof cannot read. Pass a netproof Selector, a cdk8s-plus workload or Pod, or a DeclaredWorkload`);
  }
  const ns = config.namespaces?.names?.[0];
  const name = (target as { readonly name?: unknown }).name;
  return { selector: config.labelSelector, ...(ns !== undefined ? { namespace: ns } : {}), ...(typeof name === 'string' ? { name } : {}) };
}

/** The pod selector of an IPodSelector. */
export function toSelector(target: IPodSelector): Selector {
  return podSelectionOf(target).selector;
}

/** The label cdk8s-plus gives every Pod and workload's pods: a hash of the construct path. */
export const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';
/** The label netproof gives a default workload's pods when they carry no label of the user's. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** A workload or Pod selected readably, for the uniqueness check at synth. */
export interface ReadableSelection {
  readonly workload: IWorkloadLike;
  readonly selector: Selector;
  /** Whether netproof added `app.kubernetes.io/name` to the pod template (it had no label of the user's). */
  readonly added: boolean;
}

/** The readable selections made in each construct tree (keyed by its root), in order. */
const READABLE = new WeakMap<object, Map<IWorkloadLike, ReadableSelection>>();

/** The readable selections made for the workloads of the app of `root`. @internal */
export function readableSelectionsOf(root: object): readonly ReadableSelection[] {
  return [...(READABLE.get(root)?.values() ?? [])];
}

/**
 * Is the workload (or Pod) selected the cdk8s-plus default way: by the hash label alone (a workload with
 * `select: true` and nothing added, or a Pod)?
 */
function isDefaultSelection(workload: IWorkloadLike): boolean {
  const w = workload as any;
  const match: Record<string, string> = w.matchLabels ?? {};
  const keys = Object.keys(match);
  if ((w.matchExpressions ?? []).length > 0) return false;
  // A Pod has no selector of its own: cdk8s-plus selects it by the hash label.
  if (keys.length === 0) return w.matchLabels === undefined && workloadPodLabels(workload)[ADDRESS_LABEL] !== undefined;
  return keys.length === 1 && keys[0] === ADDRESS_LABEL;
}

/**
 * The readable selector of a workload left at cdk8s-plus's default selection (see `Selector.workload`),
 * or undefined when it is not (or its name is no label value: then the hash selector stays).
 */
function readableSelection(workload: IWorkloadLike, labels: Labels): Selector | undefined {
  if (!isDefaultSelection(workload)) return undefined;
  const apiObject = ApiObject.of(workload as any);
  const root = (workload as any).node?.root ?? apiObject?.node.root;
  const known = root === undefined ? undefined : READABLE.get(root)?.get(workload);
  if (known !== undefined) return known.selector;
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== ADDRESS_LABEL) own[k] = v;
  let added = false;
  if (Object.keys(own).length === 0) {
    if (checkLabelValue(workload.name) !== undefined) return undefined;
    const meta = (workload as any).podMetadata ?? (workload as any).metadata;
    if (typeof meta?.addLabel !== 'function') return undefined;
    meta.addLabel(NAME_LABEL, workload.name);
    own[NAME_LABEL] = workload.name;
    added = true;
  }
  const selector = Selector.fromModel(makeSelector(own), `Selector.workload ${workload.name}`);
  if (root !== undefined) {
    const byWorkload = READABLE.get(root) ?? new Map<IWorkloadLike, ReadableSelection>();
    byWorkload.set(workload, { workload, selector, added });
    READABLE.set(root, byWorkload);
  }
  return selector;
}
