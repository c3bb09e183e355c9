import * as kplus from 'cdk8s-plus-28';
import { AllowFrom } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { PortModel } from '../../src/model/port';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { LabelExpression, Selector } from '../../src/values/selector';
import { DPV2, errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

/** A Port whose model skipped validation (as plain JavaScript could make one): the construct must still refuse it. */
const forgedPort = (model: PortModel): Port => Object.assign(Object.create(Port.prototype) as Port, { model });

describe('AllowFrom', () => {
  test('ingress to selected pods from peers on ports', () => {
    const { chart } = newChart();
    new AllowFrom(chart, 'backend-from-frontend', {
      pods: Selector.labels({ app: 'backend' }),
      from: [Peer.pods(Selector.labels({ app: 'frontend' })), Peer.namespace('monitoring', Selector.labels({ app: 'prometheus' }))],
      ports: [Port.tcp(8080), Port.named('metrics')],
    });
    const np = manifest(chart, 'backend-from-frontend');
    expect(np.metadata).toEqual({ name: 'backend-from-frontend', namespace: 'shop' });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'backend' } });
    expect(np.spec.egress).toBeUndefined();
    expect(np.spec.ingress).toEqual([{
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
        { podSelector: { matchLabels: { app: 'frontend' } } },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 'metrics', protocol: 'TCP' }],
    }]);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('ports omitted means all ports; Peer.anyone means no from', () => {
    const { chart } = newChart();
    const a = new AllowFrom(chart, 'open', { from: [Peer.anyone()] });
    expect(manifest(chart, 'open').spec.ingress).toEqual([{}]);
    expect(a.model.ingress).toEqual([{ peers: 'all', ports: 'all' }]);
  });

  test('ipBlock peers with except and expressions', () => {
    const { chart } = newChart();
    new AllowFrom(chart, 'from-corp', {
      pods: Selector.expressions(LabelExpression.in('tier', ['web', 'api'])),
      from: [Peer.cidr('10.0.0.0/8', { except: ['10.8.0.0/14'] })],
      ports: [Port.tcpRange(8000, 8100)],
    });
    const np = manifest(chart, 'from-corp');
    expect(np.spec.podSelector).toEqual({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] });
    expect(np.spec.ingress[0]).toEqual({ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.8.0.0/14'] } }], ports: [{ endPort: 8100, port: 8000, protocol: 'TCP' }] });
    expect(validateAll(manifests(chart))).toBe(1);
  });

  test('all TCP ports: protocol only upstream, 1-65535 on Dataplane V2, never port 0', () => {
    const up = newChart().chart;
    new AllowFrom(up, 'all-tcp', { from: [Peer.anyone()], ports: [Port.allTcp()] });
    expect(manifest(up, 'all-tcp').spec.ingress[0].ports).toEqual([{ protocol: 'TCP' }]);
    const v2 = newChart(DPV2).chart;
    new AllowFrom(v2, 'all-tcp', { from: [Peer.anyone()], ports: [Port.allTcp()] });
    expect(manifest(v2, 'all-tcp').spec.ingress[0].ports).toEqual([{ endPort: 65535, port: 1, protocol: 'TCP' }]);
    expect(validateAll([...manifests(up), ...manifests(v2)])).toBe(2);
  });

  test('peers from cdk8s-plus workloads', () => {
    const { chart } = newChart();
    const web = new kplus.Deployment(chart, 'web', { select: false, podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'x', portNumber: 80 }] });
    web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    const db = new kplus.StatefulSet(chart, 'db', { select: false, podMetadata: { labels: { app: 'db' } }, containers: [{ image: 'pg', portNumber: 5432 }] });
    db.select(kplus.LabelSelector.of({ labels: { app: 'db' } }));
    new AllowFrom(chart, 'db-from-web', { pods: db, from: [Peer.workload(web)], ports: [Port.tcp(5432)] });
    const np = manifest(chart, 'db-from-web');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'db' } });
    expect(np.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'web' } } }]);
  });

  test('duplicates are merged and order does not matter', () => {
    const render = (ports: Port[], from: Peer[]) => {
      const { chart } = newChart();
      new AllowFrom(chart, 'x', { from, ports });
      return JSON.stringify(manifests(chart));
    };
    const a = Peer.pods(Selector.labels({ app: 'a' }));
    const b = Peer.pods(Selector.labels({ app: 'b' }));
    const one = render([Port.tcp(80), Port.udp(53), Port.tcp(80)], [a, b, a]);
    const two = render([Port.udp(53), Port.tcp(80)], [b, a]);
    expect(one).toBe(two);
    expect(JSON.parse(one)[0].spec.ingress[0].from).toHaveLength(2);
    expect(JSON.parse(one)[0].spec.ingress[0].ports).toHaveLength(2);
  });

  test('fails when port is 0 (construct path in the message)', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowFrom(chart, 'backend-from-frontend', { from: [Peer.anyone()], ports: [forgedPort({ protocol: 'TCP', port: 0 })] })).message)
      .toBe(`AllowFrom shop/backend-from-frontend: ${ConstructMessages.port('port must be between 1 and 65535, got 0')}`);
  });

  test('fails when port is 70000', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowFrom(chart, 'x', { from: [Peer.anyone()], ports: [forgedPort({ protocol: 'TCP', port: 70000 })] })).message)
      .toBe(`AllowFrom shop/x: ${ConstructMessages.port('port must be between 1 and 65535, got 70000')}`);
  });

  test('fails when endPort < port', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowFrom(chart, 'x', { from: [Peer.anyone()], ports: [forgedPort({ protocol: 'TCP', port: 9000, endPort: 8000 })] })).message)
      .toBe(`AllowFrom shop/x: ${ConstructMessages.portRange(9000, 8000)}`);
  });

  test('fails without peers', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowFrom(chart, 'x', { from: [] })).message).toBe(`AllowFrom shop/x: ${ConstructMessages.noPeers('from')}`);
  });

  test('fails on an empty ports list', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowFrom(chart, 'x', { from: [Peer.anyone()], ports: [] })).message).toBe(`AllowFrom shop/x ports: ${ConstructMessages.emptyPorts}`);
  });
});
