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
    // Left at cdk8s-plus's default (a hash label), it is selected readably: app.kubernetes.io/name=<name>.
    const s = new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'pg', portNumber: 5432 }] });
    expect(Selector.workload(s).model.matchLabels).toEqual({ 'app.kubernetes.io/name': s.name });
  });

  test('a cdk8s-plus Pod selects by its labels', () => {
    const chart = Testing.chart();
    const p = new kplus.Pod(chart, 'p', { metadata: { labels: { app: 'p' } }, containers: [{ image: 'x' }] });
    expect(Selector.workload(p).model.matchLabels).toEqual({ app: 'p' });
  });
});

describe('Selector.fromModel validates as the API server does', () => {
  test('a valid model becomes a canonical selector', () => {
    const s = Selector.fromModel({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] });
    expect(s.model).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
  });

  test.each<[string, unknown, string]>([
    ['operator Gt', { matchLabels: {}, matchExpressions: [{ key: 'n', operator: 'Gt', values: ['1'] }] },
      'Selector.fromModel matchExpressions[0]: operator "Gt" is not a label selector operator. Use In, NotIn, Exists or DoesNotExist'],
    ['In without values', { matchLabels: {}, matchExpressions: [{ key: 'n', operator: 'In', values: [] }] },
      'Selector.fromModel matchExpressions[0]: operator In needs at least one value for key "n". List the values, or use Exists/DoesNotExist'],
    ['Exists with values', { matchLabels: {}, matchExpressions: [{ key: 'n', operator: 'Exists', values: ['x'] }] },
      'Selector.fromModel matchExpressions[0]: operator Exists takes no values, got ["x"] for key "n". Remove the values'],
    ['a bad expression key', { matchLabels: {}, matchExpressions: [{ key: '-bad', operator: 'Exists', values: [] }] },
      'Selector.fromModel matchExpressions[0] key "-bad": '],
    ['a bad expression value', { matchLabels: {}, matchExpressions: [{ key: 'n', operator: 'In', values: ['a b'] }] },
      'Selector.fromModel matchExpressions[0] value "a b": '],
    ['a bad label value', { matchLabels: { app: 'x'.repeat(64) }, matchExpressions: [] }, `Selector.fromModel value "${'x'.repeat(64)}" of key "app": `],
  ])('rejects %s', (_name, model, message) => {
    expect(errorOf(() => Selector.fromModel(model as never)).message.startsWith(message)).toBe(true);
  });
});
