import { readFileSync } from 'fs';
import { join } from 'path';
import { IntentResult } from '../../../src/analysis/intents';
import { LINT_RULES, LintFinding } from '../../../src/analysis/lint';
import { IntentModel } from '../../../src/model/intent';
import { policiesFromFiles } from '../../../src/parse/policies';
import { INTENT_RULE_ID, renderSarif, SARIF_SCHEMA, SarifDriver, SarifLog, SarifResult, SarifRule, SarifRun } from '../../../src/report/verify/sarif';
import { REPO, run } from '../../cli/_run';

const FIXTURE = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies', '--intents', 'test/fixtures/reach/intents.yaml'];

/**
 * The SARIF 2.1.0 requirements netproof relies on (sarif-schema-2.1.0.json): version and runs; each run a
 * tool.driver with a name; each rule an id; each result a message.text, a ruleId known to the driver with a
 * matching ruleIndex, a level among none/note/warning/error, and locations whose regions start at line >= 1.
 */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const l = log as SarifLog;
  if (l.version !== '2.1.0') problems.push(`version is ${String(l.version)}`);
  if (l.$schema !== SARIF_SCHEMA) problems.push('$schema');
  if (!Array.isArray(l.runs) || l.runs.length === 0) return [...problems, 'runs'];
  for (const one of l.runs as readonly SarifRun[]) {
    const driver: SarifDriver | undefined = one.tool?.driver;
    const rules: readonly SarifRule[] = driver?.rules ?? [];
    if (typeof driver?.name !== 'string' || driver.name === '') problems.push('tool.driver.name');
    const ids: string[] = rules.map((r) => r.id);
    if (ids.some((id) => typeof id !== 'string') || new Set(ids).size !== ids.length) problems.push('rule ids');
    for (const r of rules) if (!r.shortDescription?.text || !r.name) problems.push(`rule ${r.id} description`);
    if (!Array.isArray(one.results)) problems.push('results');
    one.results.forEach((res: SarifResult, i: number) => {
      if (typeof res.message?.text !== 'string' || res.message.text === '') problems.push(`results[${i}].message.text`);
      if (!ids.includes(res.ruleId) || ids[res.ruleIndex] !== res.ruleId) problems.push(`results[${i}].ruleId/ruleIndex`);
      if (!['none', 'note', 'warning', 'error'].includes(res.level)) problems.push(`results[${i}].level`);
      for (const loc of res.locations ?? []) {
        const p = loc.physicalLocation;
        if (p && (typeof p.artifactLocation?.uri !== 'string' || /^\.\/|\\/.test(p.artifactLocation.uri))) problems.push(`results[${i}] uri`);
        if (p?.region && !(Number.isInteger(p.region.startLine) && p.region.startLine >= 1)) problems.push(`results[${i}] startLine`);
        if (!p && !(loc.logicalLocations ?? []).length) problems.push(`results[${i}] location`);
      }
    });
  }
  return problems;
}

const FINDING = (over: Partial<LintFinding>): LintFinding => ({
  id: LINT_RULES.selectorMatchesNothing.id, name: LINT_RULES.selectorMatchesNothing.name, severity: 'warning', subject: 'shop/allow-frontend-to-backend', message: 'selects nothing', ...over,
});

function violated(text: string, intent: Partial<IntentModel> = {}): IntentResult {
  return {
    intent: { kind: 'canReach', subject: { kind: 'external', name: 'x', text: 'x' }, ...intent } as IntentModel,
    text,
    holds: false,
    scope: 'existing',
    counterexamples: [],
    violations: 0,
    checked: 1,
    problem: 'x matches nothing',
  };
}

