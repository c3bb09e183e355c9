/**
 * `netproof verify --format text` and the synth-time messages: ✓ or ✗ per intent with counterexamples,
 * then the lint findings.
 */
import { NamedIntentResult, VerifyReport } from './report';
import { IntentResult, MAX_COUNTEREXAMPLES } from '../../analysis/intents';
import { LintFinding } from '../../analysis/lint';
import { Formatter } from '../formatter';
import { formatCounterexample, isHypothetical } from '../words';

/**
 * One intent's report without its ✓/✗ mark: the intent (after its label, when one is given and differs),
 * and when violated why, how many pairs, and its counterexamples, indented.
 */
export function intentLines(r: IntentResult, label?: string): string[] {
  const lines = [label !== undefined && label !== r.text ? `${label}: ${r.text}` : r.text];
  if (r.holds) return lines;
  if (r.problem) lines.push(`  ${r.problem}`);
  for (const l of counterexampleLines(r)) lines.push(`  ${l}`);
  return lines;
}

/** The counterexamples of a violated intent: the known pairs (counted), then pods that could exist. */
function counterexampleLines(r: IntentResult): string[] {
  const lines: string[] = [];
  const hypothetical = r.counterexamples.filter(isHypothetical);
  const known = r.counterexamples.filter((c) => !isHypothetical(c));
  const knownViolations = r.violations - hypothetical.length;
  if (knownViolations > 0) {
    const few = known.length < MAX_COUNTEREXAMPLES ? `; ${known.length} shown, one per pair of workloads` : `; the first ${known.length}`;
    const shown = known.length === 0 ? '' : `${known.length < knownViolations ? few : ''}:`;
    lines.push(`${knownViolations} of ${r.checked} checked pairs contradict it${shown}`);
  }
  for (const c of known) for (const l of formatCounterexample(c).split('\n')) lines.push(`  ${l}`);
  if (hypothetical.length > 0) lines.push(`${hypothetical.length === 1 ? 'a pod that could exist contradicts' : 'pods that could exist contradict'} it:`);
  for (const c of hypothetical) for (const l of formatCounterexample(c).split('\n')) lines.push(`  ${l}`);
  return lines;
}

/** A violated intent in words: the intent, why (problem, how many pairs), and its counterexamples. */
export function intentFailureText({ name, result: r }: NamedIntentResult): string {
  const lines = [`intent violated: ${name !== r.text ? `${name}: ` : ''}${r.text}`];
  if (r.problem) lines.push(r.problem);
  for (const l of counterexampleLines(r)) lines.push(l.replace(/^ {2}/, ''));
  return lines.join('\n');
}

/** A violated intent as synth reports it: `intent violated: <intent>` and its counterexamples. */
export function formatIntentViolation(r: IntentResult): string {
  return `intent violated: ${intentLines(r).join('\n')}`;
}

/**
 * The report of an intent check, in the order the intents were stated: ✓ or ✗ and each intent's lines,
 * then a summary line.
 */
export function formatIntentResults(results: readonly IntentResult[], labels?: readonly string[]): string {
  const lines: string[] = [];
  results.forEach((r, i) => {
    const [head, ...rest] = intentLines(r, labels?.[i]);
    lines.push(`${r.holds ? '✓' : '✗'} ${head}`);
    for (const l of rest) lines.push(l);
  });
  const failed = results.filter((r) => !r.holds).length;
  lines.push(`${results.length - failed} of ${results.length} intents hold${failed ? `, ${failed} violated` : ''}`);
  return lines.join('\n');
}

/** One lint finding in a line: `warning NP005 egress-deny-without-dns shop/api: ...`. */
export function formatFinding(f: LintFinding): string {
  return `${f.severity} ${f.id} ${f.name} ${f.subject}: ${f.message}`;
}

/**
 * A lint finding as synth prints it: `warning NP005 egress-deny-without-dns shop/web (at shop/web): ...`,
 * with the construct path of its place; the message ends with the fix.
 */
export function formatSynthWarning(f: LintFinding, place: string): string {
  return `${f.severity} ${f.id} ${f.name} ${f.subject} (at ${place}): ${f.message}`;
}

/** Why a warning failed synth. */
export const STRICT_NOTE = 'a warning, and synth is strict (PolicyChart strict: true, or netproof synth --strict)';

/** A warning that fails a strict synth. */
export function formatStrictWarning(f: LintFinding, place: string): string {
  return `${f.id} ${f.name} ${f.subject} (at ${place}): ${f.message} [${STRICT_NOTE}]`;
}

/** Lint findings, one line each. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map(formatFinding).join('\n');
}

export const verifyTextFormatter: Formatter<VerifyReport, 'text'> = {
  format: 'text',
  write(report, out) {
    const lines = [formatIntentResults(report.intents.map((i) => i.result), report.intents.map((i) => i.name))];
    if (report.findings.length) lines.push('', 'Lint findings:', formatFindings(report.findings));
    out(`${lines.join('\n')}\n`);
  },
};
