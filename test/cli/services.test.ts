/** Services read from the input folders as endpoints: `service:` in the intents file (verify) and in explain's flags. */
import { run } from './_run';
import { ServiceEndpointMessages } from '../../src/cli/_service-endpoints';
import { IntentServiceFix } from '../../src/parse/_intent-services';

/** shop: web (one pod), api (two replicas, container port named web = 8080); Service api: http 80 -> web. */
const CLUSTER = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api, ports: [{name: web, containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: web}]
`;

/** api admits web on its container port named web. */
const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: web}]}]
`;

const files = (intents: string) => ({ 'cluster.yaml': CLUSTER, 'policies.yaml': POLICIES, 'intents.yaml': intents });
const VERIFY = ['verify', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml', '--intents', 'intents.yaml'];
const EXPLAIN = ['explain', '--cluster', 'cluster.yaml', '--policies', 'policies.yaml'];

describe('netproof verify with Service endpoints', () => {
  test('servicePort is checked as the named targetPort; the Service port number as a pod port fails', async () => {
    const r = await run([...VERIFY, '--format', 'json'], files([
      'intents:',
      '  - {name: web reaches api, from: {namespace: shop, pods: {app: web}}, to: {service: shop/api}, servicePort: http, expect: allow}',
      '  - {name: only web, to: {service: shop/api}, onlyFrom: [{namespace: shop, pods: {app: web}}], servicePort: http, scope: existing}',
      '  - {name: port 80 is not a pod port, from: {namespace: shop, pods: {app: web}}, to: {service: shop/api}, port: 80, expect: allow}',
      '',
    ].join('\n')));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.intents.map((i: any) => [i.name, i.text, i.holds])).toEqual([
      ['web reaches api', 'pods app=web in ns shop can reach service shop/api on TCP port named web', true],
      ['only web', 'service shop/api is reachable on TCP port named web only from pods app=web in ns shop', true],
      ['port 80 is not a pod port', 'pods app=web in ns shop can reach service shop/api on TCP 80', false],
    ]);
  });

  test('an unknown Service is a clear error with did-you-mean, exit 2', async () => {
    const r = await run(VERIFY, files('intents:\n  - {from: {namespace: shop, pods: {app: web}}, to: {service: shop/apu}, expect: allow}\n'));
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `netproof: error: intents.yaml[document 0, line 2] intents[0].to.service: no Service shop/apu in the inputs (did you mean shop/api?). ${IntentServiceFix.unknown}\n`,
    });
  });
});

describe('netproof explain with service:ns/name', () => {
  test('--to service: is its first pod, --port the Service port resolved to the targetPort', async () => {
    const r = await run([...EXPLAIN, '--from', 'shop/web', '--to', 'service:shop/api', '--port', 'http'], files(''));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`netproof: note: ${ServiceEndpointMessages.chosen('--to', 'shop/api', 'shop/api', 2)}\n`);
    expect(r.stdout.split('\n')[0]).toBe('shop/web -> shop/api on TCP 8080 (network default, dataplane upstream): ALLOWED');
  });

  test('--from service: is the Service\'s pod as a source', async () => {
    const r = await run([...EXPLAIN, '--from', 'service:shop/api', '--to', 'shop/web', '--port', '80'], files(''));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('shop/api -> shop/web on TCP 80 (network default, dataplane upstream): ALLOWED');
  });

  test.each([
    ['an unknown Service', ['--from', 'shop/web', '--to', 'service:shop/apix', '--port', 'http'],
      `netproof explain --to: ${ServiceEndpointMessages.unknown('shop/apix', ['shop/api'])}`],
    ['a port the Service does not have', ['--from', 'shop/web', '--to', 'service:shop/api', '--port', '8080'],
      'netproof explain --port: Service shop/api has no port 8080/TCP; its ports: http 80/TCP -> named port web. Give a port of the Service by its name or its number'],
    ['a Service that is not ns/name', ['--from', 'shop/web', '--to', 'service:api', '--port', 'http'],
      `netproof explain --to: ${ServiceEndpointMessages.form('service:api')}`],
  ])('%s: exit 2', async (_name, args, message) => {
    const r = await run([...EXPLAIN, ...args], files(''));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('    at ');
  });
});
