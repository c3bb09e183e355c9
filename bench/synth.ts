/**
 * Synth benchmark: time (and peak RSS) to synthesize 2,000 NetworkPolicies
 *   (a) with netproof constructs (DefaultDeny / AllowFrom / AllowTo across 20 PolicyCharts), and
 *   (b) with raw `k8s.KubeNetworkPolicy` objects of the same content across 20 plain Charts.
 * Each case runs in its own child process (so peak RSS is per case), builds the app and renders its
 * YAML in memory (`app.synthYaml()`, no disk I/O), once to warm up and then RUNS times; the table shows
 * the median. Not a test.
 *
 * Run: npx ts-node --transpile-only --project tsconfig.dev.json bench/synth.ts
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, Peer, PolicyChart, Port, Selector } from '../src';

const CHARTS = 20;
const POLICIES = 2000;
const PER_CHART = POLICIES / CHARTS;
const RUNS = 5;

type CaseName = 'netproof' | 'raw';

function buildNetproof(): App {
  const app = new App({ outdir: path.join(__dirname, '..', 'bench-results', 'unused') });
  for (let c = 0; c < CHARTS; c++) {
    const chart = new PolicyChart(app, `ns-${c}`, { namespace: `ns-${c}` });
    new DefaultDeny(chart, 'default-deny');
    for (let i = 1; i < PER_CHART; i++) {
      if (i % 2 === 1) {
        new AllowFrom(chart, `svc-${i}-from-clients`, {
          pods: Selector.labels({ app: `svc-${i}` }),
          from: [Peer.pods(Selector.labels({ app: `client-${i}` })), Peer.namespace('monitoring', Selector.labels({ app: 'prometheus' }))],
          ports: [Port.tcp(8080), Port.tcp(9090)],
        });
      } else {
        new AllowTo(chart, `svc-${i}-to-db`, {
          pods: Selector.labels({ app: `svc-${i}` }),
          to: [Peer.pods(Selector.labels({ app: `db-${i}` })), Peer.cidr('10.0.0.0/8', { except: ['10.8.0.0/14'] })],
          ports: [Port.tcp(5432)],
        });
      }
    }
  }
  return app;
}

function buildRaw(): App {
  const app = new App({ outdir: path.join(__dirname, '..', 'bench-results', 'unused') });
  const port = (n: number) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(n) });
  for (let c = 0; c < CHARTS; c++) {
    const ns = `ns-${c}`;
    const chart = new Chart(app, ns, { namespace: ns, disableResourceNameHashes: true });
    new k8s.KubeNetworkPolicy(chart, 'default-deny', {
      metadata: { name: 'default-deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    for (let i = 1; i < PER_CHART; i++) {
      if (i % 2 === 1) {
        new k8s.KubeNetworkPolicy(chart, `svc-${i}-from-clients`, {
          metadata: { name: `svc-${i}-from-clients`, namespace: ns },
          spec: {
            podSelector: { matchLabels: { app: `svc-${i}` } },
            policyTypes: ['Ingress'],
            ingress: [{
              from: [
                { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
                { podSelector: { matchLabels: { app: `client-${i}` } } },
              ],
              ports: [port(8080), port(9090)],
            }],
          },
        });
      } else {
        new k8s.KubeNetworkPolicy(chart, `svc-${i}-to-db`, {
          metadata: { name: `svc-${i}-to-db`, namespace: ns },
          spec: {
            podSelector: { matchLabels: { app: `svc-${i}` } },
            policyTypes: ['Egress'],
            egress: [{
              to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.8.0.0/14'] } }, { podSelector: { matchLabels: { app: `db-${i}` } } }],
              ports: [port(5432)],
            }],
          },
        });
      }
    }
  }
  return app;
}

interface CaseResult { readonly name: CaseName; readonly policies: number; readonly ms: number; readonly peakRssMb: number; readonly bytes: number }

function runCase(name: CaseName): CaseResult {
  const build = name === 'netproof' ? buildNetproof : buildRaw;
  let yaml = build().synthYaml(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    yaml = build().synthYaml();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const policies = (yaml.match(/^kind: NetworkPolicy$/gm) ?? []).length;
  return { name, policies, ms: times[Math.floor(times.length / 2)], peakRssMb: process.resourceUsage().maxRSS / 1024, bytes: yaml.length };
}

function main(): void {
  const caseArg = process.argv.indexOf('--case');
  if (caseArg >= 0) {
    process.stdout.write(`${JSON.stringify(runCase(process.argv[caseArg + 1] as CaseName))}\n`);
    return;
  }
  const results: CaseResult[] = [];
  for (const name of ['netproof', 'raw'] as CaseName[]) {
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--case', name], {
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`bench case ${name} failed: ${child.stderr}`);
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
  }
  const lines = [
    `Synthesize ${POLICIES} NetworkPolicies in ${CHARTS} charts (median of ${RUNS} runs after a warm-up; build + render YAML in memory; node ${process.version})`,
    '',
    '| case | policies | ms | peak RSS MB |',
    '| --- | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name === 'netproof' ? 'netproof constructs (validated, model + canonical render)' : 'raw k8s.KubeNetworkPolicy'} | ${r.policies} | ${r.ms.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`),
  ];
  const [a, b] = results;
  lines.push('', `netproof / raw time: ${(a.ms / b.ms).toFixed(2)}x`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
