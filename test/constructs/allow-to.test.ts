import { AllowTo } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { PortModel } from '../../src/model/port';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { Selector } from '../../src/values/selector';
import { errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

/** A Port whose model skipped validation (as plain JavaScript could make one): the construct must still refuse it. */
const forgedPort = (model: PortModel): Port => Object.assign(Object.create(Port.prototype) as Port, { model });

describe('AllowTo', () => {
  test('egress from selected pods to peers on ports', () => {
    const { chart } = newChart();
    const a = new AllowTo(chart, 'frontend-to-backend', {
      pods: Selector.labels({ app: 'frontend' }),
      to: [Peer.pods(Selector.labels({ app: 'backend' })), Peer.cidr('2600:2d00:1:1::/64')],
      ports: [Port.tcp(8080)],
    });
    const np = manifest(chart, 'frontend-to-backend');
    expect(np.spec.policyTypes).toEqual(['Egress']);
    expect(np.spec.ingress).toBeUndefined();
    expect(np.spec.egress).toEqual([{
      ports: [{ port: 8080, protocol: 'TCP' }],
      to: [{ ipBlock: { cidr: '2600:2d00:1:1::/64' } }, { podSelector: { matchLabels: { app: 'backend' } } }],
    }]);
    expect(a.model.policyTypes).toEqual(['Egress']);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('to all namespaces, all ports', () => {
    const { chart } = newChart();
    new AllowTo(chart, 'anywhere-in-cluster', { to: [Peer.allNamespaces()] });
    expect(manifest(chart, 'anywhere-in-cluster').spec.egress).toEqual([{ to: [{ namespaceSelector: {} }] }]);
  });

  test('fails without peers', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowTo(chart, 'x', { to: [] })).message).toBe(`AllowTo shop/x: ${ConstructMessages.noPeers('to')}`);
  });

  test('fails when port is 0', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowTo(chart, 'x', { to: [Peer.anyone()], ports: [forgedPort({ protocol: 'UDP', port: 0 })] })).message)
      .toBe(`AllowTo shop/x: ${ConstructMessages.port('port must be between 1 and 65535, got 0')}`);
  });
});
