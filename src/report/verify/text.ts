/**
 * `netproof verify --format text` and the synth-time messages: ✓ or ✗ per intent with counterexamples,
 * then the lint findings.
 */
import { NamedIntentResult, VerifyReport } from './report';
import { IntentResult } from '../../analysis/intents';
import { LintFinding } from '../../analysis/lint';
import { Formatter } from '../formatter';
import { formatVerdict } from '../words';

/**
 * One intent's report without its ✓/✗ mark: the intent (after its label, when one is given and differs),
 * and when violated why, how many pairs, and its counterexamples, indented.
 */
export function intentLines(r: IntentResult, label?: string): string[] {
  const lines = [label !== undefined && label !== r.text ? `${label}: ${r.text}` : r.text];
  if (r.holds) return lines;
  if (r.problem) lines.push(`  ${r.problem}`);
  if (r.violations > 0) lines.push(`  ${r.violations} of ${r.checked} checked pairs contradict it${r.counterexamples.length < r.violations ? `; the first ${r.counterexamples.length}` : ''}:`);
  for (const v of r.counterexamples) lines.push(...formatVerdict(v).split('\n').map((l) => `    ${l}`));
  return lines;
}

/** A violated intent in words: the intent, why (problem, how many pairs), and its counterexamples. */
export function intentFailureText({ name, result: r }: NamedIntentResult): string {
  const lines = [`intent violated: ${name !== r.text ? `${name}: ` : ''}${r.text}`];
  if (r.problem) lines.push(r.problem);
  const shown = r.counterexamples.length;
  if (r.violations > 0) lines.push(`${r.violations} of ${r.checked} checked pairs contradict it${shown === 0 ? '' : `${shown < r.violations ? `; the first ${shown}` : ''}:`}`);
  for (const v of r.counterexamples) lines.push(...formatVerdict(v).split('\n'));
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
    lines.push(`${r.holds ? '✓' : '✗'} ${head}`, ...rest);
  });
  const failed = results.filter((r) => !r.holds).length;
  lines.push(`${results.length - failed} of ${results.length} intents hold${failed ? `, ${failed} violated` : ''}`);
  return lines.join('\n');
}

/** One lint finding in a line: `warning NP005 egress-deny-without-dns shop/api: ...`. */
export function formatFinding(f: LintFinding): string {
  return `${f.severity} ${f.id} ${f.name} ${f.subject}: ${f.message}`;
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
