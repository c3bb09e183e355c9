/**
 * Reading manifest text into located documents: JSON and YAML, the fast reader and the YAML library giving
 * the same documents and the same error locations, and the inputs that are refused (duplicate JSON keys,
 * tags that are not plain data, undefined aliases and alias bombs, nesting past the limit).
 */
import { Cursor, parseManifestText, sourceOf } from '../../src/parse/_documents';
import { fastYamlDocuments } from '../../src/parse/_fast-yaml';
import { ParseFix, ParseLimits } from '../../src/parse/messages';
import { parsePolicies } from '../../src/parse/policies';
import { errorOf } from '../_errors';
import { run } from '../cli/_run';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`;

/** A document's lines, indented for a List item. */
const indented = (text: string) => text.trimEnd().split('\n').join('\n  ');

/** The same documents, but read by the YAML library (a tab, which the fast reader leaves to it, in a last comment). */
const slow = (text: string) => `${text}# \t\n`;

describe('fast reader and YAML library read alike', () => {
  const files = [
    `${POLICY}---\n${POLICY.replace('name: p', 'name: q')}`,
    `# a comment\n---\n---\n${POLICY}`,
    `apiVersion: v1\nkind: List\nitems:\n- ${indented(POLICY)}\n-\n  ${indented(POLICY.replace('name: p', 'name: q'))}\n`,
  ];

  test.each(files.map((f, i) => [i, f]))('file %s: same values, indices and object lines', (_i, text) => {
    expect(fastYamlDocuments(text)).toBeDefined();
    expect(fastYamlDocuments(slow(text))).toBeUndefined();
    const a = parseManifestText(text, 'p.yaml');
    const b = parseManifestText(slow(text), 'p.yaml');
    expect(a.map((d) => d.value)).toEqual(b.map((d) => d.value));
    const sources = (docs: typeof a) => docs.map((d) => [d.index, sourceOf(d), sourceOf(d, 0), sourceOf(d, 1)]);
    expect(sources(a)).toEqual(sources(b));
    expect(parsePolicies(text, 'p.yaml')).toEqual(parsePolicies(slow(text), 'p.yaml'));
  });

  test('an error in a later document has the same line and written value either way', () => {
    const text = `${POLICY}---\n${POLICY.replace('name: p', 'name: q').replace('app: web', 'app: yes')}`;
    const fast = errorOf(() => parsePolicies(text, 'p.yaml')).message;
    expect(fast).toBe('p.yaml[document 1, line 20] spec.podSelector.matchLabels.app: label value must be a string, got boolean true '
      + '(written yes, which Kubernetes\' YAML 1.1 reader does not take as a string). Quote it: app: "yes"');
    expect(errorOf(() => parsePolicies(slow(text), 'p.yaml')).message).toBe(fast);
  });

  test('fields are located on demand, in the document concerned', () => {
    const [, second] = parseManifestText(`${POLICY}---\n${POLICY}`, 'p.yaml');
    const spec = Cursor.root(second).child('spec').child('podSelector').child('matchLabels').child('app');
    expect(spec.where).toBe('p.yaml[document 1, line 20]');
    expect(second.scalarSource?.(['spec', 'policyTypes', 0])).toBe('Ingress');
  });
});

