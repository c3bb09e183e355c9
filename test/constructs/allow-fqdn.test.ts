import { AllowFqdn } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { ClusterProfile } from '../../src/values/cluster-profile';
import { Port } from '../../src/values/port';
import { Selector } from '../../src/values/selector';
import { DPV2, errorOf, manifest, newChart } from '../_helpers-constructs';

describe('AllowFqdn', () => {
  test('emits a GKE FQDNNetworkPolicy', () => {
    const { chart } = newChart(DPV2);
    const f = new AllowFqdn(chart, 'payments-api', {
      pods: Selector.labels({ app: 'backend' }),
      names: ['api.stripe.com'],
      patterns: ['*.googleapis.com'],
      ports: [Port.HTTPS],
    });
    const obj = manifest(chart, 'payments-api', 'FQDNNetworkPolicy');
    expect(obj).toEqual({
      apiVersion: 'networking.gke.io/v1alpha1',
      kind: 'FQDNNetworkPolicy',
      metadata: { name: 'payments-api', namespace: 'shop' },
      spec: {
        egress: [{ matches: [{ name: 'api.stripe.com' }, { pattern: '*.googleapis.com' }], ports: [{ port: 443, protocol: 'TCP' }] }],
        podSelector: { matchLabels: { app: 'backend' } },
      },
    });
    expect(f.model.kind).toBe('FQDNNetworkPolicy');
    expect(chart.policies).toContain(f.model);
    expect(obj).toMatchSnapshot();
  });

  test('fails on a non-Dataplane-V2 profile', () => {
    const { chart } = newChart(ClusterProfile.calico());
    expect(errorOf(() => new AllowFqdn(chart, 'f', { names: ['a.example.com'] })).message)
      .toBe(`AllowFqdn shop/f: ${ConstructMessages.needsDataplaneV2('FQDNNetworkPolicy', 'calico')}`);
  });

  test('fails without names or patterns', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowFqdn(chart, 'f', {})).message).toBe(`AllowFqdn shop/f: ${ConstructMessages.fqdnNoMatches}`);
  });

  test('fails on an invalid name or pattern', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowFqdn(chart, 'f', { names: ['bad_name.com'] })).message).toContain('AllowFqdn shop/f names "bad_name.com": label "bad_name" is not a DNS label');
    expect(errorOf(() => new AllowFqdn(chart, 'g', { patterns: ['*.-x.com'] })).message).toContain('AllowFqdn shop/g patterns "*.-x.com"');
  });

  test('fails on a named port', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new AllowFqdn(chart, 'f', { names: ['a.example.com'], ports: [Port.named('https')] })).message)
      .toBe(`AllowFqdn shop/f: ${ConstructMessages.fqdnNamedPort('https')}`);
  });
});
