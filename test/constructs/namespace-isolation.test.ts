import { NamespaceIsolation } from '../../src';
import { Peer } from '../../src/values/peer';
import { Selector } from '../../src/values/selector';
import { manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

describe('NamespaceIsolation', () => {
  test('accepts only pods of the same namespace', () => {
    const { chart } = newChart(undefined, 'tenant-a');
    const iso = new NamespaceIsolation(chart, 'isolation');
    const np = manifest(chart, 'isolation');
    expect(np.spec).toEqual({ ingress: [{ from: [{ podSelector: {} }] }], podSelector: {}, policyTypes: ['Ingress'] });
    expect(iso.model.ingress).toEqual([{ peers: [{ kind: 'pods', namespaces: { kind: 'own' }, pods: { matchLabels: {}, matchExpressions: [] } }], ports: 'all' }]);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('plus named exceptions', () => {
    const { chart } = newChart(undefined, 'tenant-a');
    new NamespaceIsolation(chart, 'isolation', { exceptions: [Peer.namespace('monitoring', Selector.labels({ app: 'prometheus' })), Peer.namespace('ingress-nginx')] });
    expect(manifest(chart, 'isolation').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
      { podSelector: {} },
    ]);
  });
});
