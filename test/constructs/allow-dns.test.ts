import { AllowDns } from '../../src';
import { ConstructMessages } from '../../src/errors';
import { Selector } from '../../src/values/selector';
import { errorOf, manifest, manifests, newChart, validateAll } from '../_helpers-constructs';

const KUBE_DNS = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};
const DNS_PORTS = [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];

describe('AllowDns', () => {
  test('egress to kube-dns on UDP and TCP 53', () => {
    const { chart } = newChart();
    new AllowDns(chart, 'allow-dns');
    const np = manifest(chart, 'allow-dns');
    expect(np.spec).toEqual({ egress: [{ ports: DNS_PORTS, to: [KUBE_DNS] }], podSelector: {}, policyTypes: ['Egress'] });
    expect(chart.impliedExternals).toEqual([]);
    expect(validateAll(manifests(chart))).toBe(1);
    expect(np).toMatchSnapshot();
  });

  test('NodeLocal DNSCache and Cloud DNS', () => {
    const { chart } = newChart();
    new AllowDns(chart, 'dns', { pods: Selector.labels({ app: 'web' }), nodeLocalDnsCache: true, cloudDns: true });
    const np = manifest(chart, 'dns');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
    expect(np.spec.egress).toEqual([{ ports: DNS_PORTS, to: [{ ipBlock: { cidr: '169.254.169.254/32' } }, { ipBlock: { cidr: '169.254.20.10/32' } }, KUBE_DNS] }]);
    expect(chart.impliedExternals.map((e) => [e.name, e.ip])).toEqual([['cloud-dns', '169.254.169.254'], ['node-local-dns', '169.254.20.10']]);
    expect(validateAll(manifests(chart))).toBe(1);
  });

  test('fails when no resolver is left', () => {
    const { chart } = newChart();
    expect(errorOf(() => new AllowDns(chart, 'dns', { kubeDns: false })).message).toBe(`AllowDns shop/dns: ${ConstructMessages.dnsNothing}`);
  });
});
