/**
 * The fast YAML reader against the YAML library: on everything it accepts it must give the library's values
 * (YAML 1.1 as netproof configures it), document indices and lines; everything else it must leave to the
 * library. Checked on every YAML file of the repository, on tables of tricky scalars and shapes, and on
 * generated documents in the styles kubectl, cdk8s and people write.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { fastYamlDocuments, resolvePlain } from '../../src/parse/_fast-yaml';

const REPO = join(__dirname, '..', '..');

const KUBERNETES_YAML = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
};

interface LibraryDocument { index: number; value: unknown; line?: number; itemLines?: (number | undefined)[] }

/** What the YAML library reads (`undefined` when it reports an error): non-empty documents, their lines. */
function library(text: string): LibraryDocument[] | undefined {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: LibraryDocument[] = [];
  for (const [index, doc] of list.entries()) {
    if (doc.errors.length > 0) return undefined;
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    const line = (node: unknown) => {
      const range = (node as { range?: number[] } | null)?.range;
      return range ? counter.linePos(range[0]).line : undefined;
    };
    const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
    out.push({ index, value, line: line(doc.contents), ...(isSeq(items) ? { itemLines: items.items.map(line) } : {}) });
  }
  return out;
}

/** The fast reader's documents in the library's terms, or `undefined` when it gives up. */
function fast(text: string): LibraryDocument[] | undefined {
  return fastYamlDocuments(text)?.map((d) => ({
    index: d.index, value: d.value, line: d.line, ...(d.itemLines ? { itemLines: [...d.itemLines] } : {}),
  }));
}

/** Fast reader and library agree: same documents when the fast reader reads the text, and never a text the library rejects. */
function agrees(text: string): 'read' | 'left' {
  const mine = fast(text);
  if (mine === undefined) return 'left';
  const theirs = library(text);
  expect({ text, docs: theirs }).toEqual({ text, docs: expect.anything() });
  // Items of a flow list have no lines of their own in the fast reader; block lists must agree.
  for (const [i, d] of mine.entries()) if (d.itemLines === undefined) delete theirs![i].itemLines;
  expect({ text, docs: mine }).toEqual({ text, docs: theirs });
  return 'read';
}

