import {
  canonicalFqdnRules, canonicalPorts, canonicalRules, renderFqdnPolicy, renderNetworkPolicy, renderPeer, renderPort,
} from '../../src/emit/render';
import { NetworkPolicyModel, PeerModel, RuleModel } from '../../src/model/policy';
import { makeSelector, SELECT_ALL } from '../../src/model/selector';
import { validateNetworkPolicy } from '../_helpers-constructs';

const web: PeerModel = { kind: 'pods', namespaces: { kind: 'own' }, pods: makeSelector({ app: 'web' }) };
const api: PeerModel = { kind: 'pods', namespaces: { kind: 'own' }, pods: makeSelector({ app: 'api' }) };
const tcp80 = { protocol: 'TCP' as const, port: 80 };
const tcp443 = { protocol: 'TCP' as const, port: 443 };

function policy(partial: Partial<NetworkPolicyModel>): NetworkPolicyModel {
  return {
    kind: 'NetworkPolicy',
    name: 'p',
    namespace: 'shop',
    labels: {},
    annotations: {},
    podSelector: SELECT_ALL,
    policyTypes: ['Ingress'],
    ingress: [],
    egress: [],
    ...partial,
  };
}

describe('canonicalPorts', () => {
  test('sorts and de-duplicates', () => {
    expect(canonicalPorts([tcp443, { protocol: 'UDP', port: 53 }, tcp80, tcp80])).toEqual([tcp80, tcp443, { protocol: 'UDP', port: 53 }]);
  });
  test('all ports of a protocol absorbs that protocol', () => {
    expect(canonicalPorts([tcp80, { protocol: 'TCP' }, { protocol: 'UDP', port: 53 }])).toEqual([{ protocol: 'TCP' }, { protocol: 'UDP', port: 53 }]);
  });
  test('empty means all', () => {
    expect(canonicalPorts([])).toBe('all');
  });
});

describe('canonicalRules', () => {
  test('merges rules with equal ports (union of peers)', () => {
    expect(canonicalRules([{ peers: [web], ports: [tcp80] }, { peers: [api], ports: [tcp80] }]))
      .toEqual([{ peers: [api, web], ports: [tcp80] }]);
  });
  test('merges rules with equal peers (union of ports)', () => {
    expect(canonicalRules([{ peers: [web], ports: [tcp443] }, { peers: [web], ports: [tcp80] }]))
      .toEqual([{ peers: [web], ports: [tcp80, tcp443] }]);
  });
  test('all peers absorbs listed peers; all ports absorbs listed ports', () => {
    expect(canonicalRules([{ peers: 'all', ports: [tcp80] }, { peers: [web], ports: [tcp80] }])).toEqual([{ peers: 'all', ports: [tcp80] }]);
    expect(canonicalRules([{ peers: [web], ports: 'all' }, { peers: [web], ports: [tcp80] }])).toEqual([{ peers: [web], ports: 'all' }]);
  });
  test('keeps rules that differ in both peers and ports apart, in a stable order', () => {
    const a: RuleModel = { peers: [web], ports: [tcp80] };
    const b: RuleModel = { peers: [api], ports: [tcp443] };
    expect(canonicalRules([a, b])).toEqual(canonicalRules([b, a]));
    expect(canonicalRules([a, b])).toHaveLength(2);
  });
});

describe('renderPeer', () => {
  test('own namespace renders as podSelector only', () => {
    expect(renderPeer(web)).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
  });
  test('namespace selector with select-all pods renders namespaceSelector only', () => {
    expect(renderPeer({ kind: 'pods', namespaces: { kind: 'selector', selector: makeSelector({ team: 'ops' }) }, pods: SELECT_ALL }))
      .toEqual({ namespaceSelector: { matchLabels: { team: 'ops' } } });
  });
  test('namespace selector with pods renders both', () => {
    expect(renderPeer({ kind: 'pods', namespaces: { kind: 'selector', selector: SELECT_ALL }, pods: makeSelector({ app: 'x' }) }))
      .toEqual({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } });
  });
  test('ipBlock with and without except', () => {
    expect(renderPeer({ kind: 'ipBlock', cidr: '10.0.0.0/8', except: [] })).toEqual({ ipBlock: { cidr: '10.0.0.0/8' } });
    expect(renderPeer({ kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.2.0.0/16', '10.1.0.0/16'] }))
      .toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } });
  });
  test('expressions render without values for Exists', () => {
    const sel = makeSelector({}, [{ key: 'tier', operator: 'Exists', values: [] }, { key: 'env', operator: 'NotIn', values: ['b', 'a'] }]);
    expect(renderPeer({ kind: 'pods', namespaces: { kind: 'own' }, pods: sel })).toEqual({
      podSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }, { key: 'tier', operator: 'Exists' }] },
    });
  });
});

