/**
 * cdk8s-plus workloads left at their defaults (select: true, no labels, no names) give readable names,
 * selectors and messages: `shop/checkout`, `app.kubernetes.io/name=checkout` or the user's own template
 * labels, never the `cdk8s.io/metadata.addr` hash label; synth says so when that is not the workload's
 * alone.
 */
import { App, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, formatIntentResults, Peer, PolicyChart, Port, Selector } from '../../src';
import { verifyApp } from '../../src/app/verify';

const HTTP = Port.tcp(8080);

function shop(app: App = Testing.app(), props: { readableNames?: boolean } = {}) {
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', ...props });
  const checkout = new kplus.Deployment(chart, 'checkout', { containers: [{ image: 'checkout:1', portNumber: 8080 }] });
  const web = new kplus.Deployment(chart, 'web', { podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'web:1', portNumber: 8080 }] });
  return { app, chart, checkout, web };
}

const byName = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('default cdk8s-plus workloads', () => {
  test('are named by their construct id, without the chart id or a hash', () => {
    const { checkout } = shop();
    expect(checkout.name).toBe('checkout');
    const service = checkout.exposeViaService();
    expect(service.name).toBe('checkout-service');
  });

  test('readableNames: false names objects as a plain cdk8s Chart does', () => {
    const { checkout } = shop(Testing.app(), { readableNames: false });
    expect(checkout.name).toMatch(/^shop-checkout-[0-9a-f]{8}$/);
  });

  test('policies select them by their own template labels, else by app.kubernetes.io/name', () => {
    const { chart, checkout, web } = shop();
    new DefaultDeny(chart, 'default-deny');
    new AllowTo(chart, 'web-to-checkout', { pods: web, to: [Peer.workload(checkout)], ports: [HTTP] });
    new AllowFrom(chart, 'checkout-from-web', { pods: checkout, from: [Peer.workload(web)], ports: [HTTP] });
    const objects = Testing.synth(chart);
    expect(byName(objects, 'NetworkPolicy', 'web-to-checkout').spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(byName(objects, 'NetworkPolicy', 'checkout-from-web').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'checkout' } });
    // The label is on the workload's pods, so the policy selects them in the cluster as in the model.
    expect(byName(objects, 'Deployment', 'checkout').spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'checkout' });
    expect(JSON.stringify(objects.filter((o: any) => o.kind === 'NetworkPolicy'))).not.toContain('cdk8s.io/metadata.addr');
  });

  test('intents and their messages name them readably', () => {
    const { app, chart, checkout, web } = shop();
    new DefaultDeny(chart, 'default-deny');
    new AllowFrom(chart, 'checkout-from-web', { pods: checkout, from: [Peer.workload(web)], ports: [HTTP] });
    chart.expect(web).canReach(checkout, HTTP);
    const text = formatIntentResults(verifyApp(app).results);
    expect(text).toContain('workload shop/web can reach workload shop/checkout on TCP 8080');
    expect(text).toContain('shop/web -> shop/checkout on TCP 8080');
    expect(text).toContain('pods app=web');
    expect(text).not.toContain('metadata.addr');
    expect(text).not.toContain('shop-checkout');
  });

  test('a selector that is not the workload\'s alone fails synth, saying which pods also carry it', () => {
    const app = Testing.app();
    const chart = new PolicyChart(app, 'shop', { namespace: 'shop' });
    const a = new kplus.Deployment(chart, 'cart', { podMetadata: { labels: { app: 'shop' } }, containers: [{ image: 'x' }] });
    new kplus.Deployment(chart, 'orders', { podMetadata: { labels: { app: 'shop' } }, containers: [{ image: 'x' }] });
    new AllowFrom(chart, 'cart-from-anyone', { pods: a, from: [Peer.anyone()] });
    expect(() => app.synth()).toThrow(
      'shop/cart: the workload shop/cart is selected by its pod template labels app=shop, which the pods of shop/orders also carry, ' +
      'so its policies and intents would also be about them. Give it a label only its pods carry (podMetadata: { labels: { app: \'cart\' } }), ' +
      'or select its pods with Selector.labels(...) on purpose');
  });

  test('a workload that selects its own pods keeps its selector', () => {
    const chart = new PolicyChart(Testing.app(), 'shop', { namespace: 'shop' });
    const d = new kplus.Deployment(chart, 'api', { select: false, podMetadata: { labels: { tier: 'api' } }, containers: [{ image: 'x' }] });
    d.select(kplus.LabelSelector.of({ labels: { tier: 'api' } }));
    expect(Selector.workload(d).model.matchLabels).toEqual({ tier: 'api' });
  });

  test('two objects of one kind and name in one namespace fail synth', () => {
    const app = Testing.app();
    const a = new PolicyChart(app, 'a', { namespace: 'shop' });
    const b = new PolicyChart(app, 'b', { namespace: 'shop' });
    new kplus.Deployment(a, 'web', { containers: [{ image: 'x' }] });
    new kplus.Deployment(b, 'web', { containers: [{ image: 'x' }] });
    expect(() => app.synth()).toThrow('b/web/Resource: a Deployment named "web" in namespace "shop" is also written by a/web/Resource; kubectl apply would keep only one of them');
  });

  test('the same name in two namespaces is fine', () => {
    const app = Testing.app();
    for (const ns of ['shop', 'billing']) new kplus.Deployment(new PolicyChart(app, ns, { namespace: ns }), 'web', { containers: [{ image: 'x' }] });
    expect(() => app.synth()).not.toThrow();
  });
});
