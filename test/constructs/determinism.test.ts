import { App, Testing } from 'cdk8s';
import { AllowDns, AllowFrom, AllowTo, DefaultDeny, PolicyChart } from '../../src';
import { Peer } from '../../src/values/peer';
import { Port } from '../../src/values/port';
import { Selector } from '../../src/values/selector';
import { DPV2 } from '../_helpers-constructs';

function build(reverse: boolean): App {
  const app = Testing.app();
  const chart = new PolicyChart(app, 'shop', { namespace: 'shop', profile: DPV2 });
  const r = <T>(xs: T[]): T[] => (reverse ? [...xs].reverse() : xs);
  new DefaultDeny(chart, 'deny');
  new AllowDns(chart, 'dns', { nodeLocalDnsCache: true });
  new AllowFrom(chart, 'backend-from-frontend', {
    pods: Selector.labels({ tier: 'backend', app: 'api' }),
    from: r([Peer.pods(Selector.labels({ app: 'web' })), Peer.namespace('monitoring'), Peer.cidr('10.0.0.0/8', { except: r(['10.2.0.0/16', '10.1.0.0/16']) })]),
    ports: r([Port.tcp(8080), Port.allUdp(), Port.named('metrics'), Port.tcp(8080)]),
  });
  new AllowTo(chart, 'to-db', { to: r([Peer.pods(Selector.labels({ app: 'db' })), Peer.pods(Selector.labels({ app: 'db' }))]), ports: [Port.tcp(5432)] });
  return app;
}

describe('determinism', () => {
  test('two synths are byte-identical', () => {
    expect(build(false).synthYaml()).toBe(build(false).synthYaml());
  });

  test('rules, peers, ports and excepts given in another order give identical YAML', () => {
    expect(build(true).synthYaml()).toBe(build(false).synthYaml());
  });

  test('no hash suffixes, no time', () => {
    const yaml = build(false).synthYaml();
    expect(yaml).toContain('name: backend-from-frontend\n');
    expect(yaml).not.toMatch(/name: [a-z-]+-c8[0-9a-f]{6}/);
  });
});
