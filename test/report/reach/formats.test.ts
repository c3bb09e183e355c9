import { render } from '../../../src/report/formatter';
import { REACH_FORMATS, REACH_FORMATTERS, renderReach } from '../../../src/report/reach';
import { csvField } from '../../../src/report/reach/csv';
import { DEFAULT_SUMMARY_LIMIT, summaryFormatterWith } from '../../../src/report/reach/summary';
import { Endpoint, GroupCounts, GroupPairCount, ReachMatrix } from '../../../src/verify/api';

/** A tiny fake matrix: `allowed` from a set of `i>j` strings. */
function fakeMatrix(ids: { id: string; external?: boolean }[], allowedPairs: string[], summary: GroupPairCount[] = []): ReachMatrix {
  const endpoints: Endpoint[] = ids.map(({ id, external }) => external
    ? { kind: 'external', id, external: { name: id, ip: '192.0.2.1' } }
    : { kind: 'pod', id, pod: { namespace: id.split('/')[0], name: id.split('/')[1], labels: {}, ports: [], networks: ['default'] } });
  const set = new Set(allowedPairs);
  return {
    flow: { port: 443, protocol: 'UDP', network: 'blue' },
    dataplane: 'calico',
    endpoints,
    allowed: (i, j) => set.has(`${i}>${j}`),
    summary: () => summary,
    groupCounts: () => countsOf(summary),
  };
}

/** Group counts from summary rows: a group's size from its pairs with itself, or (externals) from a pod group's pairs with it. */
function countsOf(rows: readonly GroupPairCount[]): GroupCounts {
  const groups = [...new Set(rows.flatMap((r) => [r.from, r.to]))];
  const cell = new Map(rows.map((r) => [`${r.from}|${r.to}`, r]));
  const pairs = (r: GroupPairCount | undefined) => (r ? r.allowed + r.denied : 0);
  const own = (g: string) => Math.sqrt(pairs(cell.get(`${g}|${g}`)));
  const sizes = groups.map((g) => (cell.has(`${g}|${g}`) ? own(g) : pairs(cell.get(`${groups[0]}|${g}`)) / own(groups[0])));
  const row = (i: number, j: number) => cell.get(`${groups[i]}|${groups[j]}`);
  return { groups, sizes, allowed: (i, j) => row(i, j)?.allowed ?? 0, pairs: (i, j) => pairs(row(i, j)) };
}

describe('reach formatters', () => {
  test('every format has exactly one formatter, registered under its name', () => {
    expect(Object.keys(REACH_FORMATTERS)).toEqual([...REACH_FORMATS]);
    for (const f of REACH_FORMATS) expect(REACH_FORMATTERS[f].format).toBe(f);
  });

  test('json of an empty matrix keeps the header and an empty matrix', () => {
    const text = renderReach(fakeMatrix([], []), 'json');
    expect(text).toBe('{\n  "port": 443,\n  "protocol": "UDP",\n  "dataplane": "calico",\n  "network": "blue",\n  "matrix": {}\n}\n');
    expect(JSON.parse(text)).toEqual({ port: 443, protocol: 'UDP', dataplane: 'calico', network: 'blue', matrix: {} });
  });

  test('json takes its values from allowed(), and leaves external→external out', () => {
    const m = fakeMatrix([{ id: 'a/p' }, { id: 'x', external: true }, { id: 'y', external: true }], ['0>0', '1>0', '0>2']);
    expect(JSON.parse(renderReach(m, 'json')).matrix).toEqual({
      'a/p': { 'a/p': true, 'x': false, 'y': true },
      'x': { 'a/p': true },
      'y': { 'a/p': false },
    });
  });

  test('csv quotes fields that need it', () => {
    expect(csvField('a/b')).toBe('a/b');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    const m = fakeMatrix([{ id: 'a/p' }, { id: 'odd,name', external: true }], ['0>1']);
    expect(renderReach(m, 'csv')).toBe('from,to,allowed\na/p,a/p,false\na/p,"odd,name",true\n"odd,name",a/p,false\n');
  });

  test('text aligns two-digit column numbers', () => {
    const ids = Array.from({ length: 10 }, (_, i) => ({ id: `n/p${i}` }));
    const lines = renderReach(fakeMatrix(ids, ['9>0']), 'text').split('\n');
    expect(lines[0]).toBe('Reachability: UDP port 443 on network "blue", dataplane calico');
    expect(lines[1]).toBe('10 pods, 0 externals: 1 of 100 pairs allowed');
    expect(lines[3]).toBe('from \\ to    1  2  3  4  5  6  7  8  9 10');
    expect(lines[4]).toBe(' 1  n/p0     ·  ·  ·  ·  ·  ·  ·  ·  ·  ·');
    expect(lines[13]).toBe('10  n/p9     ✓  ·  ·  ·  ·  ·  ·  ·  ·  ·');
  });

  test('markdown escapes pipes in names', () => {
    const m = fakeMatrix([{ id: 'a/p' }, { id: 'x|y', external: true }], []);
    expect(renderReach(m, 'markdown')).toContain('| from \\ to | `a/p` | `x\\|y` _(external)_ |\n| --- | :-: | :-: |\n');
  });

  test('summary prints the totals, then the group pairs by allowed pairs, and never asks for single pairs', () => {
    const m = fakeMatrix([{ id: 'a/p' }], [], [
      { from: 'a', to: 'a', allowed: 12, denied: 4 },
      { from: 'a', to: '(externals)', allowed: 0, denied: 8 },
      { from: '(externals)', to: 'a', allowed: 6, denied: 2 },
    ]);
    const allowed = jest.fn(m.allowed);
    const text = renderReach({ ...m, allowed }, 'summary');
    expect(allowed).not.toHaveBeenCalled();
    expect(text.split('\n')).toEqual([
      'Reachability summary: UDP port 443 on network "blue", dataplane calico',
      '4 pods in 1 namespace, 2 externals: 32 ordered pairs, 18 allowed, 14 denied (a pod reaching itself counts as allowed).',
      '',
      'Pairs of source and destination namespace (all 3; externals grouped as "(externals)"):',
      'from         to           allowed  denied',
      'a            a                 12       4',
      '(externals)  a                  6       2',
      'a            (externals)        0       8',
      '',
    ]);
  });

  test('summary lists the limit of pairs with the most allowed pairs, ties in namespace order', () => {
    const rows: GroupPairCount[] = [];
    for (const from of ['a', 'b', 'c']) for (const to of ['a', 'b', 'c']) rows.push({ from, to, allowed: from === 'c' ? 1 : to === 'b' ? 3 : 2, denied: 0 });
    const text = render(summaryFormatterWith({ limit: 4 }), fakeMatrix([], [], rows));
    expect(text.split('\n').slice(3)).toEqual([
      'Pairs of source and destination namespace (the 4 with the most allowed pairs, of 9; externals grouped as "(externals)"):',
      'from  to  allowed  denied',
      'a     b         3       0',
      'b     b         3       0',
      'a     a         2       0',
      'a     c         2       0',
      '',
    ]);
    expect(render(summaryFormatterWith({ limit: 9 }), fakeMatrix([], [], rows))).toContain('(all 9; ');
    expect(DEFAULT_SUMMARY_LIMIT).toBe(50);
  });

  test('summary of nothing says so', () => {
    expect(renderReach(fakeMatrix([], [], []), 'summary')).toBe('Reachability summary: UDP port 443 on network "blue", dataplane calico\n'
      + '0 pods in 0 namespaces, 0 externals: 0 ordered pairs, 0 allowed, 0 denied (a pod reaching itself counts as allowed).\n');
  });
});
