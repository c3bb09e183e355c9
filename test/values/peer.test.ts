import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Fix } from '../../src/errors';
import { Peer } from '../../src/values/peer';
import { Selector } from '../../src/values/selector';
import { errorOf } from '../_helpers-constructs';

describe('Peer', () => {
  test('pods of the own namespace', () => {
    expect(Peer.pods(Selector.labels({ app: 'web' }))._resolve('shop')).toEqual({
      kind: 'pods', namespaces: { kind: 'own' }, pods: { matchLabels: { app: 'web' }, matchExpressions: [] },
    });
  });

  test('namespace by name and by selector are ANDed', () => {
    const p = Peer.podsIn({ namespaces: ['monitoring'], namespaceSelector: Selector.labels({ team: 'ops' }) });
    expect(p._resolve('shop')).toEqual({
      kind: 'pods',
      namespaces: { kind: 'selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring', 'team': 'ops' }, matchExpressions: [] } },
      pods: { matchLabels: {}, matchExpressions: [] },
    });
  });

  test('several namespaces by name become an In expression', () => {
    const p = Peer.podsIn({ namespaces: ['a', 'b'] })._resolve('shop') as any;
    expect(p.namespaces.selector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }]);
  });

  test('all namespaces', () => {
    expect(Peer.allNamespaces()._resolve('shop')).toMatchObject({ namespaces: { kind: 'selector', selector: { matchLabels: {} } } });
  });

  test('anyone resolves to all', () => {
    expect(Peer.anyone()._resolve('shop')).toBe('all');
  });

  test('cidr with except, IPv4 and IPv6', () => {
    expect(Peer.cidr('10.0.0.0/8', { except: ['10.2.0.0/16', '10.1.0.0/16', '10.1.0.0/16'] })._resolve('x'))
      .toEqual({ kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] });
    expect(Peer.cidr('2600:2d00:1:1::/64')._resolve('x')).toEqual({ kind: 'ipBlock', cidr: '2600:2d00:1:1::/64', except: [] });
    expect(String(Peer.cidr('10.0.0.0/8', { except: ['10.1.0.0/16'] }))).toBe('cidr 10.0.0.0/8 except 10.1.0.0/16');
  });

  test('fails when except is outside cidr', () => {
    expect(errorOf(() => Peer.cidr('10.0.0.0/8', { except: ['11.0.0.0/16'] })).message)
      .toBe(`Peer.cidr: except "11.0.0.0/16" is not strictly inside cidr "10.0.0.0/8". ${Fix.except}`);
  });

  test('fails when except equals cidr or is of another family', () => {
    expect(errorOf(() => Peer.cidr('10.0.0.0/8', { except: ['10.0.0.0/8'] })).reason).toContain('not strictly inside');
    expect(errorOf(() => Peer.cidr('10.0.0.0/8', { except: ['fd00::/64'] })).reason).toContain('not strictly inside');
  });

  test('fails on 999.1.1.1/33', () => {
    expect(errorOf(() => Peer.cidr('999.1.1.1/33')).message).toContain('Peer.cidr: invalid CIDR "999.1.1.1/33": octet 999 is greater than 255');
  });

  test('fails on an invalid namespace name', () => {
    expect(errorOf(() => Peer.namespace('Shop')).message).toContain('Peer.namespace namespace "Shop"');
  });

  test('a workload in another namespace gets a namespace selector', () => {
    const chart = Testing.chart();
    const d = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'web' }, containers: [{ image: 'x', portNumber: 80 }] });
    expect(Peer.workload(d)._resolve('shop')).toMatchObject({ namespaces: { kind: 'selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } } });
    expect(Peer.workload(d)._resolve('web')).toMatchObject({ namespaces: { kind: 'own' } });
  });
});