describe('JSON', () => {
  test('fails when a key appears twice in one object, naming it, the line and the field', () => {
    const text = '{\n  "kind": "NetworkPolicy",\n  "spec": {\n    "policyTypes": ["Ingress"],\n    "policyTypes": ["Egress"]\n  }\n}\n';
    const e = errorOf(() => parseManifestText(text, 'p.json'));
    expect(e.message).toBe(`p.json[document 0, line 5] spec.policyTypes: invalid JSON: key "policyTypes" appears twice in one object. ${ParseFix.duplicateKey}`);
  });

  test('finds duplicates also when keys and colons are apart, or inside lists', () => {
    const e = errorOf(() => parseManifestText('{"pods": [{"name": "a"}, {"name" : "b", "name" : "c"}]}', 'c.json'));
    expect(e.message).toBe(`c.json[document 0, line 1] pods[1].name: invalid JSON: key "name" appears twice in one object. ${ParseFix.duplicateKey}`);
  });

  test('equal keys in different objects, and quotes and colons inside strings, are fine', () => {
    const text = '{"a": {"x": 1}, "b": {"x": "say \\"x\\": 1"}, "c": "{\\"a\\":1,\\"a\\":2}", "d\\\\": 1}';
    expect(parseManifestText(text, 'ok.json')[0].value).toEqual({ 'a': { x: 1 }, 'b': { x: 'say "x": 1' }, 'c': '{"a":1,"a":2}', 'd\\': 1 });
  });

  test('fails on a duplicate key through the CLI with exit 2', async () => {
    const r = await run(['reach', '--cluster', 'c.json', '--policies', 'p.yaml', '--port', '80'], {
      'c.json': '{"pods": [{"namespace": "shop", "name": "a", "name": "b"}]}',
      'p.yaml': POLICY,
    });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: c.json[document 0, line 1] pods[0].name: invalid JSON: key "name" appears twice in one object. ${ParseFix.duplicateKey}\n` });
  });
});

describe('YAML tags', () => {
  test.each([
    ['a set', '    matchLabels: !!set {app}\n', '!!set on a map', 8, 'spec.podSelector.matchLabels'],
    ['an ordered map', '    matchLabels: !!omap [{app: web}]\n', '!!omap on a list', 8, 'spec.podSelector.matchLabels'],
    ['a custom tag', '    matchLabels: {app: !web x}\n', '!web on "x"', 8, 'spec.podSelector.matchLabels.app'],
    ['a language tag', '    matchLabels: {app: !!python/object:os.system x}\n', '!!python/object:os.system on "x"', 8, 'spec.podSelector.matchLabels.app'],
    ['binary', '    matchLabels: {app: !!binary d2Vi}\n', '!!binary on "d2Vi"', 8, 'spec.podSelector.matchLabels.app'],
    ['a timestamp', '    matchLabels: {app: !!timestamp 2024-01-01}\n', '!!timestamp on "2024-01-01"', 8, 'spec.podSelector.matchLabels.app'],
  ])('fails on %s, which Kubernetes does not read as plain data', (_name, selector, what, line, field) => {
    const text = POLICY.replace('    matchLabels:\n      app: web\n', selector);
    const e = errorOf(() => parsePolicies(text, 'p.yaml'));
    expect(e.message).toBe(`p.yaml[document 0, line ${line}] ${field}: YAML tag ${what} is not plain data. ${ParseFix.yamlTag}`);
  });

  test('fails on a tagged key', () => {
    const e = errorOf(() => parsePolicies(POLICY.replace('      app: web', '      !x app: web'), 'p.yaml'));
    expect(e.message).toBe(`p.yaml[document 0, line 9] spec.podSelector.matchLabels: YAML tag !x on "app" is not plain data. ${ParseFix.yamlTag}`);
  });

  test('fails on a plain-data tag that the YAML library cannot apply as Kubernetes does', () => {
    const e = errorOf(() => parsePolicies(POLICY.replace('      app: web', '      app: !!float 1'), 'p.yaml'));
    expect(e.message).toBe(`p.yaml[document 0, line 9] spec.podSelector.matchLabels.app: YAML tag !!float on "1" is not read alike by Kubernetes and netproof. ${ParseFix.yamlTag}`);
  });

  test('the plain-data tags keep their meaning', () => {
    const [doc] = parseManifestText('a: !!str 80\nb: !!int "80"\nc: !!map {x: !!seq [!!bool yes, !!null ~, !!float 1.5]}\nd: ! 80\n', 't.yaml');
    expect(doc.value).toEqual({ a: '80', b: 80, c: { x: [true, null, 1.5] }, d: '80' });
  });
});

describe('YAML merge keys', () => {
  test('a map or an alias of one merges, as kubectl reads it', () => {
    const [doc] = parseManifestText('base: &base {a: 1}\np:\n  <<: *base\n  b: 2\nq:\n  <<: [*base, {c: 3}]\nr:\n  <<: {d: 4}\n', 't.yaml');
    expect(doc.value).toEqual({ base: { a: 1 }, p: { a: 1, b: 2 }, q: { a: 1, c: 3 }, r: { d: 4 } });
  });

  test('a merge key on anything else fails with the line and field, and exit 2', async () => {
    expect(errorOf(() => parseManifestText('apiVersion:\n  <<: 0\nkind: NetworkPolicy\n', 'm.yaml')).message)
      .toBe(`m.yaml[document 0, line 2] apiVersion["<<"]: invalid YAML: the merge key << takes a map or an alias of one, got "0". ${ParseFix.merge}`);
    expect(errorOf(() => parseManifestText('a: &a [1]\nb:\n  <<: [*a]\n', 'm.yaml')).message)
      .toBe(`m.yaml[document 0, line 3] b["<<"]: invalid YAML: the merge key << takes a map or an alias of one, got a list with a value that is not a map. ${ParseFix.merge}`);
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], {
      'c.yaml': 'pods: [{namespace: shop, name: a}]\n',
      'p.yaml': POLICY.replace('metadata:', 'metadata:\n  <<: x'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid YAML: the merge key << takes a map or an alias of one, got "x"');
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('YAML aliases', () => {
  test('an alias before its anchor fails with the line and exit 2', async () => {
    const text = POLICY.replace('      app: web', '      app: *web');
    expect(errorOf(() => parsePolicies(text, 'p.yaml')).message)
      .toBe(`p.yaml[document 0, line 9]: invalid YAML: alias *web refers to no anchor before it. ${ParseFix.alias}`);
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml'], {
      'c.yaml': 'pods: [{namespace: shop, name: a}]\n',
      'p.yaml': POLICY,
      'i.yaml': 'intents:\n- from: *nothing\n  to: shop/a\n  expect: allow\n',
    });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: i.yaml[document 0, line 2]: invalid YAML: alias *nothing refers to no anchor before it. ${ParseFix.alias}\n` });
  });

  test('an alias bomb fails with the line of its first alias', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcd'[i]}`).join(', ')}]`)].join('\n');
    expect(errorOf(() => parseManifestText(`${bomb}\n`, 'bomb.yaml')).message)
      .toBe(`bomb.yaml[document 0, line 2]: invalid YAML: its aliases expand to more than ${ParseLimits.aliases} copies (an alias bomb). ${ParseFix.aliasBomb}`);
  });

  test('ordinary anchors, aliases and merge keys still work', () => {
    expect(parseManifestText('a: &x {k: 1}\nb: *x\nc:\n  <<: *x\n  j: 2\n', 'm.yaml')[0].value).toEqual({ a: { k: 1 }, b: { k: 1 }, c: { k: 1, j: 2 } });
  });
});

