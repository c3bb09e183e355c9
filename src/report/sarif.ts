/**
 * Lint findings and violated intents as a SARIF 2.1.0 log, so code-scanning tools (GitHub code scanning,
 * GitLab, Azure DevOps) annotate the pull request. One run, tool `netproof`, one rule per lint id and one
 * rule `intent`. Locations: the policy's or intent's file (and line, when the caller knows it), plus a
 * logical location naming the policy, pod or intent. Pure and deterministic.
 */
import { formatVerdict } from './explain';
import { IntentResult } from '../intents/check';
import { LINT_RULES, LintFinding, LintSeverity } from '../lint/lint';
import { ClusterModel } from '../model/cluster';
import { PolicyModel, SourceRef } from '../model/policy';
import { compareStrings } from '../model/selector';
import { ManifestDocument, parseManifestText } from '../parse/_documents';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The rule id of a violated intent. */
export const INTENT_RULE_ID = 'intent';
export const TOOL_NAME = 'netproof';

export interface NamedIntentResult {
  /** The intent's name (from the intents file), or the intent in words. */
  readonly name: string;
  readonly result: IntentResult;
}

export interface SarifInput {
  readonly findings: readonly LintFinding[];
  readonly intents: readonly NamedIntentResult[];
  /** The policies the findings are about, to locate a finding's subject (`namespace/name`) in its file. */
  readonly policies?: readonly PolicyModel[];
  /** The cluster model, to locate a finding about a pod in the file that declared it (without a line). */
  readonly cluster?: ClusterModel;
  /**
   * One-based line of a policy (its document or List item) or of an intent (its list entry), when the
   * caller has read the file.
   * @default - no line; the file alone is the location
   */
  readonly lineOf?: (what: 'policy' | 'intent', source: SourceRef) => number | undefined;
  /**
   * The file to name for a result no other file is known for (GitHub code scanning rejects a result
   * without a file), e.g. the cluster model or the intents file.
   * @default - such results have only a logical location
   */
  readonly fallbackFile?: string;
  /** @default - not stated */
  readonly toolVersion?: string;
}

/** The subset of the SARIF 2.1.0 object model netproof writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly results: readonly SarifResult[];
}

export interface SarifDriver {
  readonly name: string;
  readonly version?: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
}

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifLocation {
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string };
    readonly region?: { readonly startLine: number };
  };
  readonly logicalLocations?: readonly { readonly name: string; readonly fullyQualifiedName: string; readonly kind: string }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
}

/** Every rule netproof can report: the lints by id, then `intent`. */
export function sarifRules(): SarifRule[] {
  const lints = Object.values(LINT_RULES)
    .map((r): SarifRule => ({ id: r.id, name: r.name, shortDescription: { text: r.summary }, defaultConfiguration: { level: level(r.severity) } }))
    .sort((a, b) => compareStrings(a.id, b.id));
  return [
    ...lints,
    { id: INTENT_RULE_ID, name: 'intent-violated', shortDescription: { text: 'an intent (who must or must not reach whom) does not hold under the policies' }, defaultConfiguration: { level: 'error' } },
  ];
}

export function renderSarif(input: SarifInput): SarifLog {
  const rules = sarifRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const policyById = new Map<string, PolicyModel>();
  for (const p of input.policies ?? []) if (!policyById.has(`${p.namespace}/${p.name}`)) policyById.set(`${p.namespace}/${p.name}`, p);

  const podFiles = new Map<string, string>();
  for (const p of input.cluster?.pods ?? []) if (p.source?.file !== undefined) podFiles.set(`${p.namespace}/${p.name}`, p.source.file);

  const results: SarifResult[] = [];
  for (const f of input.findings) {
    const policy = policyById.get(f.subject);
    const podFile = podFiles.get(f.subject);
    const physical = policy?.source
      ? physicalLocation(policy.source, input.lineOf?.('policy', policy.source))
      : physicalLocation({ file: podFile ?? input.fallbackFile }, undefined);
    results.push({
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id) ?? -1,
      level: level(f.severity),
      message: { text: `${f.subject}: ${f.message}` },
      locations: [{
        ...(physical ? { physicalLocation: physical } : {}),
        logicalLocations: [{
          name: f.subject,
          fullyQualifiedName: policy ? `${policy.kind}/${f.subject}${policy.source?.constructPath ? ` (${policy.source.constructPath})` : ''}` : f.subject,
          kind: 'resource',
        }],
      }],
    });
  }
  for (const { name, result } of input.intents) {
    if (result.holds) continue;
    const source = result.intent.source;
    const physical = source?.file !== undefined
      ? physicalLocation(source, input.lineOf?.('intent', source))
      : physicalLocation({ file: input.fallbackFile }, undefined);
    results.push({
      ruleId: INTENT_RULE_ID,
      ruleIndex: ruleIndex.get(INTENT_RULE_ID)!,
      level: 'error',
      message: { text: intentFailureText(name, result) },
      locations: [{
        ...(physical ? { physicalLocation: physical } : {}),
        logicalLocations: [{ name, fullyQualifiedName: source?.constructPath ? `${source.constructPath}: ${result.text}` : result.text, kind: 'object' }],
      }],
    });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [{
      tool: { driver: { name: TOOL_NAME, ...(input.toolVersion ? { version: input.toolVersion } : {}), rules } },
      results,
    }],
  };
}

/** A violated intent in words: the intent, why (problem, how many pairs), and its counterexamples. */
export function intentFailureText(name: string, r: IntentResult): string {
  const lines = [`intent violated: ${name !== r.text ? `${name}: ` : ''}${r.text}`];
  if (r.problem) lines.push(r.problem);
  const shown = r.counterexamples.length;
  if (r.violations > 0) lines.push(`${r.violations} of ${r.checked} checked pairs contradict it${shown === 0 ? '' : `${shown < r.violations ? `; the first ${shown}` : ''}:`}`);
  for (const v of r.counterexamples) lines.push(...formatVerdict(v).split('\n'));
  return lines.join('\n');
}

function level(severity: LintSeverity): SarifLevel {
  return severity === 'error' ? 'error' : 'warning';
}

function physicalLocation(source: SourceRef, line: number | undefined): SarifLocation['physicalLocation'] | undefined {
  if (source.file === undefined) return undefined;
  const uri = source.file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return { artifactLocation: { uri }, ...(line !== undefined && line >= 1 ? { region: { startLine: line } } : {}) };
}

/**
 * A `lineOf` for `renderSarif` over files read through `readText`: the line of a policy's document (or
 * of its item, `items[item]`, when the document is a List) and of an intent's entry in an intents file. A file that cannot
 * be read or parsed again gives no line (the location is then the file alone).
 */
export function lineLocator(readText: (file: string) => string): NonNullable<SarifInput['lineOf']> {
  const docs = new Map<string, readonly ManifestDocument[] | undefined>();
  const parsed = (file: string): readonly ManifestDocument[] | undefined => {
    if (!docs.has(file)) {
      try {
        docs.set(file, parseManifestText(readText(file), file));
      } catch {
        docs.set(file, undefined);
      }
    }
    return docs.get(file);
  };
  return (what, source) => {
    if (source.file === undefined || source.index === undefined) return undefined;
    const all = parsed(source.file);
    if (!all || all.length === 0) return undefined;
    if (what === 'intent') {
      const root = all[0];
      return root.lineOf?.(Array.isArray(root.value) ? [source.index] : ['intents', source.index]);
    }
    const doc = all.find((d) => d.index === source.index);
    return doc?.lineOf?.(source.item !== undefined ? ['items', source.item] : []);
  };
}