describe('renderPort', () => {
  test('a protocol without a port renders the protocol only (never port 0)', () => {
    expect(renderPort({ protocol: 'TCP' })).toEqual({ protocol: 'TCP' });
  });
  test('on Dataplane V2 all ports render as 1-65535', () => {
    expect(renderPort({ protocol: 'UDP' }, 'dataplane-v2')).toEqual({ protocol: 'UDP', port: 1, endPort: 65535 });
  });
  test('ranges and named ports', () => {
    expect(renderPort({ protocol: 'TCP', port: 8000, endPort: 8100 })).toEqual({ protocol: 'TCP', port: 8000, endPort: 8100 });
    expect(renderPort({ protocol: 'TCP', port: 'http' })).toEqual({ protocol: 'TCP', port: 'http' });
  });
});

describe('renderNetworkPolicy', () => {
  test('policyTypes explicit, ports all renders no ports, peers all renders no from', () => {
    const m = renderNetworkPolicy(policy({ ingress: [{ peers: 'all', ports: 'all' }] }));
    expect(m).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { ingress: [{}], podSelector: {}, policyTypes: ['Ingress'] },
    });
    validateNetworkPolicy(m);
  });

  test('deny-all egress has policyTypes and no rules', () => {
    const m = renderNetworkPolicy(policy({ policyTypes: ['Egress', 'Ingress'] }));
    expect(m.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('network annotation and labels', () => {
    const m: any = renderNetworkPolicy(policy({ network: 'blue', labels: { team: 'web' } }));
    expect(m.metadata).toEqual({ name: 'p', namespace: 'shop', annotations: { 'networking.gke.io/network': 'blue' }, labels: { team: 'web' } });
  });

  test('keys are sorted at every level', () => {
    const m = renderNetworkPolicy(policy({ egress: [{ peers: [web], ports: [tcp80] }], policyTypes: ['Egress'] }));
    const text = JSON.stringify(m);
    const keysSorted = (v: any): boolean => (Array.isArray(v) ? v.every(keysSorted)
      : v && typeof v === 'object' ? Object.keys(v).join() === Object.keys(v).sort().join() && Object.values(v).every(keysSorted) : true);
    expect(keysSorted(JSON.parse(text))).toBe(true);
  });

  test('rules in a different order render identically', () => {
    const a = renderNetworkPolicy(policy({ ingress: [{ peers: [web], ports: [tcp80] }, { peers: [api], ports: [tcp443] }] }));
    const b = renderNetworkPolicy(policy({ ingress: [{ peers: [api], ports: [tcp443] }, { peers: [web], ports: [tcp80] }] }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('FQDN', () => {
  test('matches sorted and de-duplicated, equal-port rules merged', () => {
    expect(canonicalFqdnRules([
      { matches: [{ pattern: '*.b.com' }, { name: 'a.com' }], ports: [tcp443] },
      { matches: [{ name: 'a.com' }, { name: 'c.com' }], ports: [tcp443] },
    ])).toEqual([{ matches: [{ name: 'a.com' }, { name: 'c.com' }, { pattern: '*.b.com' }], ports: [tcp443] }]);
  });

  test('renders the GKE custom resource', () => {
    expect(renderFqdnPolicy({
      kind: 'FQDNNetworkPolicy',
      name: 'f',
      namespace: 'shop',
      labels: {},
      annotations: {},
      podSelector: makeSelector({ app: 'x' }),
      egress: [{ matches: [{ name: 'api.example.com' }], ports: [tcp443] }],
    })).toEqual({
      apiVersion: 'networking.gke.io/v1alpha1',
      kind: 'FQDNNetworkPolicy',
      metadata: { name: 'f', namespace: 'shop' },
      spec: { egress: [{ matches: [{ name: 'api.example.com' }], ports: [{ port: 443, protocol: 'TCP' }] }], podSelector: { matchLabels: { app: 'x' } } },
    });
  });
});
