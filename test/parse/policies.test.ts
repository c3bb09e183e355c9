import * as fc from 'fast-check';
import { NetworkPolicyModel, policyId } from '../../src/model/policy';
import { makeSelector, SELECT_ALL } from '../../src/model/selector';
import { objectDocuments } from '../../src/parse/_documents';
import { collectFiles, FileSystemReader } from '../../src/parse/files';
import { ParseFix } from '../../src/parse/messages';
import { policiesFromDocuments, parsePolicies, policiesFromFiles, policiesFromManifests } from '../../src/parse/policies';
import { describeSkipped } from '../../src/parse/skipped';
import { errorOf } from '../_errors';

/** A NetworkPolicy document around a spec written as indented YAML. */
function np(spec: string, meta = 'name: p\n  namespace: shop'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  ${meta}\nspec:\n${spec}`;
}

function only(text: string): NetworkPolicyModel {
  const input = parsePolicies(text, 'p.yaml');
  expect(input.policies).toHaveLength(1);
  return input.policies[0] as NetworkPolicyModel;
}


const ownPods = (labels: Record<string, string>) => ({ kind: 'pods', namespaces: { kind: 'own' }, pods: makeSelector(labels) });

describe('parsePolicies: defaults made explicit', () => {
  test.each([
    ['ingress rule without from and ports allows all peers and ports',
      '  podSelector: {}\n  ingress:\n  - {}\n',
      { policyTypes: ['Ingress'], ingress: [{ peers: 'all', ports: 'all' }], egress: [] }],
    ['empty from and ports lists mean all',
      '  podSelector: {}\n  ingress:\n  - from: []\n    ports: []\n',
      { ingress: [{ peers: 'all', ports: 'all' }] }],
    ['no ingress and no policyTypes is default deny ingress',
      '  podSelector: {}\n',
      { policyTypes: ['Ingress'], ingress: [], egress: [] }],
    ['egress rules add Egress to the defaulted policyTypes',
      '  podSelector: {}\n  egress:\n  - {}\n',
      { policyTypes: ['Ingress', 'Egress'], egress: [{ peers: 'all', ports: 'all' }] }],
    ['an empty egress list does not add Egress',
      '  podSelector: {}\n  egress: []\n',
      { policyTypes: ['Ingress'] }],
    ['an empty policyTypes list is defaulted like an absent one',
      '  podSelector: {}\n  policyTypes: []\n  egress:\n  - {}\n',
      { policyTypes: ['Ingress', 'Egress'] }],
    ['explicit policyTypes are kept (Egress only), in canonical order',
      '  podSelector: {}\n  policyTypes: [Egress]\n',
      { policyTypes: ['Egress'] }],
    ['explicit policyTypes are sorted and de-duplicated',
      '  podSelector: {}\n  policyTypes: [Egress, Ingress]\n',
      { policyTypes: ['Ingress', 'Egress'] }],
    ['protocol defaults to TCP',
      '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n',
      { ingress: [{ peers: 'all', ports: [{ protocol: 'TCP', port: 80 }] }] }],
    ['a port entry with only a protocol means every port of it',
      '  podSelector: {}\n  ingress:\n  - ports:\n    - protocol: UDP\n',
      { ingress: [{ peers: 'all', ports: [{ protocol: 'UDP' }] }] }],
    ['named ports and ranges',
      '  podSelector: {}\n  egress:\n  - ports:\n    - port: http\n    - {protocol: SCTP, port: 32000, endPort: 32768}\n',
      { egress: [{ peers: 'all', ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'SCTP', port: 32000, endPort: 32768 }] }] }],
    ['a podSelector peer means the policy namespace',
      '  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n',
      { podSelector: makeSelector({ app: 'db' }), ingress: [{ peers: [ownPods({ app: 'web' })], ports: 'all' }] }],
    ['a namespaceSelector peer selects all pods of those namespaces',
      '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n',
      { ingress: [{ peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ team: 'a' }) }, pods: SELECT_ALL }], ports: 'all' }] }],
    ['namespaceSelector with podSelector is their AND',
      '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {}\n      podSelector: {matchLabels: {app: web}}\n',
      { ingress: [{ peers: [{ kind: 'pods', namespaces: { kind: 'selector', selector: SELECT_ALL }, pods: makeSelector({ app: 'web' }) }], ports: 'all' }] }],
    ['a null podSelector is select-all',
      '  podSelector:\n',
      { podSelector: SELECT_ALL }],
    ['matchExpressions are canonical (sorted values, sorted requirements)',
      '  podSelector:\n    matchExpressions:\n    - {key: tier, operator: In, values: [b, a, a]}\n    - {key: app, operator: Exists}\n',
      { podSelector: makeSelector({}, [{ key: 'app', operator: 'Exists', values: [] }, { key: 'tier', operator: 'In', values: ['a', 'b'] }]) }],
    ['ipBlock host bits are cleared and except is canonical and sorted',
      '  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.1.2.3/8, except: [10.9.0.0/16, 10.1.0.0/16]}\n',
      { egress: [{ peers: [{ kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.9.0.0/16'] }], ports: 'all' }] }],
    ['IPv6 ipBlocks are canonical (RFC 5952)',
      '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: "2600:2D00:0001:b029:0:0:0:0/64"}\n',
      { ingress: [{ peers: [{ kind: 'ipBlock', cidr: '2600:2d00:1:b029::/64', except: [] }], ports: 'all' }] }],
  ])('%s', (_name, spec, expected) => {
    expect(only(np(spec))).toMatchObject(expected);
  });

  test('metadata, source and the network annotation are carried', () => {
    const text = `---\n${np('  podSelector: {}\n')}\n---\n${np('  podSelector: {}\n',
      'name: q\n  namespace: shop\n  labels: {team: a}\n  annotations: {networking.gke.io/network: blue-pod-network}')}`;
    const { policies } = parsePolicies(text, 'dir/p.yaml');
    expect(policies.map((p) => p.source)).toEqual([{ file: 'dir/p.yaml', index: 0, line: 2 }, { file: 'dir/p.yaml', index: 1, line: 11 }]);
    expect(policies[1]).toMatchObject({ name: 'q', namespace: 'shop', network: 'blue-pod-network', labels: { team: 'a' }, annotations: { 'networking.gke.io/network': 'blue-pod-network' } });
    expect(policies[0]).not.toHaveProperty('network');
  });

  test('a missing namespace is "default" unless the caller says otherwise', () => {
    const text = np('  podSelector: {}\n', 'name: p');
    expect(policyId(parsePolicies(text, 'p.yaml').policies[0])).toBe('default/p');
    expect(policyId(parsePolicies(text, 'p.yaml', { defaultNamespace: 'shop' }).policies[0])).toBe('shop/p');
  });

  test('the Kubernetes docs test-network-policy becomes the full model', () => {
    const text = np(`  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`, 'name: test-network-policy\n  namespace: default');
    expect(only(text)).toEqual({
      kind: 'NetworkPolicy',
      name: 'test-network-policy',
      namespace: 'default',
      labels: {},
      annotations: {},
      podSelector: makeSelector({ role: 'db' }),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        peers: [
          { kind: 'ipBlock', cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] },
          { kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ project: 'myproject' }) }, pods: SELECT_ALL },
          ownPods({ role: 'frontend' }),
        ],
        ports: [{ protocol: 'TCP', port: 6379 }],
      }],
      egress: [{ peers: [{ kind: 'ipBlock', cidr: '10.0.0.0/24', except: [] }], ports: [{ protocol: 'TCP', port: 5978 }] }],
      source: { file: 'p.yaml', index: 0, line: 1 },
    });
  });
});

describe('parsePolicies: inputs', () => {
  test('JSON files are parsed as JSON', () => {
    const obj = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'j', namespace: 'shop' }, spec: { podSelector: {} } };
    expect(parsePolicies(JSON.stringify(obj, null, 2), 'p.json').policies[0]).toMatchObject({ name: 'j', policyTypes: ['Ingress'] });
  });

  test('a List (kubectl get networkpolicies -o yaml) gives its items, with item indexes', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'shop' }, spec: { podSelector: {} } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'shop' }, spec: {} },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'b', namespace: 'shop' }, spec: { podSelector: {} } },
      ],
    };
    const input = parsePolicies(JSON.stringify(list), 'list.json');
    expect(input.policies.map((p) => [p.name, p.source])).toEqual([['a', { file: 'list.json', index: 0, item: 0, line: 1 }], ['b', { file: 'list.json', index: 0, item: 2, line: 1 }]]);
    expect(input.skipped).toEqual([{ file: 'list.json', index: 0, item: 1, apiVersion: 'v1', kind: 'Service', name: 'svc', namespace: 'shop' }]);
    expect(describeSkipped(input.skipped[0])).toBe('list.json#0 items[1] Service/shop/svc');
  });

  test('other kinds are skipped and reported, empty documents ignored', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n# only a comment\n---\n${np('  podSelector: {}\n')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n`;
    const input = parsePolicies(text, 'mixed.yaml');
    expect(input.policies).toHaveLength(1);
    expect(input.policies[0].source).toEqual({ file: 'mixed.yaml', index: 2, line: 7 });
    expect(input.skipped.map(describeSkipped)).toEqual(['mixed.yaml#0 Deployment/shop/web', 'mixed.yaml#3 ConfigMap/cfg']);
  });

  test('FQDNNetworkPolicy becomes an FqdnPolicyModel', () => {
    const text = `apiVersion: networking.gke.io/v1alpha1
kind: FQDNNetworkPolicy
metadata: {name: allow-apis, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
  - matches:
    - pattern: "*.googleapis.com"
    - name: api.example.com
    ports:
    - {protocol: TCP, port: 443}
  - matches: [{name: example.org}]
`;
    expect(parsePolicies(text, 'f.yaml').policies).toEqual([{
      kind: 'FQDNNetworkPolicy',
      name: 'allow-apis',
      namespace: 'shop',
      labels: {},
      annotations: {},
      podSelector: makeSelector({ app: 'web' }),
      egress: [
        { matches: [{ pattern: '*.googleapis.com' }, { name: 'api.example.com' }], ports: [{ protocol: 'TCP', port: 443 }] },
        { matches: [{ name: 'example.org' }], ports: 'all' },
      ],
      source: { file: 'f.yaml', index: 0, line: 1 },
    }]);
  });

  test('policiesFromManifests reads in-memory objects', () => {
    const input = policiesFromManifests([
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'm', namespace: 'shop' }, spec: { podSelector: {} } },
    ], 'generated');
    expect(input.policies[0].source).toEqual({ file: 'generated', index: 0 });
    const e = errorOf(() => policiesFromManifests([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'm' }, spec: {} }], 'generated'));
    expect(e.message).toBe(`generated[object 0] spec.podSelector: missing spec.podSelector. ${ParseFix.podSelectorRequired}`);
  });

  test('policiesFromFiles rejects a policy defined twice, naming both places', () => {
    const text = np('  podSelector: {}\n');
    const e = errorOf(() => policiesFromFiles([{ path: 'a.yaml', text }, { path: 'b.yaml', text }]));
    expect(e.message).toBe(`b.yaml[document 0, line 4] metadata.name: NetworkPolicy shop/p is defined twice (first at a.yaml[document 0, line 1]). ${ParseFix.duplicatePolicy}`);
  });
});

