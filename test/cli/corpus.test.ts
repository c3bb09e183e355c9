/**
 * The malformed-input corpus, in-process over an in-memory file system: syntax and encodings, wrong
 * types at every field of valid policies, cluster files, kubectl Lists and intents, and bad flags. Every
 * command runs on every input and must end as documented: an allowed exit code (0/2, verify also 1),
 * never an internal error or a stack trace, and quickly. (File-system entries, output targets and apps
 * are in corpus-fs.test.ts, in a process of its own so that a hang is caught.)
 */
import {
  fieldText, fileCommands, FQDN_POLICY, INTENTS, KUBECTL_LIST, misbehaviour, MODEL, pathsOf, POLICY, withValue,
} from './_corpus';
import { run } from './_run';
import { COMMANDS } from '../../src/cli/main';

/** No single run may take longer (a sign of a blow-up that a real hang would only make worse). */
const RUN_LIMIT_MS = 5000;

interface Finding {
  readonly input: string;
  readonly command: string;
  readonly problem: string;
}

/** How many runs ended with each exit code (a corpus whose inputs all fail, or all pass, tests little). */
const codes = new Map<number, number>();

/** Runs each command on `files` and collects the runs that did not end as documented. */
async function check(input: string, files: Record<string, string>, commands: [string, string[]][], out: Finding[]): Promise<void> {
  for (const [command, argv] of commands) {
    const started = Date.now();
    const r = await run(argv, files);
    const ms = Date.now() - started;
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    const error = r.stderr.split('\n').find((l) => l.startsWith('netproof: error: '));
    const problem = ms > RUN_LIMIT_MS ? `took ${ms} ms`
      : error !== undefined && error.length > 3000 ? `an error message of ${error.length} characters`
        : misbehaviour(command, r);
    if (problem !== undefined) out.push({ input, command, problem });
  }
}

const json = (v: unknown) => JSON.stringify(v, null, 1);
const BASE: Record<string, string> = {
  'c.json': json(MODEL),
  'l.json': json(KUBECTL_LIST),
  'p/p.json': json(POLICY),
  'q/f.json': json(FQDN_POLICY),
  'i.json': json(INTENTS),
};

describe('the corpus inputs start valid', () => {
  test.each([
    ['a cluster model file with a NetworkPolicy', 'c.json', 'p', []],
    ['a kubectl List with a NetworkPolicy', 'l.json', 'p', []],
    ['a cluster model file with an FQDNNetworkPolicy', 'c.json', 'q', ['--dataplane', 'dataplane-v2']],
  ])('%s: every command succeeds (verify: a violated intent at most)', async (_, cluster, policies, extra) => {
    for (const [command, argv] of fileCommands(cluster, policies, 'i.json')) {
      // import reads policies only; the dataplane is the verifying commands' flag.
      const r = await run(command === 'import' ? argv : [...argv, ...extra], BASE);
      expect({ command, code: r.code === 1 && command === 'verify' ? 0 : r.code, error: r.stderr.includes('error') ? r.stderr : '' }).toEqual({ command, code: 0, error: '' });
    }
  });
});

/** Texts that are broken YAML or JSON, or odd encodings of them. */
const TEXTS: Record<string, string> = {
  'empty': '',
  'spaces': '   \n\n',
  'separators only': '---\n---\n...\n',
  'a comment': '# nothing\n',
  'an open brace': '{',
  'a close bracket': ']',
  'an unterminated string': 'kind: "NetworkPolicy\n',
  'tab indentation': 'kind: List\nitems:\n\t- a\n',
  'a scalar': '42\n',
  'a string document': '"NetworkPolicy"\n',
  'a list document': '[1, 2, 3]\n',
  'null': 'null\n',
  'a bare key': 'kind\n',
  'duplicate keys (YAML)': 'kind: List\nkind: List\n',
  'a complex key': '? [a, b]\n: c\n',
  'NUL bytes': 'kind: "a\u0000b"\napiVersion: v1\n',
  'control characters': 'kind: \u0007\u001b[31mred\n',
  'a byte order mark in the middle': 'kind: Li\ufeffst\n',
  'lone surrogates': 'kind: "\ud800"\n',
  'CRLF line endings': 'apiVersion: v1\r\nkind: List\r\nitems: []\r\n',
  'JSON with a trailing comma': '{"kind": "List", "apiVersion": "v1", "items": [],}',
  'JSON with comments': '{"kind": "List" /* c */}',
  'two JSON documents': '{"kind": "List"}\n{"kind": "List"}\n',
  'a 1 MB scalar': `kind: ${'x'.repeat(1 << 20)}\n`,
  'a 1 MB key': `${'k'.repeat(1 << 20)}: 1\n`,
  'many documents': Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('---\n'),
  'nesting 50 deep': `kind: ${'['.repeat(50)}${']'.repeat(50)}\n`,
  'a number as a name': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: 123}\n',
  'yes and no as values': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: yes, labels: {a: no}}\n',
  'an octal-looking value': 'pods: [{namespace: shop, name: web, ip: 010.0.0.1}]\n',
  'a big integer': 'pods: [{namespace: shop, name: web, ports: [{port: 99999999999999999999}]}]\n',
  'a float port': 'pods: [{namespace: shop, name: web, ports: [{port: 80.5}]}]\n',
  'Infinity': '{"pods": [{"namespace": "shop", "name": "web", "ports": [{"port": 1e999}]}]}',
  'a List of scalars': '{"apiVersion": "v1", "kind": "List", "items": [1, "a", null, []]}',
  'a List without items': '{"apiVersion": "v1", "kind": "List"}',
  'a List with items a map': '{"apiVersion": "v1", "kind": "List", "items": {"a": 1}}',
  'a nested List': '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "List", "items": []}]}',
  'a policy-like kind typo': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolcy\nmetadata: {name: x}\nspec: {}\n',
};

