import { REACH_FORMATS, REACH_FORMATTERS, renderReach } from '../../../src/report/reach';
import { csvField } from '../../../src/report/reach/csv';
import { Endpoint, GroupPairCount, ReachMatrix } from '../../../src/verify/api';

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
  };
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

  test('summary prints the verifier summary with totals and never asks for single pairs', () => {
    const m = fakeMatrix([{ id: 'a/p' }], [], [
      { from: 'a', to: 'a', allowed: 12000, denied: 3 },
      { from: 'a', to: '(externals)', allowed: 0, denied: 7 },
    ]);
    const allowed = jest.fn(m.allowed);
    const text = renderReach({ ...m, allowed, summary: m.summary }, 'summary');
    expect(allowed).not.toHaveBeenCalled();
    expect(text.split('\n').slice(3)).toEqual([
      'from   to           allowed  denied',
      'a      a              12000       3',
      'a      (externals)        0       7',
      '-----------------------------------',
      'total                 12000      10',
      '',
    ]);
  });
});
