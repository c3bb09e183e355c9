/** The README's flows example: two-sided flows across namespaces and a baseline, verified at synth. */
describe('examples/readme/flows.ts', () => {
  test('writes each side of each flow in its namespace, and the baseline in both', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { yaml } = require('../../examples/readme/flows') as { yaml: string };
    const policies = yaml.split('\n---\n').filter((d) => d.includes('kind: NetworkPolicy'))
      .map((d) => `${/\n {2}namespace: (\S+)/.exec(d)![1]}/${/\n {2}name: (\S+)/.exec(d)![1]}`);
    expect(policies).toEqual([
      'web/default-deny', 'web/allow-dns', 'web/allow-metrics-scraping', 'web/frontend-to-shop-backend',
      'shop/default-deny', 'shop/allow-dns', 'shop/allow-metrics-scraping', 'shop/backend-from-web-frontend', 'shop/backend-to-payments-ledger',
    ]);
  });
});