describe('parsePolicies: YAML read as kubectl reads it (YAML 1.1)', () => {
  test('fails when an unquoted yes is a label value, showing what was written', () => {
    const e = errorOf(() => parsePolicies(np('  podSelector:\n    matchLabels: {enabled: yes}\n'), 'p.yaml'));
    expect(e.message).toBe('p.yaml[document 0, line 8] spec.podSelector.matchLabels.enabled: label value must be a string, got boolean true (written yes, which Kubernetes\' YAML 1.1 reader does not take as a string). Quote it: enabled: "yes"');
  });

  test('merge keys work, and timestamps stay strings', () => {
    const text = `x-common: &ports
  ports: [{port: 80}]
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
  annotations: {updated: 2024-01-01T00:00:00Z}
spec:
  podSelector: {}
  ingress:
  - <<: *ports
`;
    // x-common is an unknown top-level field: merge keys are the way to share rule parts.
    expect(errorOf(() => parsePolicies(text, 'p.yaml')).field).toBe('["x-common"]');
    const ok = parsePolicies(text.replace('x-common: &ports\n  ports: [{port: 80}]\n', '').replace('  - <<: *ports\n', '  - &r {ports: [{port: 80}]}\n  - <<: *r\n'), 'p.yaml');
    const policy = ok.policies[0] as NetworkPolicyModel;
    expect(policy.annotations).toEqual({ updated: '2024-01-01T00:00:00Z' });
    expect(policy.ingress).toEqual([{ peers: 'all', ports: [{ protocol: 'TCP', port: 80 }] }, { peers: 'all', ports: [{ protocol: 'TCP', port: 80 }] }]);
  });
});

