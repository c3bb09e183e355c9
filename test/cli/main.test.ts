import { readFileSync } from 'fs';
import { join } from 'path';
import { captureIo, REPO, run } from './_run';
import { ArgMessages, FlagSpec, parseFlags } from '../../src/cli/args';
import { reportError } from '../../src/cli/io';
import { USAGE } from '../../src/cli/main';
import { REACH_FLAGS, REACH_USAGE, runReach } from '../../src/cli/reach';
import { NetproofError } from '../../src/errors';

describe('netproof (top level)', () => {
  test('--version prints the package version', async () => {
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help prints usage on stdout', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  test('no command prints usage on stderr and exits 2', async () => {
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: USAGE });
  });

  test('fails when the command is unknown', async () => {
    expect(await run(['reech'])).toEqual({ code: 2, stdout: '', stderr: 'netproof: error: unknown command "reech". Commands: init, import, synth, check, reach, explain, verify, diff, graph; run "netproof --help"\n' });
  });

  test('reach --help prints the reach usage, flags included', async () => {
    const r = await run(['reach', '--help']);
    expect(r).toEqual({ code: 0, stdout: REACH_USAGE, stderr: '' });
    expect(r.stdout).toContain('  --format text|json|markdown|csv|summary');
    expect(r.stdout).toContain('  --policies PATH');
  });
});

describe('parseFlags', () => {
  const specs: FlagSpec[] = [
    { name: 'file', kind: 'string', required: true, metavar: 'FILE', help: 'f' },
    { name: 'path', kind: 'repeated', metavar: 'PATH', help: 'p' },
    { name: 'port', kind: 'port', metavar: 'N', help: 'n', default: '80' },
    { name: 'mode', kind: 'enum', values: ['a', 'b'], default: 'a', metavar: 'M', help: 'm' },
    { name: 'limit', kind: 'count', metavar: 'N', help: 'l' },
  ];

  test('reads --flag value and --flag=value, repeats in order, defaults', () => {
    const f = parseFlags('x', ['--file', 'c.yaml', '--path=p1', '--path', 'p2'], specs);
    expect([f.strings.get('file'), f.lists.get('path'), f.ports.get('port'), f.strings.get('mode')]).toEqual(['c.yaml', ['p1', 'p2'], 80, 'a']);
    expect(f.counts.has('limit')).toBe(false);
    expect(parseFlags('x', ['--file', 'a', '--limit', '1000000'], specs).counts.get('limit')).toBe(1000000);
  });

  test.each([
    ['fails on an unknown flag', ['--file', 'a', '--colour', 'x'], `netproof x: ${ArgMessages.unknownFlag('--colour', 'x', ['file', 'path', 'port', 'mode', 'limit'])}`],
    ['fails on a single-dash flag', ['-f', 'a'], `netproof x: ${ArgMessages.unknownFlag('-f', 'x', ['file', 'path', 'port', 'mode', 'limit'])}`],
    ['fails when a value is missing at the end', ['--file'], 'netproof x --file: missing value. Give it as --file FILE'],
    ['fails when a value is missing before another flag', ['--file', '--port', '80'], 'netproof x --file: missing value. Give it as --file FILE'],
    ['fails on an empty --flag= value', ['--file='], 'netproof x --file: missing value. Give it as --file FILE'],
    ['fails when port is 0', ['--file', 'a', '--port', '0'], 'netproof x --port: "0" is not a port. Use a whole number between 1 and 65535, e.g. 80'],
    ['fails when port is 65536', ['--file', 'a', '--port', '65536'], 'netproof x --port: "65536" is not a port. Use a whole number between 1 and 65535, e.g. 80'],
    ['fails when port is not a number', ['--file', 'a', '--port', '8o'], 'netproof x --port: "8o" is not a port. Use a whole number between 1 and 65535, e.g. 80'],
    ['fails when port is negative', ['--file', 'a', '--port', '-1'], 'netproof x --port: "-1" is not a port. Use a whole number between 1 and 65535, e.g. 80'],
    ['fails when a count is 0', ['--file', 'a', '--limit', '0'], 'netproof x --limit: "0" is not a count. Use a whole number of at least 1, e.g. 20'],
    ['fails when a count is not a whole number', ['--file', 'a', '--limit', '2.5'], 'netproof x --limit: "2.5" is not a count. Use a whole number of at least 1, e.g. 20'],
    ['fails when a count is missing', ['--file', 'a', '--limit'], 'netproof x --limit: missing value. Give it as --limit N, e.g. --limit 20'],
    ['fails on a bad enum value', ['--file', 'a', '--mode', 'c'], 'netproof x --mode: unknown value "c". Use one of a, b'],
    ['fails when a single flag is repeated', ['--file', 'a', '--file', 'b'], 'netproof x --file: given more than once. Give --file once'],
    ['fails when a required flag is missing', ['--port', '80'], 'netproof x --file: missing required flag. Give it as --file FILE'],
    ['fails on a positional argument', ['--file', 'a', 'extra'], 'netproof x: unexpected argument "extra". netproof x takes only flags; run "netproof x --help"'],
  ])('%s', (_name, argv, message) => {
    let error: unknown;
    try {
      parseFlags('x', argv, specs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetproofError);
    expect((error as Error).message).toBe(message);
  });

  test('--help wins over every other problem', () => {
    expect(parseFlags('x', ['--colour', '--help'], specs).help).toBe(true);
  });
});

describe('error reporting', () => {
  test('a NetproofError is bad input: message on stderr, exit 2', () => {
    const io = captureIo();
    expect(reportError(new NetproofError('p.yaml[document 0]', 'bad. Fix it', 'spec'), io)).toBe(2);
    expect(io.err.join('')).toBe('netproof: error: p.yaml[document 0] spec: bad. Fix it\n');
  });

  test('an unexpected error exits 1 with its message', () => {
    const io = captureIo();
    expect(reportError(new TypeError('x is undefined'), io)).toBe(1);
    expect(io.err.join('')).toMatch(/^netproof: internal error: x is undefined\n/);
  });

  test('reach maps an unexpected verifier failure to exit 1', async () => {
    const io = captureIo();
    const argv = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies', '--port', '80'];
    let code: number;
    try {
      code = runReach(argv, io, () => { throw new TypeError('boom'); });
    } catch (e) {
      code = reportError(e, io);
    }
    expect(code).toBe(1);
    expect(io.err.join('')).toMatch(/^netproof: internal error: boom\n/);
  });

  test('REACH_FLAGS defaults match the documented ones', () => {
    expect(Object.fromEntries(REACH_FLAGS.filter((f) => f.default !== undefined).map((f) => [f.name, f.default])))
      .toEqual({ protocol: 'TCP', network: 'default', format: 'text' });
  });
});
