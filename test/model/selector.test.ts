import { describeSelector, makeSelector, matchesLabels, SELECT_ALL } from '../../src/model/selector';

describe('makeSelector', () => {
  test('sorts keys, values and expressions and drops duplicates', () => {
    const s = makeSelector({ b: '2', a: '1' }, [
      { key: 'z', operator: 'In', values: ['y', 'x', 'y'] },
      { key: 'k', operator: 'Exists', values: ['ignored'] },
      { key: 'z', operator: 'In', values: ['x', 'y'] },
    ]);
    expect(Object.keys(s.matchLabels)).toEqual(['a', 'b']);
    expect(s.matchExpressions).toEqual([
      { key: 'k', operator: 'Exists', values: [] },
      { key: 'z', operator: 'In', values: ['x', 'y'] },
    ]);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front' };
  test.each([
    [SELECT_ALL, true],
    [makeSelector({ app: 'web' }), true],
    [makeSelector({ app: 'db' }), false],
    [makeSelector({ app: 'web', missing: 'x' }), false],
    [makeSelector({}, [{ key: 'tier', operator: 'In', values: ['front', 'back'] }]), true],
    [makeSelector({}, [{ key: 'tier', operator: 'In', values: ['back'] }]), false],
    [makeSelector({}, [{ key: 'missing', operator: 'In', values: ['x'] }]), false],
    [makeSelector({}, [{ key: 'tier', operator: 'NotIn', values: ['front'] }]), false],
    [makeSelector({}, [{ key: 'missing', operator: 'NotIn', values: ['x'] }]), true],
    [makeSelector({}, [{ key: 'app', operator: 'Exists', values: [] }]), true],
    [makeSelector({}, [{ key: 'missing', operator: 'Exists', values: [] }]), false],
    [makeSelector({}, [{ key: 'missing', operator: 'DoesNotExist', values: [] }]), true],
    [makeSelector({}, [{ key: 'app', operator: 'DoesNotExist', values: [] }]), false],
  ])('%j matches {app=web,tier=front}: %s', (selector, expected) => {
    expect(matchesLabels(selector, labels)).toBe(expected);
  });

  test('an empty label value is a value, not an absence', () => {
    expect(matchesLabels(makeSelector({ app: '' }), { app: '' })).toBe(true);
    expect(matchesLabels(makeSelector({ app: '' }), {})).toBe(false);
  });
});

test('describeSelector', () => {
  expect(describeSelector(SELECT_ALL)).toBe('all');
  expect(describeSelector(makeSelector({ app: 'web' }, [
    { key: 'tier', operator: 'NotIn', values: ['b', 'a'] },
    { key: 'x', operator: 'DoesNotExist', values: [] },
  ]))).toBe('app=web,tier notin (a,b),!x');
});
