/** The intents file's Service forms: `{service: ns/name}` endpoints and `servicePort` (a port of the `to` Service). */
import { NetproofError } from '../../src/errors';
import { ServiceModel } from '../../src/model/cluster';
import { IntentServiceFix } from '../../src/parse/_intent-services';
import { parseIntents } from '../../src/parse/intents';

const SERVICES: ServiceModel[] = [
  {
    ...{ namespace: 'shop', name: 'api', type: 'ClusterIP', selector: { app: 'api' }, annotations: {} },
    ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }, { name: 'metrics', port: 9090, targetPort: 9091, protocol: 'TCP' }],
  },
  {
    ...{ namespace: 'infra', name: 'dns', type: 'ClusterIP', selector: { app: 'dns' }, annotations: {} },
    ports: [{ port: 53, targetPort: 5353, protocol: 'UDP' }, { port: 53, targetPort: 5353, protocol: 'TCP' }],
  },
  { namespace: 'shop', name: 'db', type: 'ExternalName', annotations: {}, ports: [] },
];

const NAME = { 'kubernetes.io/metadata.name': 'shop' };

function parseError(yaml: string, services: ServiceModel[] | undefined = SERVICES): string {
  try {
    parseIntents(`intents:\n  ${yaml}`, 'intents.yaml', { services });
  } catch (e) {
    expect(e).toBeInstanceOf(NetproofError);
    return (e as Error).message;
  }
  throw new Error('parsed');
}

describe('service endpoints in the intents file', () => {
  test('a service is the pods of its selector in its namespace; servicePort is its targetPort (named)', () => {
    const [i] = parseIntents('intents:\n  - {from: {namespace: shop, pods: {app: web}}, to: {service: shop/api}, servicePort: http, expect: allow}\n', 'intents.yaml', { services: SERVICES });
    expect(i.intent).toMatchObject({
      kind: 'canReach',
      target: { kind: 'pods', namespaces: { matchLabels: NAME, matchExpressions: [] }, pods: { matchLabels: { app: 'api' }, matchExpressions: [] }, text: 'service shop/api' },
      port: { protocol: 'TCP', port: 'web' },
    });
    expect(i.intent.target).not.toHaveProperty('workload');
    expect(i.name).toBe('pods app=web in ns shop can reach service shop/api on TCP port named web');
  });

  test.each([
    ['a number', '9090', { protocol: 'TCP', port: 9091 }],
    ['a name', 'metrics', { protocol: 'TCP', port: 9091 }],
    ['a number and protocol', '"9090/TCP"', { protocol: 'TCP', port: 9091 }],
  ])('servicePort as %s', (_name, text, port) => {
    const [i] = parseIntents(`- {from: {namespace: shop}, to: {service: shop/api}, servicePort: ${text}, expect: deny}\n`, 'intents.yaml', { services: SERVICES });
    expect(i.intent.port).toEqual(port);
  });

  test('onlyFrom and from: a Service as the subject and as a source', () => {
    const [i] = parseIntents('- {to: {service: infra/dns}, onlyFrom: [{service: shop/api}], servicePort: 53/UDP}\n', 'intents.yaml', { services: SERVICES });
    expect(i.intent).toMatchObject({
      kind: 'onlyReachableFrom',
      subject: { text: 'service infra/dns', pods: { matchLabels: { app: 'dns' } } },
      allowedSources: [{ text: 'service shop/api', pods: { matchLabels: { app: 'api' } } }],
      port: { protocol: 'UDP', port: 5353 },
    });
  });

  test.each([
    ['an unknown service, with did-you-mean', '- {from: shop/web, to: {service: shop/apii}, expect: allow}\n',
      `intents.yaml[document 0, line 2] intents[0].to.service: no Service shop/apii in the inputs (did you mean shop/api?). ${IntentServiceFix.unknown}`],
    ['a service that is not ns/name', '- {from: shop/web, to: {service: api}, expect: allow}\n',
      `intents.yaml[document 0, line 2] intents[0].to.service: service "api" is not of the form namespace/name. ${IntentServiceFix.service}`],
    ['a service without a selector', '- {from: shop/web, to: {service: shop/db}, expect: allow}\n',
      'intents[0].to.service: Service shop/db has no selector (type ExternalName: a DNS alias, no pods), so no pod selector stands for its pods. Select the backing pods themselves'],
    ['a missing Service port', '- {from: shop/web, to: {service: shop/api}, servicePort: htp, expect: allow}\n',
      'intents[0].servicePort: Service shop/api has no port "htp" (did you mean http?); its ports: http 80/TCP -> named port web, metrics 9090/TCP -> 9091. Give a port of the Service'],
    ['an ambiguous Service port', '- {from: shop/web, to: {service: infra/dns}, servicePort: 53, expect: allow}\n',
      'intents[0].servicePort: Service infra/dns has port 53 for UDP and TCP (53/UDP -> 5353, 53/TCP -> 5353). Name the protocol, e.g. 53/UDP'],
    ['servicePort when to is not a service', '- {from: shop/web, to: shop/api, servicePort: http, expect: allow}\n',
      `intents[0].servicePort: servicePort is given but "to" is not a Service. ${IntentServiceFix.servicePortTarget}`],
    ['port and servicePort', '- {from: shop/web, to: {service: shop/api}, port: 80, servicePort: http, expect: allow}\n',
      `intents[0].servicePort: both port and servicePort are given. ${IntentServiceFix.bothPorts}`],
    ['a bad servicePort', '- {from: shop/web, to: {service: shop/api}, servicePort: "80/ICMP", expect: allow}\n',
      'intents[0].servicePort: servicePort "80/ICMP" is not a port name or number with an optional protocol'],
    ['servicePort with isolated', '- {of: {service: shop/api}, isolated: ingress, servicePort: http}\n',
      'intents[0].servicePort: "servicePort" does not go with "isolated"'],
    ['service mixed with pods', '- {from: shop/web, to: {service: shop/api, pods: {app: api}}, expect: allow}\n',
      'intents[0].to: the endpoint mixes service, pods'],
  ])('fails for %s', (_name, yaml, message) => {
    expect(parseError(yaml)).toContain(message);
  });

  test('fails for a service when no Services are given to resolve it', () => {
    expect(() => parseIntents('- {from: shop/web, to: {service: shop/api}, expect: allow}\n', 'intents.yaml')).toThrow(`cannot be resolved here. ${IntentServiceFix.noServices}`);
    expect(parseError('- {from: shop/web, to: {service: shop/api}, expect: allow}\n', [])).toContain('no Service shop/api in the inputs (no Service is known)');
  });

  test('a file without Service forms parses as before', () => {
    const [i] = parseIntents('- {from: shop/web, to: shop/api, port: 8080, expect: allow}\n', 'intents.yaml');
    expect(i.intent).toMatchObject({ subject: { kind: 'pod' }, target: { kind: 'pod' }, port: { protocol: 'TCP', port: 8080 } });
  });
});

describe('the README\'s Service intents', () => {
  test('parse against a Service shop/api', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readme: string = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.split('`service: ns/name` is an endpoint too')[1])![1];
    const intents = parseIntents(block, 'README', { services: SERVICES });
    expect(intents.map((i) => i.name)).toEqual([
      'pods app=web in ns shop can reach service shop/api on TCP port named web',
      'service shop/api is reachable on any port only from pods app=web in ns shop',
    ]);
  });
});
