import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Fix } from '../../src/errors';
import { LabelExpression, Selector } from '../../src/values/selector';
import { errorOf } from '../_helpers-constructs';

describe('Selector', () => {
  test('labels and expressions are canonical', () => {
    const s = Selector.labels({ tier: 'web', app: 'shop' }).withExpressions(LabelExpression.in('env', ['prod', 'dev', 'prod']));
    expect(s.model).toEqual({
      matchLabels: { app: 'shop', tier: 'web' },
      matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }],
    });
    expect(String(s)).toBe('app=shop,tier=web,env in (dev,prod)');
    expect(Selector.all().isAll).toBe(true);
    expect(String(Selector.expressions(LabelExpression.exists('a'), LabelExpression.doesNotExist('b')))).toBe('a,!b');
  });

  test('fails on an invalid label key', () => {
    expect(errorOf(() => Selector.labels({ 'bad key!': 'x' })).message).toContain('Selector.labels key "bad key!"');
    expect(errorOf(() => Selector.labels({ 'bad key!': 'x' })).message).toContain(Fix.labelKey);
  });

  test('fails on a label value that is too long', () => {
    expect(errorOf(() => Selector.labels({ app: 'x'.repeat(64) })).reason).toContain('at most 63 characters, got 64');
  });

  test('fails on In without values', () => {
    expect(errorOf(() => LabelExpression.in('tier', [])).reason).toContain('operator In needs at least one value');
  });

  test('fails on conflicting labels', () => {
    expect(errorOf(() => Selector.labels({ app: 'a' }).withLabels({ app: 'b' })).reason).toContain('already required to be "a"');
  });

  test('a cdk8s-plus workload selects by its own selector', () => {
    const chart = Testing.chart();
    const d = new kplus.Deployment(chart, 'backend', { select: false, podMetadata: { labels: { app: 'backend' } }, containers: [{ image: 'nginx', portNumber: 80 }] });
    d.select(kplus.LabelSelector.of({ labels: { app: 'backend' } }));
    expect(Selector.workload(d).model).toEqual({ matchLabels: { app: 'backend' }, matchExpressions: [] });
    const s = new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'pg', portNumber: 5432 }] });
    expect(Object.keys(Selector.workload(s).model.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
  });

  test('a cdk8s-plus Pod selects by its labels', () => {
    const chart = Testing.chart();
    const p = new kplus.Pod(chart, 'p', { metadata: { labels: { app: 'p' } }, containers: [{ image: 'x' }] });
    expect(Selector.workload(p).model.matchLabels).toMatchObject({ 'cdk8s.io/metadata.addr': expect.any(String) });
  });
});
