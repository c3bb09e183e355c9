import { Testing } from 'cdk8s';
import { AllowFqdn, AllowFrom, ClusterProfile, NetworkLogging, Peer, PolicyChart, PolicyLogging, Port, Selector } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { DPV2, errorOf, manifest, manifests, newChart, validateNetworkPolicy } from '../_helpers-constructs';

describe('NetworkLogging', () => {
  test('emits the cluster-scoped NetworkLogging named default, without a namespace', () => {
    const { chart } = newChart(DPV2);
    new NetworkLogging(chart, 'logging', { logAllowed: true, delegateAllowed: true, logDenied: true });
    expect(manifest(chart, 'default', 'NetworkLogging')).toEqual({
      apiVersion: 'networking.gke.io/v1alpha1',
      kind: 'NetworkLogging',
      metadata: { name: 'default' },
      spec: { cluster: { allow: { log: true, delegate: true }, deny: { log: true, delegate: false } } },
    });
  });

  test('defaults to logging nothing', () => {
    const { chart } = newChart(DPV2);
    expect(new NetworkLogging(chart, 'logging').spec).toEqual({ cluster: { allow: { log: false, delegate: false }, deny: { log: false, delegate: false } } });
  });

  test('fails when delegating without logging', () => {
    const { chart } = newChart(DPV2);
    expect(errorOf(() => new NetworkLogging(chart, 'logging', { delegateAllowed: true })).message)
      .toBe(`NetworkLogging shop/logging: ${ConstructMessages.delegateWithoutLog('delegateAllowed', 'logAllowed')}`);
    expect(errorOf(() => new NetworkLogging(chart, 'logging2', { logAllowed: true, delegateDenied: true })).message)
      .toBe(`NetworkLogging shop/logging2: ${ConstructMessages.delegateWithoutLog('delegateDenied', 'logDenied')}`);
  });

  test('fails without Dataplane V2', () => {
    const { chart } = newChart(ClusterProfile.upstream());
    expect(errorOf(() => new NetworkLogging(chart, 'logging')).message)
      .toBe(`NetworkLogging shop/logging: ${ConstructMessages.needsDataplaneV2('network policy logging (NetworkLogging)', 'upstream')}`);
  });

  test('a second one in the app fails synth', () => {
    const app = Testing.app();
    const a = new PolicyChart(app, 'a', { namespace: 'a', profile: DPV2 });
    const b = new PolicyChart(app, 'b', { namespace: 'b', profile: DPV2 });
    new NetworkLogging(a, 'logging', { logDenied: true });
    new NetworkLogging(b, 'logging', { logAllowed: true });
    expect(() => app.synthYaml()).toThrow(`[b/logging] ${ConstructMessages.secondNetworkLogging('a/logging')}`);
  });
});

describe('PolicyLogging', () => {
  test('NetworkPolicies under it carry policy.network.gke.io/enable-logging: "true"; others do not', () => {
    const { chart } = newChart(DPV2);
    const logged = new PolicyLogging(chart, 'logged');
    const from = { pods: Selector.labels({ app: 'api' }), from: [Peer.pods(Selector.labels({ app: 'web' }))], ports: [Port.tcp(9090)] };
    const a = new AllowFrom(logged, 'api-from-web', from);
    new AllowFrom(chart, 'plain', from);
    const yaml = manifest(chart, 'api-from-web');
    validateNetworkPolicy(yaml);
    expect(yaml.metadata.annotations).toEqual({ 'policy.network.gke.io/enable-logging': 'true' });
    expect(a.model.annotations).toEqual({ 'policy.network.gke.io/enable-logging': 'true' });
    expect(manifest(chart, 'plain').metadata.annotations).toBeUndefined();
    expect(manifests(chart).length).toBe(2);
  });

  test('fails for an FQDNNetworkPolicy, and without Dataplane V2', () => {
    const { chart } = newChart(DPV2);
    const logged = new PolicyLogging(chart, 'logged');
    expect(errorOf(() => new AllowFqdn(logged, 'names', { names: ['api.example.com'], ports: [Port.tcp(443)] })).message)
      .toBe(`AllowFqdn shop/logged/names: ${ConstructMessages.loggingNotForFqdn}`);
    const { chart: upstream } = newChart(ClusterProfile.upstream(), 'other');
    expect(errorOf(() => new PolicyLogging(upstream, 'logged')).message)
      .toBe(`PolicyLogging other/logged: ${ConstructMessages.needsDataplaneV2('network policy logging (policy.network.gke.io/enable-logging)', 'upstream')}`);
  });
});
