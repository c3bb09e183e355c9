/**
 * The label vocabulary that policies mention, as a finite abstraction of labels: for each key a selector
 * names, a label is absent, one of the values selectors name, or "some other value". Two label sets with
 * the same projection answer every selector of the vocabulary alike (In, NotIn, Exists, DoesNotExist,
 * matchLabels), so the reachability engine groups pods by projection, and a proof engine can enumerate
 * the abstract choices per key to cover pods and namespaces that do not exist yet (DESIGN, "Where the
 * verifier is going").
 */
import { compareStrings, LabelSelectorModel, Labels, requirementsOf } from '../model/selector';

/** The abstract value of a label whose value no selector mentions. */
export const OTHER_VALUE = '\u0000other';
/** The abstract value of a label key that is not set. */
export const ABSENT = '\u0000absent';

export class LabelVocabulary {
  public static of(selectors: Iterable<LabelSelectorModel>): LabelVocabulary {
    const values = new Map<string, Set<string>>();
    for (const selector of selectors) {
      for (const req of requirementsOf(selector)) {
        let set = values.get(req.key);
        if (set === undefined) { set = new Set(); values.set(req.key, set); }
        for (const v of req.values) set.add(v);
      }
    }
    return new LabelVocabulary(values);
  }

  /** Keys some selector mentions, sorted. */
  public readonly keys: readonly string[];

  private constructor(private readonly values: ReadonlyMap<string, ReadonlySet<string>>) {
    this.keys = [...values.keys()].sort(compareStrings);
  }

  /** Is `value` of `key` named by some selector? */
  public mentions(key: string, value: string): boolean {
    return this.values.get(key)?.has(value) ?? false;
  }

  /** The abstract value of one key of a label set: ABSENT, a mentioned value, or OTHER_VALUE. */
  public abstractValue(labels: Labels, key: string): string {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) return ABSENT;
    const v = labels[key];
    return this.mentions(key, v) ? v : OTHER_VALUE;
  }

  /** Every abstract value of a key: ABSENT, each mentioned value (sorted), OTHER_VALUE. */
  public choices(key: string): string[] {
    return [ABSENT, ...[...(this.values.get(key) ?? [])].sort(compareStrings), OTHER_VALUE];
  }

  /** A canonical text of the projection; equal texts mean indistinguishable by every selector. */
  public project(labels: Labels): string {
    let out = '';
    if (this.keys.length <= 8) {
      for (const k of this.keys) {
        const v = this.abstractValue(labels, k);
        if (v !== ABSENT) out += `${k}=${v}\u0002`;
      }
      return out;
    }
    // A large vocabulary: look at the label set's own keys instead (the same text: mentioned keys, sorted).
    const picked = Object.keys(labels).filter((k) => this.values.has(k)).sort(compareStrings);
    for (const k of picked) out += `${k}=${this.abstractValue(labels, k)}\u0002`;
    return out;
  }
}
