/**
 * A DeclaredWorkload goes wherever a workload does: these calls type-check (tsc runs over test/) with a
 * DeclaredWorkload and with a cdk8s-plus workload, and resolve to the same kind of peer.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Allow, AllowFrom, AllowTo, DeclaredWorkload, Endpoints, IPodSelector, Peer, PolicyChart, Port } from '../../src';

function ends() {
  const app = Testing.app();
  const shop = new PolicyChart(app, 'shop', { namespace: 'shop' });
  const payments = new PolicyChart(app, 'payments', { namespace: 'payments' });
  const web = new kplus.Deployment(shop, 'web', { containers: [{ image: 'example/web:1', portNumber: 8080 }] });
  const ledger = new DeclaredWorkload(payments, 'ledger', { labels: { app: 'ledger' }, ports: [{ port: 5432 }] });
  return { shop, payments, web, ledger };
}

describe('DeclaredWorkload as a workload', () => {
  test('Peer.workload, Endpoints.workload, pods, expect and Allow accept it and a cdk8s-plus workload alike', () => {
    const { shop, payments, web, ledger } = ends();
    const workloads: IPodSelector[] = [web, ledger];
    expect(workloads.map((w) => Peer.workload(w).toString())).toEqual(['workload web in ns shop', 'workload ledger in ns payments']);
    expect(Peer.workload(ledger)._resolve('shop')).toEqual({
      kind: 'pods',
      namespaces: { kind: 'selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' }, matchExpressions: [] } },
      pods: { matchLabels: { app: 'ledger' }, matchExpressions: [] },
    });
    expect(Peer.workload(ledger)._resolve('payments')).toMatchObject({ namespaces: { kind: 'own' } });
    expect(Endpoints.workload(ledger)._resolve()).toMatchObject({ text: 'workload payments/ledger', workload: { namespace: 'payments', name: 'ledger' } });
    new AllowTo(shop, 'web-to-ledger', { pods: web, to: [Peer.workload(ledger)], ports: [Port.tcp(5432)] });
    new AllowFrom(payments, 'ledger-from-web', { pods: ledger, from: [Peer.workload(web)], ports: [Port.tcp(5432)] });
    shop.expect(web).canReach(ledger, Port.tcp(5432));
    payments.expect(ledger).cannotReach(web);
    expect(shop.intents.length + payments.intents.length).toBe(2);
  });

  test('Allow.from(declared) writes the declared side when its namespace has a PolicyChart', () => {
    const { web, ledger } = ends();
    const flow = Allow.from(ledger).to(web, [Port.tcp(8080)]);
    expect([flow.egress?.node.path, flow.ingress?.node.path]).toEqual(['payments/ledger-to-shop-web', 'shop/web-from-payments-ledger']);
  });
});
