/**
 * End-to-end benchmark: the CLI as a user runs it, a fresh process per run, on generated files (1k, 10k and
 * 100k pods with a tenth as many policies; at 100k a ~20 MB cluster model JSON and ~5 MB of block YAML).
 * Each row has its floor: the same files read and parsed by a plain node process (JSON.parse, and the
 * fastest general YAML reader at hand, see _floor.cjs), and the ratio of the two; and the peak RSS of the
 * CLI process. Needs the compiled CLI (`lib/`): the bench task compiles first.
 *   node -r ts-node/register/transpile-only bench/e2e.ts [--quick] [--out DIR]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchFiles, writeBenchFiles } from './_files';

const REPO = path.join(__dirname, '..');
const BIN = path.join(REPO, 'bin', 'netproof');
const RSS = path.join(__dirname, '_peak-rss.cjs');
const FLOOR = path.join(__dirname, '_floor.cjs');
const SIZES: [number, number][] = [[1_000, 100], [10_000, 1_000], [100_000, 10_000]];
/** The issue's comparison: NCA v2.1.0 took 15.8 s for its analysis of five ports of 3,000 pods / 300 policies. */
const NCA_FIVE_PORTS_MS = 15_800;

interface Run {
  readonly ms: number;
  readonly status: number | null;
  readonly rssMiB: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One process: wall time, exit status, peak RSS (reported by the preloaded _peak-rss.cjs). */
function spawn(args: readonly string[], cwd: string): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', RSS, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const m = /@@peak-rss (\d+)/.exec(r.stderr);
  return { ms, status: r.status, rssMiB: m ? Math.round(Number(m[1]) / 1024) : NaN, stdout: r.stdout, stderr: r.stderr.replace(/\n@@peak-rss \d+\n$/, '') };
}

