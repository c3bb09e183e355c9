/**
 * Verifier scaling benchmark: all-pairs reachability for one port on synthetic clusters.
 * Each size runs in a fresh child process so that its peak RSS is its own.
 *   node --expose-gc -r ts-node/register/transpile-only bench/reach.ts [--quick]
 */
import { spawnSync } from 'child_process';
import { generate } from './_generate';
import { Verifier } from '../src/verify/verifier';

const SIZES: [number, number][] = [[1_000, 100], [10_000, 1_000], [100_000, 10_000]];
/** Pods come in workloads of 1-19 replicas sharing labels; `0` makes every pod its own workload (labels drawn per pod). */
const SHAPES: [string, number][] = [['workloads of 1-19 replicas', 19], ['labels drawn per pod', 0]];

interface Result {
  pods: number;
  policies: number;
  classes: number;
  buildMs: number;
  reachMs: number;
  summaryMs: number;
  totalMs: number;
  baseRssMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  allowedPairs: number;
  totalPairs: number;
}

function mib(bytes: number): number {
  return Math.round(bytes / 1048576);
}

function runOne(pods: number, policies: number, replicas: number): Result {
  const gc = (globalThis as { gc?: () => void }).gc;
  const input = generate(pods, policies, 42, replicas);
  gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const t0 = performance.now();
  const verifier = new Verifier({ policies: input.policies, cluster: input.cluster, dataplane: 'upstream' });
  const classes = verifier.stats().classes;
  const t1 = performance.now();
  sample();
  const matrix = verifier.reach({ port: 8080, protocol: 'TCP' });
  const t2 = performance.now();
  sample();
  const summary = matrix.summary();
  const t3 = performance.now();
  sample();
  let allowedPairs = 0;
  let totalPairs = 0;
  for (const row of summary) {
    if (row.from === 'externals' || row.to === 'externals') continue;
    allowedPairs += row.allowed;
    totalPairs += row.allowed + row.denied;
  }
  // The kernel's high-water mark covers moments between samples.
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  return {
    pods,
    policies,
    classes,
    buildMs: t1 - t0,
    reachMs: t2 - t1,
    summaryMs: t3 - t2,
    totalMs: t3 - t0,
    baseRssMiB: mib(base.rss),
    peakRssMiB: mib(peakRss),
    peakHeapMiB: mib(peakHeap),
    allowedPairs,
    totalPairs,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const one = args.indexOf('--one');
  if (one >= 0) {
    const [pods, policies, replicas] = args[one + 1].split('/').map(Number);
    process.stdout.write(JSON.stringify(runOne(pods, policies, replicas)));
    return;
  }
  const sizes = args.includes('--quick') ? SIZES.slice(0, 2) : SIZES;
  const header = '| pods | policies | classes | build ms | reach ms | summary ms | total ms | peak RSS MiB (input only) | peak heap MiB | allowed pod pairs |';
  for (const [shape, replicas] of SHAPES) {
    const lines = [`${shape}:`, '', header, header.replace(/[^|]/g, '-')];
    for (const [pods, policies] of sizes) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', `${pods}/${policies}/${replicas}`], {
        encoding: 'utf8', env: process.env, maxBuffer: 1 << 20,
      });
      if (child.status !== 0) {
        process.stderr.write(child.stderr);
        throw new Error(`bench ${pods}/${policies} failed with status ${child.status}`);
      }
      const r = JSON.parse(child.stdout) as Result;
      lines.push(`| ${r.pods.toLocaleString('en-US')} | ${r.policies.toLocaleString('en-US')} | ${r.classes.toLocaleString('en-US')} | ${r.buildMs.toFixed(0)} | ${r.reachMs.toFixed(0)} | ${r.summaryMs.toFixed(0)} | ${r.totalMs.toFixed(0)} | ${r.peakRssMiB} (${r.baseRssMiB}) | ${r.peakHeapMiB} | ${r.allowedPairs.toLocaleString('en-US')} of ${r.totalPairs.toLocaleString('en-US')} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
}

main();
