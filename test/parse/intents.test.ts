/** The intents file: `workload: ns/name` alone names a workload of the cluster model. */
import * as fs from 'fs';
import * as path from 'path';
import { PodModel } from '../../src/model/cluster';
import { IntentFileFix, parseIntents } from '../../src/parse/intents';
import { run } from '../cli/_run';

const PODS: PodModel[] = [
  { namespace: 'shop', name: 'frontend', labels: { 'app': 'frontend', 'pod-template-hash': 'abc12' }, ports: [], networks: ['default'] },
  { namespace: 'shop', name: 'frontend#2', labels: { 'app': 'frontend', 'pod-template-hash': 'abc12' }, ports: [], networks: ['default'], replicaOf: 'frontend' },
  { namespace: 'shop', name: 'backend', labels: { app: 'backend' }, ports: [], networks: ['default'] },
];

describe('parseIntents workload: ns/name', () => {
  test('alone, it is the workload of the model: its namespace, its labels without per-pod ones, its name', () => {
    const [{ intent }] = parseIntents('intents:\n  - {from: {workload: shop/frontend}, to: {workload: shop/backend}, port: 80, expect: allow}\n', 'i.yaml', { pods: PODS });
    expect(intent.subject).toEqual({
      kind: 'pods',
      namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' }, matchExpressions: [] },
      pods: { matchLabels: { app: 'frontend' }, matchExpressions: [] },
      text: 'workload shop/frontend',
      workload: { namespace: 'shop', name: 'frontend' },
    });
    expect(intent.target).toMatchObject({ text: 'workload shop/backend', workload: { namespace: 'shop', name: 'backend' } });
  });

  test('fails on an unknown workload with the closest names', () => {
    expect(() => parseIntents('- {from: {workload: shop/fronted}, to: shop/backend, expect: allow}\n', 'i.yaml', { pods: PODS }))
      .toThrow(`i.yaml[document 0, line 1] [0].from.workload: workload "shop/fronted" is not in the cluster model (did you mean shop/frontend?). ${IntentFileFix.workload}`);
  });

  test('fails on a workload that is not namespace/name', () => {
    expect(() => parseIntents('- {from: {workload: frontend}, to: shop/backend, expect: allow}\n', 'i.yaml', { pods: PODS }))
      .toThrow(`i.yaml[document 0, line 1] [0].from.workload: workload "frontend" is not of the form namespace/name. ${IntentFileFix.workload}`);
  });

  test('without the model it still needs selectors', () => {
    expect(() => parseIntents('- {from: {workload: shop/frontend}, to: shop/backend, expect: allow}\n', 'i.yaml'))
      .toThrow('the endpoint has a workload but no selectors');
  });
});

describe('netproof verify with workload: ns/name', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'reach');
  const files = {
    'cluster.yaml': fs.readFileSync(path.join(dir, 'cluster.yaml'), 'utf8'),
    'policies/shop.yaml': fs.readFileSync(path.join(dir, 'policies', 'shop.yaml'), 'utf8'),
    'policies/test-network-policy.yaml': fs.readFileSync(path.join(dir, 'policies', 'test-network-policy.yaml'), 'utf8'),
  };
  const verify = (intents: string) => run(['verify', '--cluster', 'cluster.yaml', '--policies', 'policies', '--intents', 'intents.yaml'], { ...files, 'intents.yaml': intents });

  test('checks the intent on the named workloads', async () => {
    const r = await verify('intents:\n  - {name: frontend reaches backend, from: {workload: shop/frontend}, to: {workload: shop/backend}, port: 80/TCP, expect: allow}\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('✓ frontend reaches backend');
    expect(r.code).toBe(0);
  });

  test('exits 2 on an unknown workload, naming the closest', async () => {
    const r = await verify('intents:\n  - {from: {workload: shop/frontnd}, to: {workload: shop/backend}, expect: allow}\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('netproof: error: intents.yaml[document 0, line 2] intents[0].from.workload: workload "shop/frontnd" is not in the cluster model (did you mean shop/frontend?)');
  });
});
