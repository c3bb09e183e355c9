import * as fc from 'fast-check';
import { expr, sel } from './_build';
import { makeSelector, matchesLabels } from '../../src/model/selector';
import { ABSENT, LabelVocabulary, OTHER_VALUE } from '../../src/verify/_vocabulary';

describe('LabelVocabulary', () => {
  const vocab = LabelVocabulary.of([sel({ app: 'web' }), sel({}, [expr('tier', 'In', ['db', 'api']), expr('env', 'Exists')])]);

  test('keys are the keys selectors mention; choices are absent, each mentioned value, and other', () => {
    expect(vocab.keys).toEqual(['app', 'env', 'tier']);
    expect(vocab.choices('tier')).toEqual([ABSENT, 'api', 'db', OTHER_VALUE]);
    expect(vocab.choices('env')).toEqual([ABSENT, OTHER_VALUE]);
  });

  test('projection drops unmentioned keys and folds unmentioned values into other', () => {
    expect(vocab.project({ 'app': 'web', 'tier': 'cache', 'pod-template-hash': 'x1' })).toBe(vocab.project({ app: 'web', tier: 'queue' }));
    expect(vocab.project({ app: 'web' })).not.toBe(vocab.project({ app: 'web', env: 'dev' }));
    expect(vocab.project({ app: 'web', tier: 'db' })).not.toBe(vocab.project({ app: 'web', tier: 'api' }));
  });

  test('labels with equal projections answer every selector of the vocabulary alike', () => {
    const keys = ['a', 'b', 'c'];
    const values = ['1', '2', '3', '4'];
    const req = fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
      values: fc.subarray(values, { minLength: 1 }),
    });
    let distinctButEqual = 0;
    const labels = fc.dictionary(fc.constantFrom(...keys, 'd'), fc.constantFrom(...values));
    fc.assert(fc.property(fc.array(fc.array(req, { maxLength: 3 }), { minLength: 1, maxLength: 4 }), labels, labels, (reqs, l1, l2) => {
      const selectors = reqs.map((rs) => makeSelector({}, rs));
      const v = LabelVocabulary.of(selectors);
      if (v.project(l1) !== v.project(l2)) return;
      if (JSON.stringify(l1) !== JSON.stringify(l2)) distinctButEqual++;
      for (const s of selectors) expect(matchesLabels(s, l1)).toBe(matchesLabels(s, l2));
    }), { numRuns: 2000, seed: 3 });
    // The property is not vacuous: many different label sets shared a projection.
    expect(distinctButEqual).toBeGreaterThan(50);
  });
});
