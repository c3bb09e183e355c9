/**
 * The ClusterNetworkPolicy rules of the CRD, over the model (one home for them): each rule's problem,
 * with the exact reason, and agreement with the parser: every model the validator refuses, rendered to
 * YAML, is refused by the parser too, and every model it accepts reads back unchanged.
 */
import { renderClusterNetworkPolicy } from '../../src/emit/render';
import { ClusterNetworkPolicyModel, CnpPeerModel, CnpRuleModel } from '../../src/model/policy';
import { makeSelector } from '../../src/model/selector';
import { CNP_LIMITS, cnpProblems, cnpProtocolProblems, CnpProblem } from '../../src/model/validate-cnp';
import { policiesFromManifests } from '../../src/parse/policies';

const ALL_NS = makeSelector();
const TENANT_A = makeSelector({ tenant: 'a' });

/** A model that uses every field the API has, and that the CRD admits. */
const VALID: ClusterNetworkPolicyModel = {
  kind: 'ClusterNetworkPolicy',
  name: 'guardrail',
  labels: {},
  annotations: {},
  tier: 'Admin',
  priority: 10,
  subject: { namespaces: TENANT_A },
  ingress: [
    { name: 'from-tenant', action: 'Pass', peers: [{ kind: 'pods', namespaces: TENANT_A }], protocols: 'all' },
    { name: '', action: 'Deny', peers: [{ kind: 'pods', namespaces: ALL_NS, pods: makeSelector({ app: 'x' }) }], protocols: [{ namedPort: 'http' }] },
  ],
  egress: [
    { name: 'dns', action: 'Accept', peers: [{ kind: 'domainNames', names: ['*.example.com', 'api.example.com'] }], protocols: [{ protocol: 'TCP', port: 443 }] },
    { name: '', action: 'Deny', peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0', '::/0'] }, { kind: 'nodes', selector: ALL_NS }], protocols: [{ protocol: 'UDP', port: 1, endPort: 1024 }] },
  ],
};

const rule = (r: Partial<CnpRuleModel>): CnpRuleModel => ({ name: '', action: 'Deny', peers: [{ kind: 'pods', namespaces: ALL_NS }], protocols: 'all', ...r });
const withEgress = (...egress: CnpRuleModel[]): ClusterNetworkPolicyModel => ({ ...VALID, egress });
const withIngress = (...ingress: CnpRuleModel[]): ClusterNetworkPolicyModel => ({ ...VALID, ingress });
const networks = (...cidrs: string[]): CnpPeerModel => ({ kind: 'networks', cidrs });

function parse(model: ClusterNetworkPolicyModel): ClusterNetworkPolicyModel {
  return policiesFromManifests([renderClusterNetworkPolicy(model)]).policies[0] as ClusterNetworkPolicyModel;
}

describe('cnpProblems', () => {
  test('admits a policy with every kind of peer and protocol, which the parser reads back unchanged', () => {
    expect(cnpProblems(VALID)).toEqual([]);
    const { source, ...back } = parse(VALID);
    void source;
    expect(back).toEqual(VALID);
  });

  const cases: [string, ClusterNetworkPolicyModel, CnpProblem][] = [
    ['a name that is not a DNS-1123 subdomain', { ...VALID, name: 'Bad_Name' },
      { code: 'name', field: 'metadata.name', reason: 'policy name "Bad_Name" must consist of lower case alphanumeric characters, "-" or ".", and start and end with an alphanumeric character (DNS-1123 subdomain)' }],
    ['an unknown tier', { ...VALID, tier: 'Developer' as any }, { code: 'tier', field: 'tier', reason: 'tier "Developer" is not Admin or Baseline' }],
    ['priority 1001', { ...VALID, priority: 1001 }, { code: 'priority', field: 'priority', reason: 'priority 1001 is not a whole number from 0 to 1000' }],
    ['priority -1', { ...VALID, priority: -1 }, { code: 'priority', field: 'priority', reason: 'priority -1 is not a whole number from 0 to 1000' }],
    ['priority 1.5', { ...VALID, priority: 1.5 }, { code: 'priority', field: 'priority', reason: 'priority 1.5 is not a whole number from 0 to 1000' }],
    ['a subject selector with a bad label key', { ...VALID, subject: { namespaces: makeSelector({ 'a b': 'x' }) } },
      { code: 'selector', field: 'subject.namespaces.matchLabels', reason: 'label "a b": "x": the name part must consist of alphanumeric characters, "-", "_" or ".", and start and end with an alphanumeric character' }],
    ['a pod selector with In and no values', { ...VALID, subject: { namespaces: ALL_NS, pods: makeSelector({}, [{ key: 'app', operator: 'In', values: [] }]) } },
      { code: 'selector', field: 'subject.pods.podSelector.matchExpressions[0]', reason: 'operator In with 0 values' }],
    ['26 egress rules', withEgress(...Array.from({ length: 26 }, () => rule({}))), { code: 'rules', field: 'egress', reason: '26 egress rules; at most 25 are allowed' }],
    ['a rule name of 101 characters', withEgress(rule({ name: 'x'.repeat(101) })), { code: 'ruleName', field: 'egress[0].name', reason: 'rule name of 101 characters; at most 100 are allowed' }],
    ['an unknown action', withEgress(rule({ action: 'Allow' as any })), { code: 'action', field: 'egress[0].action', reason: 'action "Allow" is not Accept, Deny or Pass' }],
    ['a rule without peers', withEgress(rule({ peers: [] })), { code: 'peers', field: 'egress[0].to', reason: 'a rule has 0 peers; it needs 1 to 25' }],
    ['a rule with 26 peers', withIngress(rule({ peers: Array.from({ length: 26 }, () => ({ kind: 'pods', namespaces: ALL_NS }) as CnpPeerModel) })),
      { code: 'peers', field: 'ingress[0].from', reason: 'a rule has 26 peers; it needs 1 to 25' }],
    ['a peer with no known field', withEgress(rule({ peers: [{ kind: 'unknown', fields: ['services'] }] })),
      { code: 'peer', field: 'egress[0].to[0]', reason: 'a peer with none of namespaces, pods, networks, nodes, domainNames (it has services)' }],
    ['a networks peer in an ingress rule', withIngress(rule({ peers: [networks('10.0.0.0/8')] })),
      { code: 'ingressPeer', field: 'ingress[0].from[0]', reason: 'a networks peer in an ingress rule; ingress peers are namespaces and pods only' }],
    ['a nodes peer in an ingress rule', withIngress(rule({ peers: [{ kind: 'nodes', selector: ALL_NS }] })),
      { code: 'ingressPeer', field: 'ingress[0].from[0]', reason: 'a nodes peer in an ingress rule; ingress peers are namespaces and pods only' }],
    ['an empty networks peer', withEgress(rule({ peers: [networks()] })), { code: 'networks', field: 'egress[0].to[0].networks', reason: '0 CIDRs in a networks peer; it has 1 to 25' }],
    ['26 networks', withEgress(rule({ peers: [networks(...Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`))] })),
      { code: 'networks', field: 'egress[0].to[0].networks', reason: '26 CIDRs in a networks peer; it has 1 to 25' }],
    ['an invalid CIDR', withEgress(rule({ peers: [networks('999.1.1.1/8')] })),
      { code: 'cidr', field: 'egress[0].to[0].networks[0]', reason: expect.stringMatching(/^invalid CIDR "999.1.1.1\/8": /) as any }],
    ['an empty domainNames peer', withEgress(rule({ action: 'Accept', peers: [{ kind: 'domainNames', names: [] }] })),
      { code: 'domainNames', field: 'egress[0].to[0].domainNames', reason: '0 names in a domainNames peer; it has 1 to 25' }],
    ['a bad domain name', withEgress(rule({ action: 'Accept', peers: [{ kind: 'domainNames', names: ['api.*.example.com'] }] })),
      { code: 'domainName', field: 'egress[0].to[0].domainNames[0]', reason: 'domain name "api.*.example.com" must be a domain name of at least two labels (letters, digits, "-" and "_"), with "*." only as a prefix' }],
    ['domainNames in a Deny rule', withEgress(rule({ action: 'Deny', peers: [{ kind: 'domainNames', names: ['example.com'] }] })),
      { code: 'domainAccept', field: 'egress[0].to[0]', reason: 'a domainNames peer in a Deny rule; domainNames work only in Accept rules' }],
    ['domainNames in a Pass rule', withEgress(rule({ action: 'Pass', peers: [{ kind: 'domainNames', names: ['example.com'] }] })),
      { code: 'domainAccept', field: 'egress[0].to[0]', reason: 'a domainNames peer in a Pass rule; domainNames work only in Accept rules' }],
    ['an empty protocols list', withEgress(rule({ protocols: [] })),
      { code: 'protocols', field: 'egress[0].protocols', reason: '0 protocols entries; a rule has 1 to 25, or none for every port' }],
    ['26 protocols entries', withEgress(rule({ protocols: Array.from({ length: 26 }, (_, i) => ({ protocol: 'TCP' as const, port: i + 1 })) })),
      { code: 'protocols', field: 'egress[0].protocols', reason: '26 protocols entries; a rule has 1 to 25, or none for every port' }],
    ['port 0', withEgress(rule({ protocols: [{ protocol: 'TCP', port: 0 }] })),
      { code: 'port', field: 'egress[0].protocols[0].tcp.destinationPort', reason: 'port must be between 1 and 65535, got 0' }],
    ['a range that ends before it starts', withEgress(rule({ protocols: [{ protocol: 'UDP', port: 100, endPort: 99 }] })),
      { code: 'range', field: 'egress[0].protocols[0].udp.destinationPort.range', reason: 'range start 100 is greater than end 99' }],
    ['a range that ends past 65535', withEgress(rule({ protocols: [{ protocol: 'SCTP', port: 1, endPort: 70000 }] })),
      { code: 'range', field: 'egress[0].protocols[0].sctp.destinationPort.range.end', reason: 'end port must be between 1 and 65535, got 70000' }],
    ['a bad port name', withEgress(rule({ protocols: [{ namedPort: 'HTTP' }] })),
      { code: 'namedPort', field: 'egress[0].protocols[0].destinationNamedPort', reason: 'port name "HTTP": a port name may contain only lower case letters, digits and "-"' }],
    ['a named port with a networks peer', withEgress(rule({ peers: [networks('10.0.0.0/8')], protocols: [{ namedPort: 'http' }] })),
      { code: 'namedPortPeer', field: 'egress[0].protocols', reason: 'a destinationNamedPort in a rule with networks, nodes or domainNames peers, which have no named ports' }],
  ];

  test.each(cases)('refuses %s, and so does the parser', (_what, model, problem) => {
    expect(cnpProblems(model)).toEqual([problem]);
    if (problem.code === 'peer') {
      // An empty peer is read as an unknown one, which fails closed (the API's rule for a newer CRD's fields).
      expect(parse(model).egress[0].peers).toEqual([{ kind: 'unknown', fields: [] }]);
    } else {
      expect(() => parse(model)).toThrow();
    }
  });

  test('a one-port range is that port, as the renderer writes it', () => {
    const model = withEgress(rule({ protocols: [{ protocol: 'UDP', port: 100, endPort: 100 }] }));
    expect(cnpProblems(model)).toEqual([]);
    expect(parse(model).egress[0].protocols).toEqual([{ protocol: 'UDP', port: 100 }]);
  });

  test('a protocols entry without a port is refused (the renderer never writes one)', () => {
    expect(cnpProtocolProblems({ protocol: 'TCP' }, 'p')).toEqual([{ code: 'port', field: 'p.tcp.destinationPort', reason: 'a TCP entry without a port' }]);
    expect(cnpProtocolProblems({ protocol: 'ICMP' as any, port: 1 }, 'p')).toEqual([{ code: 'protocol', field: 'p', reason: 'protocol "ICMP" is not TCP, UDP or SCTP' }]);
  });

  test('the limits are the CRD\'s', () => {
    expect(CNP_LIMITS).toEqual({ rules: 25, peers: 25, protocols: 25, networks: 25, domainNames: 25, ruleName: 100, priority: 1000, cidr: 43 });
    expect(cnpProblems({ ...VALID, priority: 0 })).toEqual([]);
    expect(cnpProblems({ ...VALID, priority: 1000 })).toEqual([]);
    expect(cnpProblems(withEgress(...Array.from({ length: 25 }, () => rule({}))))).toEqual([]);
    expect(cnpProblems(withEgress(rule({ name: 'x'.repeat(100) })))).toEqual([]);
  });
});
