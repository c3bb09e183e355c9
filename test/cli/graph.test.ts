import { execFileSync } from 'child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { captureIo, run } from './_run';
import { ArgMessages } from '../../src/cli/args';
import { GRAPH_FLAGS, GraphMessages } from '../../src/cli/graph';
import { main } from '../../src/cli/main';

const FIXTURE = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies'];

describe('netproof graph', () => {
  test('prints DOT by default, grouped by namespace with the ports on each arrow', async () => {
    const r = await run(['graph', ...FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\/\/ netproof graph: network default, dataplane upstream, all ports\ndigraph netproof \{/);
    expect(r.stdout).toContain('subgraph "cluster_ns_shop" {');
    expect(r.stdout).toContain('subgraph "cluster_externals" {');
    expect(r.stdout).toContain('"shop/frontend" -> "shop/backend" [label="TCP 80"];');
  });

  test('--format mermaid with --port draws only the pairs allowed on that port', async () => {
    const r = await run(['graph', ...FIXTURE, '--format', 'mermaid', '--port', '6379']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    n0["db"]\n');
    const edges = r.stdout.split('\n').filter((l) => l.includes('-->'));
    expect(edges.filter((l) => l.endsWith(' n0'))).toEqual(['  n1 -->|"TCP 6379"| n0', '  n2 -->|"TCP 6379"| n0', '  n3 -->|"TCP 6379"| n0']);
    expect(edges.every((l) => l.includes('|"TCP 6379"|'))).toBe(true);
    // shop/frontend (n4) reaches shop/backend (n3) only on its http port, 80.
    expect(edges).not.toContain('  n4 -->|"TCP 6379"| n3');
  });

  test('--protocol without --port covers every port of that protocol', async () => {
    const r = await run(['graph', ...FIXTURE, '--protocol', 'UDP']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"shop/frontend" -> "default/frontend" [label="UDP all"];');
    expect(r.stdout).not.toContain('TCP');
  });

  test('--format html --out writes one self-contained page and says so on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netproof-graph-'));
    try {
      const io = { ...captureIo(), cwd: process.cwd() };
      const code = await main(['graph', ...FIXTURE, '--format', 'html', '--out', join(dir, 'graph.html')], io);
      expect(code).toBe(0);
      expect(io.out.join('')).toBe('');
      expect(io.err.join('')).toBe(`netproof: wrote html graph (7 nodes, 22 arrows) to ${join(dir, 'graph.html')}\n`);
      const html = readFileSync(join(dir, 'graph.html'), 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).not.toMatch(/https?:\/\//);
      expect(readdirSync(dir)).toEqual(['graph.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails with exit 2 when --out cannot be written', async () => {
    const r = await run(['graph', ...FIXTURE, '--out', '/nonexistent-dir/graph.dot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netproof: error: netproof graph --out: cannot write \/nonexistent-dir\/graph.dot: .*Check that the folder exists and is writable\n$/);
  });

  test('fails with exit 2 for an unknown format, naming the choices', async () => {
    const r = await run(['graph', ...FIXTURE, '--format', 'png']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`netproof: error: netproof graph --format: ${ArgMessages.badEnum('png', ['dot', 'mermaid', 'html'])}\n`);
  });

  test('fails with exit 2 for a network no pod is attached to', async () => {
    const r = await run(['graph', ...FIXTURE, '--network', 'blue']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no pod of the cluster model is attached to network "blue". Use one of: default');
  });

  test('--nodes pods keeps replicas apart', async () => {
    const files = {
      'c.yaml': `namespaces: {web: {}}
pods:
  - {namespace: web, name: api-1, labels: {app: api, pod-template-hash: a}}
  - {namespace: web, name: api-2, labels: {app: api, pod-template-hash: b}}
`,
      'p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: web}\nspec: {podSelector: {}}\n',
    };
    const grouped = await run(['graph', '--cluster', 'c.yaml', '--policies', 'p.yaml'], files);
    expect(grouped.stdout).toContain('"web/api" [label="api ×2"];');
    const pods = await run(['graph', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--nodes', 'pods'], files);
    expect(pods.stdout).toContain('"web/api-1" [label="api-1"];');
    expect(pods.stdout).toContain('"web/api-2" [label="api-2"];');
  });

  test('--fold-open marks the open nodes and leaves out their every-port arrows', async () => {
    const plain = await run(['graph', ...FIXTURE]);
    const r = await run(['graph', ...FIXTURE, '--fold-open']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"myproject/client" [label="client\\n(ingress and egress open)"];');
    expect(r.stdout).toContain('those 18 arrows are not drawn.');
    expect(plain.stdout).toContain('"myproject/client" -> "default/frontend" [label="all"];');
    expect(r.stdout).not.toContain('"myproject/client" -> "default/frontend"');
    expect(r.stdout).toContain('"shop/frontend" -> "shop/backend" [label="TCP 80"];');
    expect(plain.stdout).not.toContain('open)');
  });

  test('--help lists every flag and the formats', async () => {
    const r = await run(['graph', '--help']);
    expect(r.code).toBe(0);
    for (const f of GRAPH_FLAGS) expect(r.stdout).toContain(`--${f.name} `);
    expect(r.stdout).toContain('html     one self-contained page');
  });

  test('is listed in netproof --help', async () => {
    expect((await run(['--help'])).stdout).toContain('  graph      ');
  });

  describe('--out refuses what it must not replace', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'netproof-graph-'));
      mkdirSync(join(dir, 'policies'));
      copyFileSync('test/fixtures/reach/cluster.yaml', join(dir, 'cluster.yaml'));
      for (const f of readdirSync('test/fixtures/reach/policies')) copyFileSync(join('test/fixtures/reach/policies', f), join(dir, 'policies', f));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const graph = async (out: string) => {
      const io = { ...captureIo(), cwd: dir };
      const code = await main(['graph', '--cluster', 'cluster.yaml', '--policies', 'policies', '--out', out], io);
      return { code, stdout: io.out.join(''), stderr: io.err.join('') };
    };

    test('an input file, or a manifest file inside an input folder: exit 2, the file untouched', async () => {
      const before = readFileSync(join(dir, 'cluster.yaml'), 'utf8');
      expect(await graph('cluster.yaml')).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof graph --out: ${GraphMessages.isInput('cluster.yaml')}\n` });
      expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toBe(before);
      expect((await graph('policies/graph.yaml')).stderr).toBe(`netproof: error: netproof graph --out: ${GraphMessages.isInput('policies/graph.yaml')}\n`);
      symlinkSync('cluster.yaml', join(dir, 'link.dot'));
      expect((await graph('link.dot')).stderr).toBe(`netproof: error: netproof graph --out: ${GraphMessages.isInput('link.dot')}\n`);
    });

    test('a device, a FIFO or a folder: exit 2 naming what it is (/dev/full stays a device)', async () => {
      execFileSync('mkfifo', [join(dir, 'fifo.dot')]);
      expect(await graph('fifo.dot')).toEqual({ code: 2, stdout: '', stderr: `netproof: error: netproof graph --out: ${GraphMessages.notRegular('fifo.dot', 'a FIFO (named pipe)')}\n` });
      expect((await graph('policies')).stderr).toBe(`netproof: error: netproof graph --out: ${GraphMessages.notRegular('policies', 'a folder')}\n`);
      expect((await graph('/dev/full')).stderr).toBe(`netproof: error: netproof graph --out: ${GraphMessages.notRegular('/dev/full', 'a character device')}\n`);
      expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    });

    test('a link to a file stays a link; the file it points to is replaced, no temporary file is left', async () => {
      writeFileSync(join(dir, 'real.dot'), 'old');
      symlinkSync('real.dot', join(dir, 'graph.dot'));
      expect((await graph('graph.dot')).code).toBe(0);
      expect(lstatSync(join(dir, 'graph.dot')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(dir, 'real.dot'), 'utf8')).toMatch(/^\/\/ netproof graph/);
      expect(readdirSync(dir).sort()).toEqual(['cluster.yaml', 'graph.dot', 'policies', 'real.dot']);
    });
  });
});
