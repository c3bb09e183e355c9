/**
 * cdk8s validates the whole app once per synthesized chart; the charts' checks share one verification per
 * pass (started by the app root's validation). A change of the app between two synths is still seen.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DefaultDeny, Port, PolicyChart, Selector } from '../../src';
import * as model from '../../src/app/model';

function shop() {
  const app = Testing.app();
  const charts = ['a', 'b', 'c'].map((ns) => new PolicyChart(app, ns, { namespace: ns }));
  for (const chart of charts) {
    new kplus.Pod(chart, 'web', { metadata: { labels: { app: 'web' } }, containers: [{ image: 'web', portNumber: 80 }] });
    new kplus.Pod(chart, 'api', { metadata: { labels: { app: 'api' } }, containers: [{ image: 'api', portNumber: 80 }] });
    chart.expect(Selector.labels({ app: 'web' })).canReach(Selector.labels({ app: 'api' }), Port.tcp(80));
  }
  return { app, charts };
}

describe('validation passes', () => {
  test('one model per pass, not one per chart check (3 charts: 4 passes)', () => {
    const { app } = shop();
    const spy = jest.spyOn(model, 'modelOfApp');
    try {
      app.synthYaml();
      // Each pass: the root's verification and the model it records; the 3 charts' checks reuse the first.
      expect(spy.mock.calls.length).toBeLessThanOrEqual(4 * 2);
    } finally {
      spy.mockRestore();
    }
  });

  test('a change after a synth is seen by the next synth in the same task', () => {
    const { app, charts } = shop();
    expect(() => app.synthYaml()).not.toThrow();
    new DefaultDeny(charts[1], 'deny');
    expect(() => app.synthYaml()).toThrow(/\[b\/netproof-intents\] intent violated/);
  });
});
