import { App } from 'cdk8s';
import { AllowDns, ClusterProfile, DeclaredWorkload, DefaultDeny, Endpoints, Externals, LabelExpression, PolicyChart, Port, Selector } from '../../src';
import { runPipeline } from '../../src/analysis/pipeline';
import { recordedModelText } from '../../src/app/record';
import { verifyApp } from '../../src/app/verify';
import { describeIntent } from '../../src/model/intent';
import { parseIntents } from '../../src/parse/intents';
import { parseRecordedModel } from '../../src/parse/recorded-model';

function app(): App {
  const a = new App();
  const chart = new PolicyChart(a, 'shop', { namespace: 'shop', profile: ClusterProfile.dataplaneV2({ podCidrs: ['10.8.0.0/14'] }) });
  const web = new DeclaredWorkload(chart, 'web', { labels: { app: 'web', tier: 'front' }, ports: [{ port: 8080, name: 'http' }] });
  new DefaultDeny(chart, 'deny');
  new AllowDns(chart, 'dns');
  chart.expect(web).cannotReach(Externals.INTERNET);
  chart.expect(Selector.all()).canReach(Externals.KUBE_DNS, Port.DNS_UDP);
  chart.expect(Endpoints.namespaces(Selector.expressions(LabelExpression.notIn('team', ['x']), LabelExpression.exists('env')))).cannotReach(Externals.HEALTH_CHECKERS, Port.tcpRange(8000, 8100));
  chart.expect(web).isIsolated('egress');
  return a;
}

describe('parseRecordedModel', () => {
  test('reads back what the app layer records: profile, cluster and intents that decide alike', () => {
    const a = app();
    const text = recordedModelText(a);
    expect(recordedModelText(a)).toBe(text); // deterministic
    const record = parseRecordedModel(text, 'dist/.netproof-model');
    const verified = verifyApp(a);
    expect(record.profile).toEqual(verified.model.profile);
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'source' ? undefined : v)));
    expect(strip(record.cluster.cluster)).toEqual(strip(verified.model.cluster));
    expect(record.intents.map((i) => i.name)).toEqual(verified.results.map((r) => describeIntent(r.intent)));
    expect(record.intents.map((i) => i.intent.subject.kind)).toEqual(['pods', 'pods', 'pods', 'pods']);
    const intents = record.intents.map((i) => i.intent);
    const again = runPipeline({ policies: verified.model.policies, cluster: record.cluster.cluster, profile: record.profile, intents });
    expect(again.results.map((r) => r.holds)).toEqual(verified.results.map((r) => r.holds));
  });

  test('fails on another format version', () => {
    const text = '{"netproofRecordedModel": 2, "profile": {"dataplane": "upstream", "podCidrs": [], "serviceCidrs": []}, "cluster": {}, "intents": []}';
    expect(() => parseRecordedModel(text, 'm'))
      .toThrow(/netproofRecordedModel: format version 2 is not 1, the one this netproof reads/);
  });

  test('fails on an unknown field', () => {
    expect(() => parseRecordedModel('{"netproofRecordedModel": 1, "extra": 1}', 'm')).toThrow(/unknown field "extra"/);
  });
});

describe('intents file: the endpoint forms the record writes', () => {
  test('externalGroup and workload beside selectors', () => {
    const [a, b] = parseIntents(
      'intents:\n  - {from: {externalGroup: gke-health-check-}, to: {namespace: shop, pods: {app: web}, workload: shop/web}, expect: allow}\n'
      + '  - {from: {namespace: shop}, to: {externalGroup: x-}, expect: deny}\n', 'i.yaml');
    expect(a.intent.subject).toEqual({ kind: 'externalGroup', prefix: 'gke-health-check-', text: 'externals gke-health-check-*' });
    expect(a.intent.target).toMatchObject({ kind: 'pods', workload: { namespace: 'shop', name: 'web' }, text: 'workload shop/web' });
    expect(b.intent.target).toMatchObject({ kind: 'externalGroup', prefix: 'x-' });
  });

  test('fails when a workload has no selectors (it would select every pod)', () => {
    expect(() => parseIntents('intents:\n  - {from: {workload: shop/web}, to: x, expect: deny}\n', 'i.yaml')).toThrow(/the endpoint has a workload but no selectors, so it would select every pod/);
  });

  test('fails on a workload that is not namespace/name', () => {
    expect(() => parseIntents('intents:\n  - {from: {namespace: shop, workload: web}, to: x, expect: deny}\n', 'i.yaml')).toThrow(/workload "web" is not of the form namespace\/name/);
  });
});
