import { run } from './_run';
import { NoteMessages, SKIPPED_NAMED } from '../../src/cli/_notes';
import { VerifyCliMessages } from '../../src/cli/verify';
import { IntentFileFix } from '../../src/parse/intents';

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

describe('inputs that hold nothing are said to, never passed in silence', () => {
  const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n';
  const PODS = 'pods: [{namespace: shop, name: web, labels: {app: web}, ip: 10.0.0.1, ports: [{name: http, port: 80}]}]\n';

  test('an empty policies file, a List without items, and no policy at all', async () => {
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'empty.yaml', '--policies', 'list.json', '--port', '80'],
      { 'c.yaml': PODS, 'empty.yaml': '# nothing yet\n', 'list.json': '{"apiVersion": "v1", "kind": "List", "items": []}' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`netproof: note: ${NoteMessages.emptyFiles('--policies', ['empty.yaml', 'list.json'])}\nnetproof: note: ${NoteMessages.noPolicies('--policies')}\n`);
    expect(NoteMessages.emptyFiles('--policies', ['empty.yaml'])).toBe(
      '--policies: empty.yaml holds no objects (no documents, or only Lists without items), so it adds nothing. Check that it is the file you meant');
  });

  test('a cluster without pods', async () => {
    const r = await run(['reach', '--cluster', 'c.json', '--policies', 'p.yaml', '--port', '80'], { 'c.json': '{"kind": "List", "apiVersion": "v1"}', 'p.yaml': POLICY });
    expect(r.stderr).toBe(`netproof: note: ${NoteMessages.emptyFiles('--cluster', ['c.json'])}\nnetproof: note: ${NoteMessages.noPods}\n`);
  });

  test('verify fails on an empty list of intents (exit 2)', async () => {
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml'], { 'c.yaml': PODS, 'p.yaml': POLICY, 'i.yaml': 'intents: []\n' });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `netproof: error: i.yaml[document 0, line 1] intents: the list of intents is empty, so there is nothing to verify. ${IntentFileFix.empty}\n` });
  });

  test('verify notes an intent on a port name no container has', async () => {
    const intents = 'intents:\n  - {name: typo, from: shop/web, to: shop/web, port: htpp, expect: deny, scope: existing}\n';
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml'], { 'c.yaml': PODS, 'p.yaml': POLICY, 'i.yaml': intents });
    expect(r.stderr).toContain(`netproof: note: ${VerifyCliMessages.unknownPortName('typo', 'htpp/TCP', ['http/TCP'], 'existing')}\n`);
    expect(VerifyCliMessages.unknownPortName('typo', 'htpp/TCP', ['http/TCP'], 'existing')).toBe(
      'intent "typo": port htpp/TCP names no container port of the cluster model (named ports: http/TCP), so no existing pod serves it and the intent is decided about nothing. Check the spelling');
  });

  test('dual-stack pods are named: the model knows them by status.podIP', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [] }, status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } };
    const r = await run(['reach', '--cluster', 'c.json', '--policies', 'p.yaml', '--port', '80'], { 'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod] }), 'p.yaml': POLICY });
    expect(r.stderr).toBe(`netproof: note: ${NoteMessages.dualStack([{ id: 'shop/web', modelled: '10.0.0.1', other: 'fd00::1' }])}\n`);
    expect(NoteMessages.dualStack([{ id: 'shop/web', modelled: '10.0.0.1', other: 'fd00::1' }])).toBe(
      '1 pod is dual-stack (shop/web: 10.0.0.1 and fd00::1): netproof knows a pod by one address (status.podIP), so the results take ipBlocks of the other IP family not to match it. '
      + 'Give ipBlocks for the family of status.podIP, or check such rules by hand');
  });
});

describe('skipped objects', () => {
  test('a note names up to SKIPPED_NAMED objects, and counts more per kind', async () => {
    const maps = Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: a}\n`).join('---\n');
    const r = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], { 'c.yaml': 'pods: [{namespace: a, name: p}]\n', 'p.yaml': maps });
    const note = r.stderr.split('\n').find((l) => l.includes('skipped'))!;
    expect(note).toBe('netproof: note: --policies: skipped 300 objects netproof does not model here: 300 ConfigMap (run with --verbose to name each)');
    const few = maps.split('---\n').slice(0, SKIPPED_NAMED).join('---\n');
    const r2 = await run(['reach', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--port', '80'], { 'c.yaml': 'pods: [{namespace: a, name: p}]\n', 'p.yaml': few });
    expect(r2.stderr).toContain(`skipped ${SKIPPED_NAMED} objects netproof does not model here: p.yaml#0 ConfigMap/a/c0, p.yaml#1 ConfigMap/a/c1,`);
  });
});
