import * as kplus from 'cdk8s-plus-28';
import { DefaultDeny } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { Selector } from '../../src/values/selector';
import { errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

describe('DefaultDeny', () => {
  test('denies both ways for all pods by default', () => {
    const { chart } = newChart();
    new DefaultDeny(chart, 'DefaultDeny');
    const np = manifest(chart, 'default-deny');
    expect(np).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(validateAll(manifests(chart))).toBe(1);
    expect(manifests(chart)).toMatchSnapshot();
  });

  test('ingress only, for a selection', () => {
    const { chart } = newChart();
    const d = new DefaultDeny(chart, 'deny-in', { egress: false, pods: Selector.labels({ app: 'db' }) });
    expect(manifest(chart, 'deny-in').spec).toEqual({ podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] });
    expect(d.model).toMatchObject({ policyTypes: ['Ingress'], ingress: [], egress: [] });
  });

  test('egress only, for a workload', () => {
    const { chart } = newChart();
    const w = new kplus.Deployment(chart, 'web', { select: false, podMetadata: { labels: { app: 'web' } }, containers: [{ image: 'x', portNumber: 80 }] });
    w.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    new DefaultDeny(chart, 'deny-out', { ingress: false, pods: w });
    expect(manifest(chart, 'deny-out').spec).toEqual({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] });
    expect(validateAll(manifests(chart))).toBe(1);
  });

  test('fails when denying nothing', () => {
    const { chart } = newChart();
    expect(errorOf(() => new DefaultDeny(chart, 'x', { ingress: false, egress: false })).message).toBe(`DefaultDeny shop/x: ${ConstructMessages.denyNothing}`);
  });

  test('fails when the name is too long', () => {
    const { chart } = newChart();
    const id = 'a'.repeat(254);
    expect(errorOf(() => new DefaultDeny(chart, id)).message).toBe(`DefaultDeny shop/${id}: ${ConstructMessages.policyName(id, 'must be at most 253 characters, got 254')}`);
  });

  test('fails when the id is not a DNS-1123 name', () => {
    const { chart } = newChart();
    expect(errorOf(() => new DefaultDeny(chart, 'deny!')).reason).toContain('policy name "deny!" (from the construct id) must consist of lower case');
  });

  test('names: kebab-cased id, or policyName', () => {
    const { chart } = newChart();
    expect(new DefaultDeny(chart, 'DenyAllHTTPTraffic').policyName).toBe('deny-all-http-traffic');
    expect(new DefaultDeny(chart, 'other', { policyName: 'custom.name' }).policyName).toBe('custom.name');
    expect(manifests(chart).map((m) => m.metadata.name)).toEqual(['deny-all-http-traffic', 'custom.name']);
  });
});
