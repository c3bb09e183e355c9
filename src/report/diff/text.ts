import { because, countLine, describeChange, DiffContext, DiffReport, headline } from './_shared';
import { ReachDiff } from '../../analysis/diff';
import { Formatter } from '../formatter';

/**
 * Text: a headline, then `+ change` for each gained and `- change` for each lost connection with its
 * reasons indented below, then a count line (or `no reachability change`).
 */
export function formatDiffText(diff: ReachDiff, context: DiffContext): string {
  const lines = [headline(diff, context)];
  for (const [sign, changes] of [['+', diff.gained], ['-', diff.lost]] as const) {
    for (const c of changes) {
      lines.push(`${sign} ${describeChange(c)}`);
      for (const b of because(c, sign === '+' ? 'gained' : 'lost')) lines.push(`    ${b}`);
    }
  }
  lines.push(countLine(diff));
  return `${lines.join('\n')}\n`;
}


export const diffTextFormatter: Formatter<DiffReport, 'text'> = {
  format: 'text',
  write: ({ diff, context }, out) => out(formatDiffText(diff, context)),
};