describe('collectFiles', () => {
  const tree: Record<string, string | string[]> = {
    'pol': ['b.yaml', 'a.yml', 'notes.txt', 'sub', '.hidden'],
    'pol/b.yaml': 'b',
    'pol/a.yml': 'a',
    'pol/notes.txt': 'x',
    'pol/sub': ['c.json'],
    'pol/sub/c.json': '{}',
    'pol/.hidden': ['d.yaml'],
    'pol/.hidden/d.yaml': 'd',
    'empty': ['README.md'],
    'empty/README.md': '#',
  };
  const fs: FileSystemReader = {
    kind: (p) => (tree[p] === undefined ? 'missing' : Array.isArray(tree[p]) ? 'directory' : 'file'),
    list: (p) => tree[p] as string[],
    readText: (p) => tree[p] as string,
  };

  test('a directory is its manifest files, recursively, sorted, hidden entries skipped', () => {
    expect(collectFiles('pol', fs).map((f) => f.path)).toEqual(['pol/a.yml', 'pol/b.yaml', 'pol/sub/c.json']);
  });

  test('a file is itself whatever its extension', () => {
    expect(collectFiles('pol/notes.txt', fs)).toEqual([{ path: 'pol/notes.txt', text: 'x' }]);
  });

  test('fails when the path does not exist', () => {
    expect(errorOf(() => collectFiles('nope', fs, '--policies')).message)
      .toBe('--policies nope: no such file or directory. Give the path of a YAML/JSON file or of a directory of them');
  });

  test('fails when a directory has no manifests', () => {
    expect(errorOf(() => collectFiles('empty', fs, '--policies')).message)
      .toBe('--policies empty: directory has no .yaml, .yml, .json files. Give a directory that holds manifests, or a file');
  });
});