describe('syntax and encodings: every command on every text, in every input role', () => {
  test.each(Object.keys(TEXTS))('%s', async (name) => {
    const text = TEXTS[name];
    const findings: Finding[] = [];
    for (const ext of ['yaml', 'json']) {
      const file = `bad.${ext}`;
      await check(`${name} as --policies (${ext})`, { ...BASE, [file]: text }, fileCommands('c.json', file, 'i.json'), findings);
      await check(`${name} as --cluster (${ext})`, { ...BASE, [file]: text }, fileCommands(file, 'p', 'i.json'), findings);
      await check(`${name} as --intents (${ext})`, { ...BASE, [file]: text }, fileCommands('c.json', 'p', file).filter(([c]) => c === 'verify'), findings);
    }
    expect(findings).toEqual([]);
  });
});

/** Wrong-typed values put at a field (and deleting it). */
const VALUES: readonly unknown[] = [undefined, null, 0, -1, 1.5, '', 'x', true, [], {}, [null], [{}], 'y'.repeat(5000)];

/**
 * For a valid input, every field gets the deletion and two of the wrong-typed values (which ones rotates
 * with the field, so every value meets many fields), and every command runs on the result.
 */
/** Where a mutated input goes: the files and the commands to run on them. */
type Placement = (text: string) => { files: Record<string, string>; commands: [string, string[]][] };

async function typeCorpus(base: unknown, place: Placement): Promise<Finding[]> {
  const findings: Finding[] = [];
  const paths = pathsOf(base);
  for (let i = 0; i < paths.length; i++) {
    for (const v of [VALUES[0], VALUES[1 + (i % (VALUES.length - 1))], VALUES[1 + ((i + 5) % (VALUES.length - 1))]]) {
      const text = JSON.stringify(withValue(base, paths[i], v));
      const { files, commands } = place(text);
      await check(`${fieldText(paths[i])} = ${v === undefined ? '(deleted)' : JSON.stringify(v).slice(0, 20)}`, files, commands, findings);
    }
  }
  return findings;
}

describe('wrong types at every field: never an internal error', () => {
  beforeAll(() => codes.clear());
  afterAll(() => {
    // Both outcomes occur: many mutations are still valid input, many are errors.
    expect(codes.get(0)).toBeGreaterThan(200);
    expect(codes.get(2)).toBeGreaterThan(200);
  });

  test('a NetworkPolicy', async () => {
    expect(await typeCorpus(POLICY, (t) => ({ files: { ...BASE, 'p/p.json': t }, commands: fileCommands('c.json', 'p', 'i.json') }))).toEqual([]);
  });

  test('an FQDNNetworkPolicy (under dataplane-v2)', async () => {
    const commands = fileCommands('c.json', 'q', 'i.json').map(([c, argv]): [string, string[]] => [c, c === 'import' ? argv : [...argv, '--dataplane', 'dataplane-v2']]);
    expect(await typeCorpus(FQDN_POLICY, (t) => ({ files: { ...BASE, 'q/f.json': t }, commands }))).toEqual([]);
  });

  test('a cluster model file', async () => {
    expect(await typeCorpus(MODEL, (t) => ({ files: { ...BASE, 'c.json': t }, commands: fileCommands('c.json', 'p', 'i.json') }))).toEqual([]);
  });

  test('a kubectl List of namespaces, workloads, pods and services', async () => {
    expect(await typeCorpus(KUBECTL_LIST, (t) => ({ files: { ...BASE, 'l.json': t }, commands: fileCommands('l.json', 'p', 'i.json') }))).toEqual([]);
  });

  test('an intents file', async () => {
    const verify = fileCommands('c.json', 'p', 'i.json').filter(([c]) => c === 'verify');
    expect(await typeCorpus(INTENTS, (t) => ({ files: { ...BASE, 'i.json': t }, commands: verify }))).toEqual([]);
  });
});

