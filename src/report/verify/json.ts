/** `netproof verify --format json`: `{"intents": [...], "lints": [...], "summary": {...}}`. */
import { VerifyReport } from './report';
import { Formatter } from '../formatter';

export const verifyJsonFormatter: Formatter<VerifyReport, 'json'> = {
  format: 'json',
  write(report, out) {
    const failed = report.intents.filter((i) => !i.result.holds).length;
    const json = {
      intents: report.intents.map(({ name, result: r }) => ({
        name,
        text: r.text,
        holds: r.holds,
        scope: r.scope,
        checked: r.checked,
        violations: r.violations,
        ...(r.problem ? { problem: r.problem } : {}),
        counterexamples: r.counterexamples,
      })),
      lints: report.findings,
      summary: { intents: report.intents.length, hold: report.intents.length - failed, violated: failed },
    };
    out(`${JSON.stringify(json, null, 2)}\n`);
  },
};