describe('nesting', () => {
  test.each([
    ['nested lists', `${'- '.repeat(ParseLimits.nesting)}x\n`],
    ['nested flow lists', `a: ${'['.repeat(ParseLimits.nesting + 1)}${']'.repeat(ParseLimits.nesting + 1)}\n`],
    ['deep indentation', `b: 1\n---\n${Array.from({ length: 600 }, (_, i) => `${' '.repeat(2 * i)}k:`).join('\n')}\n`],
  ])('fails past the documented limit: %s', (_name, text) => {
    const e = errorOf(() => parseManifestText(text, 'deep.yaml'));
    expect(e.message).toMatch(new RegExp(`^deep\\.yaml\\[document \\d, line \\d+\\]: YAML nested deeper than ${ParseLimits.nesting} levels\\. `));
    expect(e.message.endsWith(ParseFix.nesting)).toBe(true);
  });

  test('the document and line of the deep part', () => {
    const text = `b: 1\n---\n${Array.from({ length: 600 }, (_, i) => `${' '.repeat(2 * i)}k:`).join('\n')}\n`;
    expect(errorOf(() => parseManifestText(text, 'deep.yaml')).message.split(':')[0]).toBe('deep.yaml[document 1, line 504]');
  });

  test('nesting within the limit reads', () => {
    expect(parseManifestText(`a: ${'['.repeat(200)}1${']'.repeat(200)}\n`, 'ok.yaml')).toHaveLength(1);
    expect(parseManifestText(`${'- '.repeat(200)}x\n`, 'ok.yaml')).toHaveLength(1);
  });
});
