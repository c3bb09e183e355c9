import { because, DiffContext, DiffReport } from './_shared';
import { ReachChange, ReachDiff } from '../../analysis/diff';
import { Formatter } from '../formatter';

/**
 * JSON (stable shape):
 * `{"old","new","dataplane","networks":[...],"cluster":{"source":"file","path"}|{"source":"workloads"},
 *   "gained":[{"from","to","protocol","network","ports":[[first,last],...],"because":[...]}],"lost":[...],
 *   "summary":{"changed","gained","lost","pods","externals","classes","intervals"}}`.
 */
export function formatDiffJson(diff: ReachDiff, context: DiffContext): string {
  const change = (kind: 'gained' | 'lost') => (c: ReachChange) => ({
    from: c.from, to: c.to, protocol: c.protocol, network: c.network, ports: c.ports.map(([a, b]) => [a, b]), because: because(c, kind),
  });
  const report = {
    old: context.old,
    new: context.new,
    dataplane: diff.dataplane,
    networks: diff.networks,
    cluster: context.cluster.kind === 'file' ? { source: 'file', path: context.cluster.path }
      : context.cluster.kind === 'recorded' ? { source: 'recorded', files: context.cluster.files } : { source: 'workloads' },
    gained: diff.gained.map(change('gained')),
    lost: diff.lost.map(change('lost')),
    summary: {
      changed: diff.gained.length + diff.lost.length > 0,
      gained: diff.gained.length,
      lost: diff.lost.length,
      ...diff.stats,
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}


export const diffJsonFormatter: Formatter<DiffReport, 'json'> = {
  format: 'json',
  write: ({ diff, context }, out) => out(formatDiffJson(diff, context)),
};
