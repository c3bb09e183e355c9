import { because, describeCluster, DiffContext, DiffReport, formatPorts, NO_CHANGE } from './_shared';
import { ReachDiff } from '../../analysis/diff';
import { DEFAULT_NETWORK } from '../../model/cluster';
import { Formatter } from '../formatter';

/** Rows per section of the markdown report (a pull-request comment has a size limit). */
export const MARKDOWN_ROW_LIMIT = 100;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}

/**
 * Markdown for a pull-request comment: a heading, the inputs, the counts, then per section (gained,
 * lost) a table and the policies responsible in a collapsed `<details>` block. At most
 * MARKDOWN_ROW_LIMIT rows per section; the rest is counted.
 */
export function formatDiffMarkdown(diff: ReachDiff, context: DiffContext): string {
  const out: string[] = [
    '### netproof: reachability diff',
    '',
    `${code(context.old)} → ${code(context.new)} · dataplane \`${diff.dataplane}\` · cluster model: ${cell(describeCluster(context.cluster))}`,
    '',
  ];
  const changed = diff.gained.length + diff.lost.length > 0;
  out.push(changed ? `**${diff.gained.length} gained, ${diff.lost.length} lost**` : `**${NO_CHANGE}**`);
  const showNetwork = diff.networks.length > 1 || diff.networks[0] !== DEFAULT_NETWORK;
  for (const [title, changes] of [['Gained', diff.gained], ['Lost', diff.lost]] as const) {
    if (changes.length === 0) continue;
    const shown = changes.slice(0, MARKDOWN_ROW_LIMIT);
    const more = changes.length > shown.length ? `\n_${changes.length - shown.length} more not shown; run \`netproof diff\` for the full list._` : '';
    out.push('', `#### ${title} (${changes.length})`, '');
    out.push(`| from | to | protocol | ports |${showNetwork ? ' network |' : ''}`, `| --- | --- | --- | --- |${showNetwork ? ' --- |' : ''}`);
    for (const c of shown) {
      out.push(`| ${code(c.from)} | ${code(c.to)} | ${c.protocol} | ${formatPorts(c.ports)} |${showNetwork ? ` ${code(c.network)} |` : ''}`);
    }
    if (more) out.push(more.slice(1));
    out.push('', `<details><summary>Policies responsible (${title.toLowerCase()})</summary>`, '');
    for (const c of shown) {
      out.push(`- ${code(c.from)} → ${code(c.to)} ${c.protocol} ${formatPorts(c.ports)}${c.network === DEFAULT_NETWORK ? '' : ` on network ${code(c.network)}`}`);
      for (const b of because(c, title === 'Gained' ? 'gained' : 'lost')) out.push(`  - ${cell(b)}`);
    }
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}

export const diffMarkdownFormatter: Formatter<DiffReport, 'markdown'> = {
  format: 'markdown',
  write: ({ diff, context }, out) => out(formatDiffMarkdown(diff, context)),
};