describe('parsePolicies: errors name file, document, line, field, value and fix', () => {
  const cases: [string, string, string][] = [
    ['fails when port is 0',
      np('  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n    - port: 0\n'),
      'p.yaml[document 0, line 11] spec.ingress[0].ports[1].port: port must be between 1 and 65535, got 0. Use a port between 1 and 65535, e.g. 80'],
    ['fails when port is a quoted number',
      np('  podSelector: {}\n  ingress:\n  - ports:\n    - port: "80"\n'),
      `p.yaml[document 0, line 10] spec.ingress[0].ports[0].port: port "80" is a quoted number, which Kubernetes reads as a port name. ${ParseFix.quotedPort('80')}`],
    ['fails when a named port is not an IANA service name',
      np('  podSelector: {}\n  ingress:\n  - ports:\n    - port: HTTP\n'),
      'p.yaml[document 0, line 10] spec.ingress[0].ports[0].port: "HTTP": a port name may contain only lower case letters, digits and "-". Use the name of a container port: 1-15 lower case letters, digits and "-", with at least one letter, e.g. "http"'],
    ['fails when protocol is lower case',
      np('  podSelector: {}\n  egress:\n  - ports:\n    - protocol: tcp\n'),
      `p.yaml[document 0, line 10] spec.egress[0].ports[0].protocol: unsupported protocol "tcp". ${ParseFix.protocol}`],
    ['fails when endPort is below port',
      np('  podSelector: {}\n  egress:\n  - ports:\n    - {port: 9000, endPort: 8000}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].ports[0].endPort: endPort 8000 is less than port 9000. ${ParseFix.endPortOrder}`],
    ['fails when endPort has no port',
      np('  podSelector: {}\n  egress:\n  - ports:\n    - {endPort: 8000}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].ports[0].endPort: endPort 8000 without port. ${ParseFix.endPortNeedsPort}`],
    ['fails when endPort follows a named port',
      np('  podSelector: {}\n  egress:\n  - ports:\n    - {port: http, endPort: 8000}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].ports[0].endPort: endPort 8000 with named port "http". ${ParseFix.endPortNamed}`],
    ['fails on an unknown spec field',
      np('  podSelector: {}\n  ingres: []\n'),
      `p.yaml[document 0, line 8] spec.ingres: unknown field "ingres". ${ParseFix.unknownField(['podSelector', 'policyTypes', 'ingress', 'egress'])}`],
    ['fails on an unknown rule field',
      np('  podSelector: {}\n  ingress:\n  - to: []\n'),
      `p.yaml[document 0, line 9] spec.ingress[0].to: unknown field "to". ${ParseFix.unknownField(['from', 'ports'])}`],
    ['fails on an unknown peer field',
      np('  podSelector: {}\n  egress:\n  - to:\n    - serviceAccount: x\n'),
      `p.yaml[document 0, line 10] spec.egress[0].to[0].serviceAccount: unknown field "serviceAccount". ${ParseFix.unknownField(['podSelector', 'namespaceSelector', 'ipBlock'])}`],
    ['fails on an unknown port field',
      np('  podSelector: {}\n  egress:\n  - ports:\n    - {port: 80, name: web}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].ports[0].name: unknown field "name". ${ParseFix.unknownField(['protocol', 'port', 'endPort'])}`],
    ['fails when a peer has ipBlock and a selector',
      np('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      podSelector: {}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].to[0]: a peer has ipBlock and podSelector. ${ParseFix.peerIpBlockAndSelector}`],
    ['fails when a peer is empty',
      np('  podSelector: {}\n  egress:\n  - to:\n    - {}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].to[0]: a peer has none of podSelector, namespaceSelector, ipBlock. ${ParseFix.peerEmpty}`],
    ['fails when a rule is null',
      np('  podSelector: {}\n  ingress:\n  -\n'),
      `p.yaml[document 0, line 9] spec.ingress[0]: ingress rule is empty (null). ${ParseFix.ruleNull}`],
    ['fails on a bad CIDR',
      np('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 999.1.1.1/99}\n'),
      'p.yaml[document 0, line 10] spec.egress[0].to[0].ipBlock.cidr: invalid CIDR "999.1.1.1/99": octet 999 is greater than 255. Write an address and a prefix length, e.g. "10.0.0.0/8" or "2600:2d00:1:1::/64"'],
    ['fails on a CIDR without prefix',
      np('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.1}\n'),
      'p.yaml[document 0, line 10] spec.egress[0].to[0].ipBlock.cidr: invalid CIDR "10.0.0.1": a CIDR needs a prefix length after "/", e.g. "10.0.0.0/8" or "10.0.0.1/32". Write an address and a prefix length, e.g. "10.0.0.0/8" or "2600:2d00:1:1::/64"'],
    ['fails when except is not strictly inside cidr',
      np('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/16\n        except: [10.0.0.0/16]\n'),
      `p.yaml[document 0, line 12] spec.egress[0].to[0].ipBlock.except[0]: except "10.0.0.0/16" is not strictly inside cidr "10.0.0.0/16". ${ParseFix.exceptInside}`],
    ['fails when except is of another family',
      np('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8, except: ["fd00::/8"]}\n'),
      `p.yaml[document 0, line 10] spec.egress[0].to[0].ipBlock.except[0]: except "fd00::/8" is not strictly inside cidr "10.0.0.0/8". ${ParseFix.exceptInside}`],
    ['fails when a label value is not a string',
      np('  podSelector:\n    matchLabels: {enabled: true}\n'),
      'p.yaml[document 0, line 8] spec.podSelector.matchLabels.enabled: label value must be a string, got boolean true. Quote it: enabled: "true"'],
    ['fails on a bad label key',
      np('  podSelector:\n    matchLabels: {"-bad": x}\n'),
      'p.yaml[document 0, line 8] spec.podSelector.matchLabels["-bad"]: "-bad": the name part must consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character. Use [prefix/]name where name is at most 63 alphanumerics, "-", "_" or ".", e.g. "app" or "example.com/tier"'],
    ['fails on an unknown operator',
      np('  podSelector:\n    matchExpressions: [{key: app, operator: Equals, values: [a]}]\n'),
      `p.yaml[document 0, line 8] spec.podSelector.matchExpressions[0].operator: unsupported operator "Equals". ${ParseFix.operator}`],
    ['fails when In has no values',
      np('  podSelector:\n    matchExpressions: [{key: app, operator: In, values: []}]\n'),
      `p.yaml[document 0, line 8] spec.podSelector.matchExpressions[0].values: operator In has no values. ${ParseFix.valuesNeeded}`],
    ['fails when Exists has values',
      np('  podSelector:\n    matchExpressions: [{key: app, operator: Exists, values: [a]}]\n'),
      `p.yaml[document 0, line 8] spec.podSelector.matchExpressions[0].values: operator Exists has 1 values. ${ParseFix.valuesForbidden}`],
    ['fails on a bad policy type',
      np('  podSelector: {}\n  policyTypes: [ingress]\n'),
      `p.yaml[document 0, line 8] spec.policyTypes[0]: policy type "ingress" is not Ingress or Egress. ${ParseFix.policyTypes}`],
    ['fails when podSelector is missing',
      np('  ingress: []\n'),
      `p.yaml[document 0, line 6] spec.podSelector: missing spec.podSelector. ${ParseFix.podSelectorRequired}`],
    ['fails on a bad name',
      np('  podSelector: {}\n', 'name: Allow_All'),
      'p.yaml[document 0, line 4] metadata.name: "Allow_All": must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain). Use lower case letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. "allow-frontend"'],
    ['fails on a bad network annotation',
      np('  podSelector: {}\n', 'name: p\n  annotations: {networking.gke.io/network: Blue_Net}'),
      'p.yaml[document 0, line 5] metadata.annotations["networking.gke.io/network"]: "Blue_Net": must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain). Use a Pod-network name: lower case letters, digits, "-" and ".", e.g. "blue-pod-network"'],
    ['fails on a Calico NetworkPolicy (fail closed)',
      'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {}\n',
      `p.yaml[document 0, line 2] kind: unsupported policy kind projectcalico.org/v3 NetworkPolicy. ${ParseFix.unsupportedPolicy}`],
    ['fails on an AdminNetworkPolicy (fail closed)',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\n',
      `p.yaml[document 0, line 2] kind: unsupported policy kind policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy. ${ParseFix.unsupportedPolicy}`],
    ['fails on a document without kind',
      'apiVersion: v1\nmetadata: {name: x}\n',
      `p.yaml[document 0, line 1] kind: missing "kind". ${ParseFix.kind}`],
    ['fails on a scalar document',
      'just text\n',
      `p.yaml[document 0, line 1]: expected a map, got "just text". ${ParseFix.map}`],
    ['fails on YAML syntax errors with the line',
      `${np('  podSelector: {}\n')}\n---\nkind: [\n`,
      'p.yaml[document 1, line 11]: invalid YAML'],
    ['fails on duplicate keys',
      np('  podSelector: {}\n  podSelector: {}\n'),
      'p.yaml[document 0, line 8]: invalid YAML: Map keys must be unique. Fix the YAML syntax at that position'],
    ['fails on an FQDN match with name and pattern',
      'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f}\nspec:\n  podSelector: {}\n  egress:\n  - matches:\n    - {name: a.com, pattern: "*.a.com"}\n',
      `p.yaml[document 0, line 8] spec.egress[0].matches[0]: a match has both name and pattern. ${ParseFix.fqdnMatchOne}`],
    ['fails on the FQDN add-on schema',
      'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - fqdns: [a.com]\n',
      `p.yaml[document 0, line 7] spec.egress[0].to: unknown field "to". ${ParseFix.fqdnAddonSchema}`],
    ['fails on an FQDN rule without matches',
      'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f}\nspec:\n  podSelector: {}\n  egress:\n  - ports: [{port: 443}]\n',
      `p.yaml[document 0, line 7] spec.egress[0].matches: an FQDN egress rule has no matches. ${ParseFix.fqdnMatchesRequired}`],
    ['fails on an FQDN named port',
      'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f}\nspec:\n  podSelector: {}\n  egress:\n  - matches: [{name: a.com}]\n    ports: [{port: https}]\n',
      `p.yaml[document 0, line 8] spec.egress[0].ports[0].port: named port "https". ${ParseFix.fqdnPortNumber}`],
    ['fails on an FQDN policy scoped to a network',
      'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata:\n  name: f\n  annotations: {networking.gke.io/network: blue}\nspec:\n  podSelector: {}\n',
      `p.yaml[document 0, line 5] metadata.annotations["networking.gke.io/network"]: FQDNNetworkPolicy default/f has a network annotation. ${ParseFix.fqdnNetwork}`],
  ];
  test.each(cases)('%s', (_name, text, message) => {
    const e = errorOf(() => parsePolicies(text, 'p.yaml'));
    if (message.endsWith(': invalid YAML')) expect(e.message.slice(0, message.length)).toBe(message);
    else expect(e.message).toBe(message);
  });

  test('the second document of a file is named as document 1', () => {
    const text = `${np('  podSelector: {}\n')}\n---\n${np('  podSelector: {}\n  ingress:\n  - ports: [{port: 70000}]\n', 'name: q')}`;
    const e = errorOf(() => parsePolicies(text, 'multi.yaml'));
    expect(e.where).toBe('multi.yaml[document 1, line 17]');
    expect(e.field).toBe('spec.ingress[0].ports[0].port');
    expect(e.reason).toBe('port must be between 1 and 65535, got 70000. Use a port between 1 and 65535, e.g. 80');
  });

  test('a List in a later document: the source keeps the document index and the item index apart', () => {
    const item = (name: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec: { podSelector: {} } });
    const text = `${np('  podSelector: {}\n')}\n---\n${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [item('a'), item('b')] })}\n`;
    expect(parsePolicies(text, 'two.yaml').policies.map((p) => [p.name, p.source])).toEqual([
      ['p', { file: 'two.yaml', index: 0, line: 1 }], ['a', { file: 'two.yaml', index: 1, item: 0, line: 10 }], ['b', { file: 'two.yaml', index: 1, item: 1, line: 10 }],
    ]);
  });

  test('errors inside a List name the item', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] } }] };
    const e = errorOf(() => parsePolicies(JSON.stringify(list, null, 2), 'list.json'));
    expect(e.message).toBe('list.json[document 0, line 17] items[0].spec.ingress[0].ports[0].port: port must be between 1 and 65535, got 0. Use a port between 1 and 65535, e.g. 80');
  });

  test('invalid JSON names the file', () => {
    expect(errorOf(() => parsePolicies('{"kind": ', 'bad.json')).message).toMatch(/^bad\.json: invalid JSON: .*Fix the JSON syntax/);
  });
});

describe('parsePolicies: kinds that restrict traffic and typos of policy kinds fail closed', () => {
  const doc = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: shop}\nspec: {}\n`;

  test.each([
    ['k8s.ovn.org/v1', 'EgressFirewall'],
    ['network.openshift.io/v1', 'EgressNetworkPolicy'],
    ['security.istio.io/v1', 'AuthorizationPolicy'],
    ['security.istio.io/v1', 'PeerAuthentication'],
    ['policy.linkerd.io/v1beta1', 'ServerAuthorization'],
    ['policy.linkerd.io/v1beta3', 'Server'],
    ['networking.istio.io/v1', 'Sidecar'],
    ['kuma.io/v1alpha1', 'MeshTrafficPermission'],
    ['consul.hashicorp.com/v1alpha1', 'ServiceIntentions'],
  ])('%s %s is an error, not a skip', (apiVersion, kind) => {
    expect(errorOf(() => parsePolicies(doc(apiVersion, kind), 'p.yaml')).message)
      .toBe(`p.yaml[document 0, line 2] kind: unsupported policy kind ${apiVersion} ${kind}. ${ParseFix.unsupportedPolicy}`);
  });

  test.each([
    ['NetworkPolcy', 'NetworkPolicy'],
    ['networkpolicy', 'NetworkPolicy'],
    ['NetworkPolicies', 'NetworkPolicy'],
    ['FQDNNetworkPolicie', 'FQDNNetworkPolicy'],
    ['fqdnnetworkpolicy', 'FQDNNetworkPolicy'],
    ['AuthorisationPolicy', 'AuthorizationPolicy'],
    ['Egressfirewall', 'EgressFirewall'],
  ])('the typo %s is an error with a did-you-mean (%s)', (typo, meant) => {
    expect(errorOf(() => parsePolicies(doc('networking.k8s.io/v1', typo), 'p.yaml')).message)
      .toBe(`p.yaml[document 0, line 2] kind: unknown kind "${typo}" (did you mean ${meant}?). ${ParseFix.kindTypo(meant)}`);
  });

  test('ordinary kinds are still skipped and reported', () => {
    const text = ['apps/v1 Deployment', 'v1 Service', 'v1 ConfigMap', 'policy/v1 PodDisruptionBudget', 'networking.k8s.io/v1 Ingress', 'v1 ServiceAccount', 'networking.istio.io/v1 VirtualService']
      .map((k) => doc(k.split(' ')[0], k.split(' ')[1])).join('---\n');
    expect(parsePolicies(text, 'p.yaml').skipped.map((s) => s.kind))
      .toEqual(['Deployment', 'Service', 'ConfigMap', 'PodDisruptionBudget', 'Ingress', 'ServiceAccount', 'VirtualService']);
  });
});

describe('NetworkPolicies: the quick path and the cursor path agree', () => {
  const pick = <T>(good: T, ...bad: unknown[]) => fc.oneof(
    { weight: 6, arbitrary: fc.constant<unknown>(good) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(...bad) });
  const selector = fc.oneof(
    fc.constantFrom<unknown>(undefined, null, {}, { matchLabels: { app: 'web' } }, { matchLabels: { app: 'web', tier: 'db' } }),
    fc.record({
      matchLabels: pick({ app: 'web' }, { app: 7 }, { 'bad key!': 'x' }, { app: 'yes no' }, []),
      matchExpressions: pick([{ key: 'env', operator: 'NotIn', values: ['dev'] }],
        [{ key: 'env', operator: 'In', values: [] }], [{ key: 'env', operator: 'Exists', values: ['x'] }], [{ key: 'env', operator: 'Gt', values: ['1'] }],
        [{ key: 'env', operator: 'Exists' }], [{ operator: 'Exists' }], [{ key: 'env', operator: 'In', values: ['a', 'b', 'a'] }], [null], 'x'),
      extra: fc.constantFrom<unknown>(undefined, undefined, 1),
    }, { requiredKeys: [] }),
  );
  const port = fc.record({
    protocol: fc.constantFrom<unknown>(undefined, 'TCP', 'UDP', 'SCTP', 'tcp', 'ICMP', null),
    port: fc.constantFrom<unknown>(undefined, 80, 0, 70000, 'http', 'HTTP', '80', 8.5, null),
    endPort: fc.constantFrom<unknown>(undefined, undefined, undefined, 90, 70, '90', null),
  }, { requiredKeys: [] });
  const peer = fc.oneof(
    fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }),
    fc.record({
      ipBlock: fc.record({
        cidr: pick('10.0.0.0/8', '10.0.0.0/33', '10.0.0.1', 7, 'fd00::/8'),
        except: fc.constantFrom<unknown>(undefined, ['10.1.0.0/16', '10.1.0.0/16'], ['10.0.0.0/8'], ['11.0.0.0/16'], ['10.2.0.0/16', '10.1.0.0/16'], 'x'),
      }, { requiredKeys: [] }),
      podSelector: fc.constantFrom<unknown>(undefined, undefined, {}),
    }, { requiredKeys: ['ipBlock'] }),
    fc.constantFrom<unknown>(null, {}, 'x'),
  );
  const rule = (key: 'from' | 'to') => fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        [key]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
        ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
      }, { requiredKeys: [] }),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, { peers: [] }, 'x') },
  );
  const policy = fc.record({
    apiVersion: fc.constant('networking.k8s.io/v1'),
    kind: fc.constant('NetworkPolicy'),
    metadata: fc.record({
      name: pick('p', 'P', '', 7, 'a'.repeat(300)),
      namespace: pick('shop', 'Shop', 7, null),
      labels: pick({ team: 'web' }, { team: 7 }, 'x'),
      annotations: pick({ 'networking.gke.io/network': 'blue' }, { 'networking.gke.io/network': 'Blue!' }, { note: 7 }),
      extra: fc.constantFrom<unknown>(undefined, undefined, undefined, 1),
    }, { requiredKeys: ['name'] }),
    spec: fc.record({
      podSelector: selector,
      policyTypes: pick(['Ingress', 'Egress'], [], ['Ingress', 'Ingress'], ['Egress'], ['ingress'], ['Ingress', 'Egress', 'Ingress'], 'Ingress'),
      ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
      egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
    }, { requiredKeys: [] }),
  }).map((p) => JSON.parse(JSON.stringify(p)) as unknown);

  const outcome = (objects: unknown[], quick: boolean) => {
    try {
      return policiesFromDocuments(objectDocuments(objects, 'p.yaml'), { quick });
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('on valid and invalid policies alike: the same models, or the same message', () => {
    let modelled = 0;
    fc.assert(fc.property(policy, (p) => {
      const quick = outcome([p], true);
      expect(quick).toEqual(outcome([p], false));
      if (typeof quick !== 'string') modelled++;
    }), { numRuns: 4000, seed: 5 });
    expect(modelled).toBeGreaterThan(400);
  });
});