describe('renderSarif', () => {
  test('declares every lint and the intent rule, and the log has the SARIF 2.1.0 shape', () => {
    const log = renderSarif({ findings: [], intents: [] });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].tool.driver.name).toBe('netproof');
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['NP001', 'NP002', 'NP003', 'NP004', 'NP005', 'NP006', 'NP007', 'NP008', 'NP009', 'NP010', 'NP011', 'NP012', 'NP013', 'NP014', 'NP015', 'NP016', 'NP017', 'NP018', 'NP019', 'NP020', 'NP021', INTENT_RULE_ID]);
    expect(log.runs[0].tool.driver.rules[0]).toEqual({
      id: 'NP001', name: 'undeclared-network', shortDescription: { text: LINT_RULES.undeclaredNetwork.summary }, defaultConfiguration: { level: 'error' },
    });
    expect(log.runs[0].results).toEqual([]);
  });

  test('locates a finding about a policy in its file, at the line of its document', () => {
    const file = 'test/fixtures/reach/policies/shop.yaml';
    const policies = policiesFromFiles([{ path: file, text: readFileSync(join(REPO, file), 'utf8') }]).policies;
    const log = renderSarif({
      findings: [FINDING({}), FINDING({ id: 'NP001', name: 'undeclared-network', severity: 'error', subject: 'shop/default-deny-ingress', message: 'bad network' })],
      intents: [],
      policies,
    });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([
      {
        ruleId: 'NP008',
        ruleIndex: 7,
        level: 'warning',
        message: { text: 'shop/allow-frontend-to-backend: selects nothing' },
        locations: [{
          physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 10 } },
          logicalLocations: [{ name: 'shop/allow-frontend-to-backend', fullyQualifiedName: 'NetworkPolicy/shop/allow-frontend-to-backend', kind: 'resource' }],
        }],
      },
      {
        ruleId: 'NP001',
        ruleIndex: 0,
        level: 'error',
        message: { text: 'shop/default-deny-ingress: bad network' },
        locations: [{
          physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 2 } },
          logicalLocations: [{ name: 'shop/default-deny-ingress', fullyQualifiedName: 'NetworkPolicy/shop/default-deny-ingress', kind: 'resource' }],
        }],
      },
    ]);
  });

  test('gives a logical location when nothing names a file (constructs, unknown subjects)', () => {
    const log = renderSarif({
      findings: [FINDING({ subject: 'shop/api' })],
      intents: [{ name: 'frontend reaches api', result: violated('pods app=frontend can reach x', { source: { constructPath: 'shop/intents' } }) }],
    });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((r) => r.locations)).toEqual([
      [{ logicalLocations: [{ name: 'shop/api', fullyQualifiedName: 'shop/api', kind: 'resource' }] }],
      [{ logicalLocations: [{ name: 'frontend reaches api', fullyQualifiedName: 'shop/intents: pods app=frontend can reach x', kind: 'object' }] }],
    ]);
    expect(log.runs[0].results[1].message.text).toBe('intent violated: frontend reaches api: pods app=frontend can reach x\nx matches nothing');
  });

  test('names the fallback file for results no other file is known for (code scanning needs a file)', () => {
    const log = renderSarif({
      findings: [FINDING({ subject: 'shop/api' })],
      intents: [{ name: 'n', result: violated('t', { source: { constructPath: 'shop/intents' } }) }],
      fallbackFile: './intents.yaml',
    });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((r) => r.locations[0].physicalLocation)).toEqual([
      { artifactLocation: { uri: 'intents.yaml' } },
      { artifactLocation: { uri: 'intents.yaml' } },
    ]);
  });

  test('reports only violated intents', () => {
    const holds = { ...violated('ok'), holds: true };
    expect(renderSarif({ findings: [], intents: [{ name: 'ok', result: holds }] }).runs[0].results).toEqual([]);
  });

  test('a policy inside a List in a later document is located at its item, not at the document with its item index', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cfg}',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata: {name: svc, namespace: shop}',
      '  - apiVersion: networking.k8s.io/v1',
      '    kind: NetworkPolicy',
      '    metadata: {name: deny, namespace: shop}',
      '    spec: {podSelector: {}}',
      '',
    ].join('\n');
    const policy = policiesFromFiles([{ path: 'list.yaml', text }]).policies[0];
    expect(policy.source).toEqual({ file: 'list.yaml', index: 1, item: 1, line: 11 });
    const log = renderSarif({ findings: [FINDING({ subject: 'shop/deny' })], intents: [], policies: [policy] });
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'list.yaml' }, region: { startLine: 11 } });
  });

  test('a policy inside a JSON List is located at its item (the JSON is scanned, not parsed twice)', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'shop', annotations: { note: 'a "quoted" ] } string' } } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } },
      ],
    }, null, 2);
    const policy = policiesFromFiles([{ path: 'list.json', text }]).policies[0];
    const line = text.split('\n').findIndex((l) => l.includes('"apiVersion": "networking.k8s.io/v1"')) + 1;
    expect(policy.source).toEqual({ file: 'list.json', index: 0, item: 1, line: line - 1 });
  });
});

describe('netproof verify --format sarif', () => {
  test('writes the violated intent with its line in the intents file, and the lint warnings; exit 1', async () => {
    const r = await run(['verify', ...FIXTURE, '--format', 'sarif']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(sarifProblems(log)).toEqual([]);
    const where = (x: SarifResult) => x.locations[0].physicalLocation;
    expect(log.runs[0].results.map((x) => [x.ruleId, x.level, where(x)?.artifactLocation.uri, where(x)?.region?.startLine]))
      .toEqual([
        ['NP005', 'warning', 'test/fixtures/reach/cluster.yaml', undefined],
        ['NP009', 'warning', 'test/fixtures/reach/cluster.yaml', undefined],
        ['NP009', 'warning', 'test/fixtures/reach/cluster.yaml', undefined],
        ['intent', 'error', 'test/fixtures/reach/intents.yaml', 20],
      ]);
    expect(log.runs[0].results[3].message.text).toContain('shop/backend -> default/db on TCP 6379 (network default, dataplane upstream): ALLOWED');
  });

  test('exit code 0 when every intent holds', async () => {
    const files = {
      'c.yaml': 'namespaces: {a: {}}\npods: [{namespace: a, name: p, labels: {app: p}}]\n',
      'p.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\nspec: {podSelector: {}}\n',
      'i.yaml': 'intents:\n  - of: {namespace: a}\n    isolated: ingress\n',
    };
    const r = await run(['verify', '--cluster', 'c.yaml', '--policies', 'p.yaml', '--intents', 'i.yaml', '--format', 'sarif'], files);
    expect(r.code).toBe(0);
    expect(sarifProblems(JSON.parse(r.stdout))).toEqual([]);
  });
});