describe('fast YAML reader', () => {
  test('reads every YAML file of the repository as the YAML library does', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter((f) => f !== '');
    expect(files.length).toBeGreaterThan(10);
    // Upstream conformance manifests that are Go templates (`number: {{ index .HostNetworkPorts 0 }}`) are left
    // to the library, which reads `{{ ... }}` as flow mappings; the agreement itself is checked on them too.
    const texts = files.map((f) => ({ f, text: readFileSync(join(REPO, f), 'utf8') }));
    const left = texts.filter(({ text }) => !text.includes('{{')).filter(({ text }) => agrees(text) === 'left').map(({ f }) => f);
    expect(left).toEqual([]);
    const templates = texts.filter(({ text }) => text.includes('{{'));
    expect(templates.length).toBeGreaterThan(0);
    for (const { text } of templates) expect(['left', 'read']).toContain(agrees(text));
  });

  test.each([
    'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'NO', 'on', 'On', 'ON', 'off', 'OFF', 'true', 'True', 'TRUE', 'false', 'FALSE', 'yEs', 'oN',
    '~', 'null', 'Null', 'NULL', 'nULL', '', '0', '-0', '+0', '00', '0777', '0778', '08', '0_7', '0_', '0o17', '0x1F', '0X1F', '0x', '0b101', '0b', '0b2',
    '1_000', '1__0', '_1', '12', '-12', '+12', '1.5', '-1.5', '.5', '5.', '.', '-.', '1e3', '1E3', '1.0e+3', '1e', '.inf', '-.Inf', '+.INF', '.NaN', '.nan',
    'NaN', 'inf', '1:30', '12:30:00', '2024-01-01', '2024-01-01T00:00:00Z', 'TCP', 'UDP', 'http', '80', '65535', '99999999999999999999', '0.1.2', '1-2',
    'a', 'ab', 'abcdef', 'no-way', 'nope', 'On1', '-x', '+x', '.x', '~x', 'ñ', 'Ω', '日本',
  ])('resolves the plain scalar %j as the YAML library does', (s) => {
    const [doc] = parseAllDocuments(`a: ${s}\n`, KUBERNETES_YAML) as ReturnType<typeof parseAllDocuments> & unknown[];
    const expected = (doc.toJS() as { a: unknown }).a;
    expect(resolvePlain(s)).toEqual(expected);
    expect(Object.is(resolvePlain(s), expected) || Number.isNaN(expected)).toBe(true);
  });

  test.each([
    ['block maps and kubectl lists', 'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata: {name: b}\n'],
    ['indented lists and nested lists', 'a:\n  - x\n  - - 1\n    - 2\n  -\n    k: v\n  - \n'],
    ['documents, empty ones counted', '# head\n---\na: 1\n---\n# only a comment\n---\n---\nb: 2\n--- # c\nc: 3\n'],
    ['a document without a marker, then markers', 'a: 1\n---\nb: 1\n'],
    ['quoted keys and values', '"a b": \'it\'\'s\'\n\'c\': "tab\\tx\\u00e9\\x41\\U0001F600\\\\\\"\\/"\n'],
    ['comments everywhere', '# c\na: 1 # c\n# c\nb: # c\n  # c\n  c: x#y # c\nd: "#" # c\n'],
    ['keys that resolve', 'yes: 1\nno: 2\n1: a\n1.5: b\n~: c\n0x10: d\n"yes": e\n'],
    ['flow collections', 'a: {}\nb: []\nc: [1, "x", \'y\', web:1, [a, b], {k: v}, ]\nd: {a: 1, "b": [x], c: {d: e}}\n'],
    ['literal block scalars', 'a: |\n  line 1\n\n    indented\n  # not a comment\n\nb: |-\n  x\n  y\nc: |  # c\n  z\n'],
    ['a literal block at the end without a newline', 'a: |\n  x'],
    ['IPv6 values', 'cidr: ::/0\nexcept: [fd00::/8]\nip: "fd00::1"\n'],
    ['a root list and a root scalar', '- a\n- b\n---\nhello world\n'],
    ['spaces before the colon and long spaces inside', 'a  : 1\nb:    x   y  \n'],
  ])('reads %s as the library does', (_name, text) => {
    expect(agrees(text)).toBe('read');
  });

  test.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['merge keys', 'a: &x {k: 1}\nb:\n  <<: *x\n'],
    ['tags', 'a: !!set {x}\n'],
    ['custom tags', 'a: !foo bar\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a multi-line plain scalar', 'a: hello\n  world\n'],
    ['a multi-line quoted scalar', 'a: "hello\n  world"\n'],
    ['a folded scalar', 'a: >\n  x\n'],
    ['a kept literal', 'a: |+\n  x\n\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['tabs', 'a:\tb\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['a key named like an inherited property', 'constructor: 1\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['content after the root', 'a: 1\n- b\n'],
    ['a list item on a key line', 'a: - b\n'],
    ['a deep document', `${Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
  ])('leaves %s to the YAML library', (_name, text) => {
    expect(fastYamlDocuments(text)).toBeUndefined();
  });

  test('agrees with the library on generated documents in many styles', () => {
    const seen = { read: 0, left: 0 };
    fc.assert(fc.property(yamlText(), (text) => { seen[agrees(text)]++; }), { numRuns: 3000, seed: 42 });
    // Both kinds happen: the generator writes documents the fast reader reads and documents it must leave.
    expect(seen.read).toBeGreaterThan(300);
    expect(seen.left).toBeGreaterThan(300);
  });

  test('reads the common styles itself (kubectl, cdk8s, hand-written) instead of giving up', () => {
    let read = 0;
    fc.assert(fc.property(yamlText(true), (text) => { if (agrees(text) === 'read') read++; }), { numRuns: 500, seed: 7 });
    expect(read).toBe(500);
  });
});

// ---------------------------------------------------------------------------------------------------
// Generated YAML: a tree of maps, lists and scalar tokens, rendered in randomly chosen styles.

type Tree = { kind: 'scalar'; text: string; style: 'plain' | 'single' | 'double' | 'literal' } | { kind: 'map'; entries: [Tree, Tree][] } | { kind: 'list'; items: Tree[] };

const PLAIN = ['a', 'web', 'TCP', 'http', '80', '8080', '-1', '+1', '0777', '0x1F', '1_000', '1.5', '.5', '1e3', '.inf', '-.Inf', '.NaN', 'yes', 'No', 'on', 'OFF',
  'y', 'n', '~', 'null', 'true', 'False', '1:30', '2024-01-01', 'a b', 'a  b', 'x#y', 'b :c', 'web:1', '::/0', 'fd00::/8', '10.0.0.0/8', '-x', 'café', '日本',
  'networking.k8s.io/v1', 'app.kubernetes.io/name', 'kubernetes.io/metadata.name'];
/** Tokens that are not (always) valid plain scalars: the library rejects some, and the fast reader must then give up. */
const ODD = ['', 'a: b', 'a:', '- a', '#x', '&x', '*x', '!x', '%x', '@x', '`x', '[x', '{x', ']', '}', ',x', '|', '>', '?', ':', '? x', ': x', 'a #b', "'x"];
const QUOTED = ['', 'a', "it's", 'say "hi"', 'tab\\tx', 'uni\\u00e9', 'x\\\\y', 'yes', '80', 'a: b', '#x', ' lead', 'trail '];
const KEYS = ['apiVersion', 'kind', 'name', 'app', 'ports', 'items', 'yes', 'no', 'on', '1', '0x10', '~', 'null', 'a b', 'k8s.io/x', 'x-y', 'x:y'];

function treeArb(odd: boolean): fc.Arbitrary<Tree> {
  const scalar: fc.Arbitrary<Tree> = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PLAIN, ...(odd ? ODD : [])).map((text) => ({ kind: 'scalar' as const, text, style: 'plain' as const })) },
    { weight: 2, arbitrary: fc.constantFrom(...QUOTED).map((text) => ({ kind: 'scalar' as const, text, style: 'single' as const })) },
    { weight: 2, arbitrary: fc.constantFrom(...QUOTED).map((text) => ({ kind: 'scalar' as const, text, style: 'double' as const })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('x', 'y z', '# hash', ...(odd ? ['', '  indented'] : [])), fc.array(fc.constantFrom('x', '  indented', '# hash', ''), { maxLength: 2 }))
        .map(([first, rest]) => ({ kind: 'scalar' as const, text: [first, ...rest].join('\n'), style: 'literal' as const })),
    },
  );
  const key: fc.Arbitrary<Tree> = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...KEYS).map((text) => ({ kind: 'scalar' as const, text, style: 'plain' as const })) },
    { weight: 1, arbitrary: fc.constantFrom(...KEYS, ...(odd ? ['', 'a: b', '- x', '<<'] : [])).map((text) => ({ kind: 'scalar' as const, text, style: 'double' as const })) },
  );
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.uniqueArray(fc.tuple(key, tie('tree')), { maxLength: 4, selector: ([k]) => jsKey(k as Extract<Tree, { kind: 'scalar' }>) })
        .map((entries): Tree => ({ kind: 'map', entries })),
      fc.array(tie('tree'), { maxLength: 3 }).map((items): Tree => ({ kind: 'list', items })),
    ),
  }));
  return tree;
}

