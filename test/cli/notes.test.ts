import { run } from './_run';
import { NoteMessages } from '../../src/cli/_notes';

/** Seven pods, five of them without an IP; one policy with an ipBlock (which matches pod IPs under upstream and calico). */
const CLUSTER = `pods:
${['a', 'b', 'c', 'd', 'e'].map((n) => `  - {namespace: shop, name: ${n}, labels: {app: ${n}}}`).join('\n')}
  - {namespace: shop, name: f, labels: {app: f}}
  - {namespace: shop, name: db, labels: {app: db}, ip: 10.0.0.9, ports: [{name: pg, port: 5432}]}
`;
const IPBLOCK = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-office, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
`;
const FILES = { 'c.yaml': CLUSTER, 'p.yaml': IPBLOCK, 'i.yaml': 'intents:\n  - {from: shop/a, to: shop/db, port: 5432, expect: allow}\n' };
const INPUTS = ['--cluster', 'c.yaml', '--policies', 'p.yaml'];
const IDS = ['shop/a', 'shop/b', 'shop/c', 'shop/d', 'shop/e', 'shop/f'];

describe('pods without an IP while an ipBlock could match them', () => {
  test('the note names at most five pods, counts the rest, and gives both fixes', () => {
    expect(NoteMessages.podsWithoutIp(IDS, 'upstream')).toBe(
      '6 pods have no IP (shop/a, shop/b, shop/c, shop/d, shop/e and 1 more): under dataplane upstream ipBlocks match pod IPs, and the results '
      + 'treat them as matching no ipBlock. Give each pod its IP (ip: in the cluster model file, status.podIP of a Pod), or use --dataplane '
      + 'dataplane-v2, where ipBlocks never match pods');
  });

  test.each([
    ['reach', ['reach', ...INPUTS, '--port', '5432']],
    ['explain', ['explain', ...INPUTS, '--from', 'shop/a', '--to', 'shop/db', '--port', '5432']],
    ['graph', ['graph', ...INPUTS]],
    ['verify', ['verify', ...INPUTS, '--intents', 'i.yaml']],
    ['calico', ['reach', ...INPUTS, '--port', '5432', '--dataplane', 'calico']],
  ])('%s prints the note on stderr', async (_, argv) => {
    const r = await run(argv, FILES);
    expect(r.stderr).toContain(`netproof: note: ${NoteMessages.podsWithoutIp(IDS, argv.includes('calico') ? 'calico' : 'upstream')}\n`);
    expect(r.stdout).not.toContain('netproof: note');
  });

  test('diff prints the note when either side has an ipBlock', async () => {
    const r = await run(['diff', 'old', 'new', '--cluster', 'c.yaml'], { 'c.yaml': CLUSTER, 'old/p.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n', 'new/p.yaml': IPBLOCK });
    expect(r.stderr).toContain(`netproof: note: ${NoteMessages.podsWithoutIp(IDS, 'upstream')}\n`);
  });

  test('no note under dataplane-v2, where ipBlocks never match pods', async () => {
    const r = await run(['reach', ...INPUTS, '--port', '5432', '--dataplane', 'dataplane-v2'], FILES);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('no note without an ipBlock', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], { 'c.yaml': CLUSTER, 'p.yaml': IPBLOCK.replace('[{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]', '[{from: [{podSelector: {}}]}]') });
    expect(r.stderr).toBe('');
  });
});