describe('flags: every command with bad flags exits 2 with a message', () => {
  const inputs = ['--cluster', 'c.json', '--policies', 'p'];
  const BAD: Record<string, string[][]> = {
    reach: [['--port', '0'], ['--port', '65536'], ['--port', '-1'], ['--port', 'abc'], ['--port', '1e3'], ['--port', ' 80'], ['--port=', '80'], ['--port', '80', '--port', '81'],
      ['--port', '80', '--format', 'xml'], ['--port', '80', '--protocol', 'tcp'], ['--port', '80', '--dataplane', 'cilium'], ['--port', '80', '--network', 'Blue'], ['--port', '80', 'extra'], ['--port', '80', '-x'], ['--port']],
    explain: [['--from', 'shop/web', '--to', 'shop/api', '--port', '80/ICMP'], ['--from', 'shop/web', '--to', 'shop/api', '--port', 'a/b/c'], ['--from', 'nobody', '--to', 'shop/api', '--port', '80'],
      ['--from', 'shop/web', '--to', 'shop/api', '--port', 'nosuch/TCP'], ['--from', 'shop/web', '--to', 'shop/api', '--port', '80-90'], ['--from', 'shop/web', '--to', `x${'y'.repeat(100000)}`, '--port', '80']],
    verify: [['--intents', 'missing.yaml'], ['--intents', 'p'], ['--intents', 'i.json', '--format', 'html']],
    graph: [['--nodes', 'all'], ['--format', 'svg'], ['--port', '0'], ['--protocol', 'ICMP']],
    diff: [[], ['only-one'], ['a', 'b', 'c'], [':dist', 'p'], ['--exit-code=1', 'p', 'p'], ['-bad', 'p'], ['p', 'p', '--format', 'html']],
    init: [['a', 'b'], ['--force']],
    import: [[], ['--bogus', 'p'], ['missing.yaml'], ['c.json']],
    synth: [['--layout', 'file'], ['--timeout', 'soon'], ['--timeout', '0'], ['--timeout', '86401'], ['--app', ''], ['--out']],
    check: [['--layout', 'x'], ['--timeout', '-5'], ['--bogus']],
  };

  test('covers every command', () => expect(Object.keys(BAD).sort()).toEqual([...COMMANDS].sort()));

  test.each(Object.keys(BAD))('%s', async (command) => {
    const findings: Finding[] = [];
    for (const extra of BAD[command]) {
      const argv = ['reach', 'explain', 'verify', 'graph'].includes(command) ? [command, ...inputs, ...extra] : [command, ...extra];
      const r = await run(argv, BASE);
      const problem = r.code !== 2 ? `exit ${r.code}: ${r.stderr.slice(0, 300)}` : misbehaviour(command, r);
      if (problem !== undefined) findings.push({ input: argv.join(' ').slice(0, 120), command, problem });
      if (r.stderr.length > 2000) findings.push({ input: argv.join(' ').slice(0, 120), command, problem: `message of ${r.stderr.length} characters` });
    }
    expect(findings).toEqual([]);
  });

  test('an unknown command, and no command', async () => {
    expect((await run(['reachh'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });
});

describe('misbehaviour', () => {
  test('catches an internal error, a stack trace, an undocumented exit code and a silent exit 2', () => {
    expect(misbehaviour('reach', { code: 1, stdout: '', stderr: 'netproof: internal error: x\n' })).toBe('exit code 1, documented: 0, 2');
    expect(misbehaviour('verify', { code: 1, stdout: '', stderr: 'netproof: internal error: x\n' })).toBe('internal error: netproof: internal error: x\n');
    expect(misbehaviour('reach', { code: 2, stdout: '', stderr: 'netproof: error: x\n    at f (a.ts:1:2)\n' })).toMatch(/^a stack trace/);
    expect(misbehaviour('reach', { code: 2, stdout: '', stderr: '' })).toMatch(/^exit 2 without an error message/);
    expect(misbehaviour('verify', { code: 1, stdout: '✗ ...', stderr: '' })).toBeUndefined();
  });
});
