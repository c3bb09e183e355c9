/**
 * Lint warnings at synth: app.synth() prints the warnings each PolicyChart owns (id, subject, construct
 * path, message ending with the fix) once per app, and a strict chart (or NETPROOF_STRICT=1, which
 * `netproof synth --strict` sets) fails synth on them before anything is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowDns, AllowFrom, DefaultDeny, Endpoints, Peer, PolicyChart, Port, Selector } from '../../src';
import { MAX_PRINTED_WARNINGS, MORE_WARNINGS } from '../../src/app/_warnings';
import { STRICT_ENV } from '../../src/emit/synth';
import { STRICT_NOTE } from '../../src/report/verify/text';
import { run } from '../cli/_run';

const NP008 = 'netproof: warning NP008 selector-matches-nothing shop/api-from-web (at shop/api-from-web): spec.podSelector selects no known pod in namespace shop; '
  + 'the policy has no effect on the workloads netproof knows. Fix the selector, or declare the workload\n';
const NP005 = 'netproof: warning NP005 egress-deny-without-dns shop/web (at shop/web): pod shop/web is egress-isolated but cannot reach kube-dns, NodeLocal DNSCache '
  + 'or Cloud DNS on UDP 53, so name resolution fails. Add AllowDns (or an egress rule to k8s-app=kube-dns in kube-system on UDP and TCP 53)\n';

function shopApp(outdir: string, options: { strict?: boolean; dns?: boolean; typo?: boolean } = {}): App {
  const app = new App({ outdir });
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', ...(options.strict !== undefined ? { strict: options.strict } : {}) });
  const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, replicas: 1, containers: [{ image: 'example/web:1', portNumber: 9090 }] });
  new DefaultDeny(chart, 'default-deny');
  if (options.dns !== false) new AllowDns(chart, 'allow-dns');
  const pods = options.typo === false ? Selector.labels({}) : Selector.labels({ app: 'nothing' });
  new AllowFrom(chart, 'api-from-web', { pods, from: [Peer.workload(web)], ports: [Port.tcp(9090)] });
  return app;
}

describe('warnings at synth', () => {
  let printed: string[];
  let spy: jest.SpyInstance;
  let dir: string;
  beforeEach(() => {
    printed = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-warnings-'));
  });
  afterEach(() => {
    spy.mockRestore();
    delete process.env[STRICT_ENV];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('app.synth() prints each warning once, with its id, subject, construct path and fix, and writes the YAML', () => {
    const app = shopApp(path.join(dir, 'out'), { dns: false });
    app.synth();
    app.synthYaml(); // a second validation prints nothing new
    expect(printed.join('')).toBe(NP005 + NP008);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['shop.k8s.yaml']);
  });

  test('is quiet when there is nothing to warn about', () => {
    shopApp(path.join(dir, 'out'), { typo: false }).synth();
    expect(printed).toEqual([]);
  });

  test('fails when strict: the warnings are the errors, nothing is printed and nothing written', () => {
    const app = shopApp(path.join(dir, 'out'), { strict: true });
    expect(() => app.synth()).toThrow(`[shop] ${NP008.replace(/^netproof: warning /, '').trimEnd()} [${STRICT_NOTE}]`);
    expect(printed).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]); // cdk8s makes the folder, then validates
  });

  test(`fails when ${STRICT_ENV}=1 (netproof synth --strict) though the chart is not strict`, () => {
    process.env[STRICT_ENV] = '1';
    const app = shopApp(path.join(dir, 'out'), { strict: false });
    expect(() => app.synth()).toThrow('NP008 selector-matches-nothing shop/api-from-web (at shop/api-from-web)');
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]); // cdk8s makes the folder, then validates
  });
});

describe('did you mean, at synth', () => {
  test('a peer or an intent naming a namespace nobody declares prints the closest known names', () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-warnings-')) });
      const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
      new PolicyChart(app, 'payments', { namespace: 'payments' });
      const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, replicas: 1, podMetadata: { labels: { app: 'frontend' } }, containers: [{ image: 'example/web:1', portNumber: 8080 }] });
      new AllowDns(chart, 'dns');
      new AllowFrom(chart, 'web-from', { pods: web, from: [Peer.namespace('shpo'), Peer.pods(Selector.labels({ app: 'fronted' }))], ports: [Port.tcp(8080)] });
      chart.expect(Endpoints.namespace('paymnets')).cannotReach(web);
      app.synthYaml();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('')).toBe([
      'netproof: warning NP015 unknown-name intents[0] (at shop): intent "all pods in ns paymnets cannot reach workload shop/web on any port" names namespace "paymnets", '
        + 'which nothing declares (did you mean payments?). Fix the name, or declare what it names\n',
      'netproof: warning NP015 unknown-name shop/web-from (at shop/web-from): ingress[0].from[0] names namespace "shpo", which nothing declares (did you mean shop?). '
        + 'Fix the name, or declare the namespace (a PolicyChart, an Inventory or the cluster model file)\n',
      'netproof: warning NP016 peer-matches-nothing shop/web-from (at shop/web-from): ingress[0].from[1] (pods app=fronted in the policy\'s namespace shop) matches no known pod: '
        + 'no pod in namespace shop has app=fronted (did you mean app=frontend?). The rule allows nothing for the workloads netproof knows. Fix the selector, or declare the workload\n',
    ].join(''));
  });
});

describe('netproof verify prints the same warnings', () => {
  test('the warning synth prints is a line of verify\'s lint findings, with the same id, subject and message', async () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-warnings-'));
    try {
      const yaml = shopApp(path.join(top, 'unused')).synthYaml();
      fs.writeFileSync(path.join(top, 'app.yaml'), yaml);
      fs.writeFileSync(path.join(top, 'intents.yaml'), 'intents:\n  - from: shop/web\n    to: shop/web\n    expect: allow\n');
      const r = await run(['verify', '--cluster', path.join(top, 'app.yaml'), '--policies', path.join(top, 'app.yaml'), '--intents', path.join(top, 'intents.yaml')]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`\n${NP008.replace(/^netproof: /, '').replace(' (at shop/api-from-web)', '')}`);
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('many warnings', () => {
  test(`prints at most ${MAX_PRINTED_WARNINGS}, then one line saying where the rest are`, () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'netproof-warnings-')) });
      const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
      for (let i = 0; i < MAX_PRINTED_WARNINGS + 10; i++) new DefaultDeny(chart, `deny-${i}`, { pods: Selector.labels({ app: `nothing-${i}` }) });
      app.synthYaml();
      app.synthYaml();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    } finally {
      spy.mockRestore();
    }
    const lines = printed.join('').split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(MAX_PRINTED_WARNINGS + 1);
    expect(lines.filter((l) => l.startsWith('netproof: warning NP008 ')).length).toBe(MAX_PRINTED_WARNINGS);
    expect(`${lines[MAX_PRINTED_WARNINGS]}\n`).toBe(MORE_WARNINGS);
  });
});
