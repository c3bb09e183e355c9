/**
 * Lint findings and violated intents as a SARIF 2.1.0 log, so code-scanning tools (GitHub code scanning,
 * GitLab, Azure DevOps) annotate the pull request. One run, tool `netproof`, one rule per lint id and one
 * rule `intent`. Locations: the policy's or intent's file (and line, when the caller knows it), plus a
 * logical location naming the policy, pod or intent. Pure and deterministic.
 */
import { VerifyReport } from './report';
import { intentFailureText } from './text';
import { LINT_RULES, LintSeverity } from '../../analysis/lint';
import { objectId } from '../../model/ids';
import { policyId, PolicyModel, SourceRef } from '../../model/policy';
import { compareStrings } from '../../model/selector';
import { Formatter } from '../formatter';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The rule id of a violated intent. */
export const INTENT_RULE_ID = 'intent';
export const TOOL_NAME = 'netproof';

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

export function renderSarif(input: VerifyReport): SarifLog {
  const rules = sarifRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const policyById = new Map<string, PolicyModel>();
  for (const p of input.policies ?? []) if (!policyById.has(policyId(p))) policyById.set(policyId(p), p);

  const podFiles = new Map<string, string>();
  for (const p of input.cluster?.pods ?? []) if (p.source?.file !== undefined) podFiles.set(objectId(p), p.source.file);

  const results: SarifResult[] = [];
  for (const f of input.findings) {
    const policy = policyById.get(f.subject);
    const podFile = podFiles.get(f.subject);
    const physical = policy?.source
      ? physicalLocation(policy.source)
      : physicalLocation({ file: podFile ?? input.fallbackFile });
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
      ? physicalLocation(source)
      : physicalLocation({ file: input.fallbackFile });
    results.push({
      ruleId: INTENT_RULE_ID,
      ruleIndex: ruleIndex.get(INTENT_RULE_ID)!,
      level: 'error',
      message: { text: intentFailureText({ name, result }) },
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


function level(severity: LintSeverity): SarifLevel {
  return severity === 'error' ? 'error' : 'warning';
}

function physicalLocation(source: SourceRef): SarifLocation['physicalLocation'] | undefined {
  if (source.file === undefined) return undefined;
  const line = source.line;
  const uri = source.file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  return { artifactLocation: { uri }, ...(line !== undefined && line >= 1 ? { region: { startLine: line } } : {}) };
}

export const sarifFormatter: Formatter<VerifyReport, 'sarif'> = {
  format: 'sarif',
  write(report, out) {
    out(`${JSON.stringify(renderSarif(report), null, 2)}\n`);
  },
};