/** The key a map key token becomes in JavaScript (plain keys resolve first). */
function jsKey(k: Extract<Tree, { kind: 'scalar' }>): string {
  if (k.style !== 'plain') return k.text;
  const v = resolvePlain(k.text);
  return v === null ? '' : String(v);
}

interface Style { kubectlLists: boolean; indent: number; flowEmpty: boolean; comments: boolean; compact: boolean }

const styleArb: fc.Arbitrary<Style> = fc.record({
  kubectlLists: fc.boolean(), indent: fc.constantFrom(2, 4), flowEmpty: fc.boolean(), comments: fc.boolean(), compact: fc.boolean(),
});

function scalarText(t: Extract<Tree, { kind: 'scalar' }>, indent: number): string {
  switch (t.style) {
    case 'plain': return t.text;
    case 'single': return `'${t.text.replace(/'/g, "''")}'`;
    case 'double': return `"${t.text.replace(/"/g, '\\"')}"`;
    case 'literal': return `|-\n${t.text.split('\n').map((l) => (l === '' ? '' : `${' '.repeat(indent)}${l}`)).join('\n')}`;
  }
}

/** The lines of `t` as the value of a key or list item whose own indentation is `indent`. */
function render(t: Tree, indent: number, s: Style): string[] {
  const pad = ' '.repeat(indent);
  if (t.kind === 'map') {
    if (t.entries.length === 0) return [`${pad}{}`];
    return t.entries.flatMap(([k, v]) => {
      const key = scalarText(k as Extract<Tree, { kind: 'scalar' }>, indent);
      const note = s.comments ? ' # note' : '';
      if (v.kind === 'scalar') return [`${pad}${key}: ${scalarText(v, indent + s.indent)}${v.style === 'literal' ? '' : note}`];
      if ((v.kind === 'map' && v.entries.length === 0) || (v.kind === 'list' && v.items.length === 0)) {
        return [`${pad}${key}: ${s.flowEmpty ? (v.kind === 'map' ? '{}' : '[]') : (v.kind === 'map' ? '{ }' : '[ ]')}`];
      }
      const inner = v.kind === 'list' && s.kubectlLists ? indent : indent + s.indent;
      return [`${pad}${key}:${note}`, ...(s.comments ? [`${pad}# between`] : []), ...render(v, inner, s)];
    });
  }
  if (t.kind === 'list') {
    if (t.items.length === 0) return [`${pad}[]`];
    return t.items.flatMap((item) => {
      if (item.kind === 'scalar') return [`${pad}- ${scalarText(item, indent + 2)}`];
      const lines = render(item, indent + 2, s);
      if (s.compact && lines.length > 0) return [`${pad}- ${lines[0].slice(indent + 2)}`, ...lines.slice(1)];
      return [`${pad}-`, ...lines];
    });
  }
  return [`${pad}${scalarText(t, indent + s.indent)}`];
}

function yamlText(common = false): fc.Arbitrary<string> {
  const doc = fc.tuple(treeArb(!common), styleArb).map(([t, s]) => (t.kind === 'scalar' ? `a: ${scalarText(t, 2)}\n` : `${render(t, 0, s).join('\n')}\n`));
  return fc.tuple(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.constantFrom('---\n', '--- # next\n', '\n---\n'), fc.boolean())
    .map(([docs, sep, lead]) => `${lead ? '# file\n---\n' : ''}${docs.join(sep)}`);
}
