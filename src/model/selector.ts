/**
 * Label selectors as data: a conjunction of per-key requirements. Kept as plain, canonical
 * (sorted, de-duplicated) data so that the emitter can render them, the verifier can match them
 * against concrete pods, and a proof engine can intersect them symbolically.
 */

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirementModel {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted and de-duplicated; empty for Exists and DoesNotExist. */
  readonly values: readonly string[];
}

/** A Kubernetes LabelSelector. Both parts empty means "everything". */
export interface LabelSelectorModel {
  /** Keys sorted. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Sorted by key, operator, values. */
  readonly matchExpressions: readonly LabelRequirementModel[];
}

export type Labels = Readonly<Record<string, string>>;

export const SELECT_ALL: LabelSelectorModel = Object.freeze({ matchLabels: Object.freeze({}), matchExpressions: Object.freeze([]) });

export function isSelectAll(selector: LabelSelectorModel): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Builds a canonical selector: keys sorted, expression values sorted and de-duplicated, expressions sorted. */
export function makeSelector(matchLabels: Labels = {}, matchExpressions: readonly LabelRequirementModel[] = []): LabelSelectorModel {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(matchLabels).sort()) labels[key] = matchLabels[key];
  const seen = new Set<string>();
  const exprs: LabelRequirementModel[] = [];
  for (const e of matchExpressions) {
    const values = e.operator === 'In' || e.operator === 'NotIn' ? [...new Set(e.values)].sort() : [];
    const req: LabelRequirementModel = { key: e.key, operator: e.operator, values };
    const id = requirementKey(req);
    if (seen.has(id)) continue;
    seen.add(id);
    exprs.push(req);
  }
  exprs.sort((a, b) => compareStrings(requirementKey(a), requirementKey(b)));
  return { matchLabels: labels, matchExpressions: exprs };
}

function requirementKey(r: LabelRequirementModel): string {
  return `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0000')}`;
}

/** Does a selector admit a set of labels (Kubernetes semantics)? */
export function matchesLabels(selector: LabelSelectorModel, labels: Labels): boolean {
  for (const key in selector.matchLabels) {
    if (labels[key] !== selector.matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions) {
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

export function requirementMatches(req: LabelRequirementModel, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In': return has && req.values.includes(labels[req.key]);
    case 'NotIn': return !has || !req.values.includes(labels[req.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
  }
}

/** Every per-key requirement of a selector, matchLabels expressed as `In [value]`. */
export function requirementsOf(selector: LabelSelectorModel): LabelRequirementModel[] {
  const reqs: LabelRequirementModel[] = Object.keys(selector.matchLabels).map((key) => ({ key, operator: 'In' as const, values: [selector.matchLabels[key]] }));
  return reqs.concat(selector.matchExpressions);
}

/** Human form used in reports: `app=web,tier in (a,b)`; `all` for the empty selector. */
export function describeSelector(selector: LabelSelectorModel): string {
  if (isSelectAll(selector)) return 'all';
  const parts = Object.keys(selector.matchLabels).map((k) => `${k}=${selector.matchLabels[k]}`);
  for (const e of selector.matchExpressions) {
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${e.values.join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${e.values.join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  return parts.join(',');
}

/** Stable identity for de-duplication and sorting. */
export function selectorKey(selector: LabelSelectorModel): string {
  return JSON.stringify([selector.matchLabels, selector.matchExpressions]);
}

/** Locale-independent ordering, so output never depends on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
