import { ApiObject, App, Chart } from 'cdk8s';
import { policyId } from '../../src/model/policy';
import { policiesFromApp } from '../../src/parse/app';
import { describeSkipped } from '../../src/parse/skipped';

describe('policiesFromApp', () => {
  test('reads every chart in order, with construct paths', () => {
    const app = new App();
    const a = new Chart(app, 'first', { namespace: 'shop' });
    new ApiObject(a, 'deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {} } });
    new ApiObject(a, 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    const b = new Chart(app, 'second');
    new ApiObject(b, 'allow', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow', namespace: 'ops' }, spec: { podSelector: {}, ingress: [{}] } });
    const input = policiesFromApp(app);
    expect(input.policies.map((p) => [policyId(p).split('/')[0], p.name, p.source])).toEqual([
      ['shop', 'deny', { constructPath: 'first/deny' }],
      ['ops', 'allow', { constructPath: 'second/allow' }],
    ]);
    expect(input.skipped.map(describeSkipped)).toEqual(['chart first#1 Deployment/shop/web']);
  });
});
