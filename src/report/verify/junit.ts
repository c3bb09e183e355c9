/**
 * Intents and lint findings as JUnit XML, so CI test tabs (GitHub, GitLab, Jenkins, Azure DevOps) show
 * each intent as a test case. Suite `intents`: one test case per intent, with a failure holding the
 * counterexamples when it is violated. Suite `lints`: one test case per finding, a failure for an
 * error-level finding and system-out for a warning. Pure and deterministic (no timestamps, no host names).
 */
import { VerifyReport } from './report';
import { intentFailureText } from './text';
import { Formatter } from '../formatter';

/** Text safe in XML content and attribute values: escapes markup and drops characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values keep line breaks as character references (a parser would turn raw ones into spaces). */
function attr(s: string): string {
  return xmlEscape(s).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Test case names unique within a suite: a repeated name gets ` (2)`, ` (3)`, ... */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

export function renderJunit(input: Pick<VerifyReport, 'intents' | 'findings'>): string {
  const lines: string[] = [];
  const intentNames = uniqueNames(input.intents.map((i) => i.name));
  const intentFailures = input.intents.filter((i) => !i.result.holds).length;
  const lintFailures = input.findings.filter((f) => f.severity === 'error').length;
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(`<testsuites name="netproof" tests="${input.intents.length + input.findings.length}" failures="${intentFailures + lintFailures}" errors="0">`);

  lines.push(`  <testsuite name="intents" tests="${input.intents.length}" failures="${intentFailures}" errors="0" skipped="0">`);
  input.intents.forEach((i, k) => {
    const file = i.result.intent.source?.file;
    const open = `    <testcase classname="netproof.intents" name="${attr(intentNames[k])}"${file ? ` file="${attr(file)}"` : ''}`;
    if (i.result.holds) {
      lines.push(`${open}/>`);
      return;
    }
    const message = i.result.problem ?? `${i.result.violations} of ${i.result.checked} checked pairs contradict: ${i.result.text}`;
    lines.push(`${open}>`);
    lines.push(`      <failure type="intent-violated" message="${attr(message)}">${xmlEscape(intentFailureText(i))}</failure>`);
    lines.push('    </testcase>');
  });
  lines.push('  </testsuite>');

  const lintNames = uniqueNames(input.findings.map((f) => `${f.id} ${f.name} ${f.subject}`));
  lines.push(`  <testsuite name="lints" tests="${input.findings.length}" failures="${lintFailures}" errors="0" skipped="0">`);
  input.findings.forEach((f, k) => {
    lines.push(`    <testcase classname="netproof.lints.${attr(f.id)}" name="${attr(lintNames[k])}">`);
    const text = `${f.severity} ${f.id} ${f.name} ${f.subject}: ${f.message}`;
    lines.push(f.severity === 'error'
      ? `      <failure type="${attr(f.id)}" message="${attr(f.message)}">${xmlEscape(text)}</failure>`
      : `      <system-out>${xmlEscape(text)}</system-out>`);
    lines.push('    </testcase>');
  });
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

export const junitFormatter: Formatter<VerifyReport, 'junit'> = {
  format: 'junit',
  write(report, out) {
    out(renderJunit(report));
  },
};