/** The median of `n` runs (by wall time); every run must exit with one of `ok`. */
function median(n: number, args: readonly string[], cwd: string, ok: readonly number[], what: string): Run {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const r = spawn(args, cwd);
    if (!ok.includes(r.status ?? -1)) throw new Error(`bench: ${what} exited ${r.status}:\n${r.stderr.slice(0, 2000)}`);
    runs.push(r);
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

interface Row {
  readonly what: string;
  readonly size: string;
  readonly run: Run;
  readonly floorMs?: number;
  readonly note?: string;
}

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const outAt = args.indexOf('--out');
  const root = outAt >= 0 ? args[outAt + 1] : path.join(os.tmpdir(), 'netproof-bench');
  if (!fs.existsSync(path.join(REPO, 'lib', 'cli', 'main.js'))) throw new Error('bench: compile first (npx projen compile)');
  const reader = spawnSync(process.execPath, [FLOOR], { encoding: 'utf8' }).stdout.trim();
  const rows: Row[] = [];
  const floor = (files: readonly string[], n: number) => median(n, [FLOOR, ...files], root, [0], 'floor').ms;
  const cli = (n: number, ok: readonly number[], ...argv: string[]) => median(n, [BIN, ...argv], root, ok, `netproof ${argv.join(' ')}`);

  // Start-up: against a bare node.
  fs.mkdirSync(root, { recursive: true });
  const tiny = writeBenchFiles(root, 10, 2);
  const bare = median(9, ['-e', ''], root, [0], 'node -e');
  rows.push({ what: 'node -e \'\' (bare start)', size: '-', run: bare });
  rows.push({ what: 'netproof --version', size: '-', run: cli(9, [0], '--version'), floorMs: bare.ms, note: 'floor: bare node' });
  const tinyReach = cli(9, [0], 'reach', '--cluster', tiny.cluster, '--policies', tiny.policies, '--port', '8080');
  rows.push({ what: 'reach (text)', size: '10 pods / 2 policies', run: tinyReach, floorMs: bare.ms, note: 'floor: bare node' });

  // Five reach processes, one port each, on 3,000 pods / 300 policies (the NCA comparison).
  const nca = writeBenchFiles(root, 3_000, 300);
  let five = 0;
  let fivePeak = 0;
  for (const [port, protocol] of [['80', 'TCP'], ['443', 'TCP'], ['8080', 'TCP'], ['9090', 'TCP'], ['53', 'UDP']]) {
    const r = cli(1, [0], 'reach', '--cluster', nca.cluster, '--policies', nca.policies, '--port', port, '--protocol', protocol, '--format', 'summary');
    five += r.ms;
    fivePeak = Math.max(fivePeak, r.rssMiB);
  }
  rows.push({
    what: 'five reach processes (summary; TCP 80, 443, 8080, 9090, UDP 53)',
    size: '3,000 pods / 300 policies',
    run: { ms: five, status: 0, rssMiB: fivePeak, stdout: '', stderr: '' },
    floorMs: 5 * floor([nca.cluster, nca.policies], 3),
    note: `${(NCA_FIVE_PORTS_MS / five).toFixed(1)}x faster than NCA v2.1.0's 15.8 s (goal: 10x)`,
  });

  for (const [pods, policies] of quick ? SIZES.slice(0, 2) : SIZES) {
    const f: BenchFiles = writeBenchFiles(root, pods, policies);
    const size = `${pods.toLocaleString('en-US')} pods / ${policies.toLocaleString('en-US')} policies (${mib(f.clusterBytes + f.policyBytes)} MB)`;
    const n = pods >= 100_000 ? 1 : 3;
    const base = floor([f.cluster, f.policies], n);
    const input = ['--cluster', f.cluster, '--policies', f.policies];
    const summary = cli(n, [0], 'reach', ...input, '--port', '8080', '--format', 'summary');
    const lines = summary.stdout.split('\n').length;
    rows.push({ what: 'reach --format summary', size, run: summary, floorMs: base, note: `${lines} lines of output (${/in (\d+) namespace/.exec(summary.stdout)?.[1]} namespaces)` });
    rows.push({ what: 'explain (one pair)', size, run: cli(n, [0], 'explain', ...input, '--from', f.from, '--to', f.to, '--port', '8080/TCP'), floorMs: base });
    const diffFloor = floor([f.cluster, f.policies, f.changed], n);
    const changed = cli(n, [0], 'diff', f.policies, f.changed, '--cluster', f.cluster);
    rows.push({ what: 'diff, one policy changed', size, run: changed, floorMs: diffFloor, note: changed.stdout.trim().split('\n').pop() });
    const reordered = cli(n, [0], 'diff', f.policies, f.reordered, '--cluster', f.cluster);
    rows.push({ what: 'diff, policies reordered', size, run: reordered, floorMs: diffFloor, note: reordered.stdout.trim().split('\n').pop() });
    rows.push({
      what: 'verify, 50 intents (known endpoints)',
      size,
      run: cli(n, [0, 1], 'verify', ...input, '--intents', f.intentsExisting),
      floorMs: floor([f.cluster, f.policies, f.intentsExisting], n),
    });
    if (pods < 100_000) {
      rows.push({
        what: 'verify, 50 intents (half of them proven for all pods)',
        size,
        run: cli(n, [0, 1], 'verify', ...input, '--intents', f.intents),
        floorMs: floor([f.cluster, f.policies, f.intents], n),
      });
      const graph = cli(n, [0], 'graph', ...input, '--nodes', 'workloads');
      rows.push({ what: 'graph --nodes workloads (dot)', size, run: graph, floorMs: base, note: `${graph.stdout.split(' -> ').length - 1} arrows` });
    }
  }

  const table = [
    `End to end (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; floor = the input read and parsed with JSON.parse and ${reader})`,
    '',
    '| command | input | ms | floor ms | ratio | peak RSS MiB | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.what} | ${r.size} | ${r.run.ms.toFixed(0)} | ${r.floorMs === undefined ? '' : r.floorMs.toFixed(0)} | `
      + `${r.floorMs === undefined ? '' : `${(r.run.ms / r.floorMs).toFixed(2)}x`} | ${r.run.rssMiB} | ${r.note ?? ''} |`),
    '',
    'Not run at 100k pods: verify with intents proven for all pods (the prover runs out of memory there), and graph (the picture of 100k pods).',
  ];
  process.stdout.write(`${table.join('\n')}\n`);
}

function mib(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

main();
