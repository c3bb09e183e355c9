/**
 * Lint warnings at synth: which chart owns each finding, where in the construct tree it is (its place),
 * and what each chart's validation prints or fails with.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppVerification } from './verify';
import { LintFinding } from '../analysis/lint';
import { PolicyChartBase, policyChartsOf } from '../constructs/_policy-chart-base';
import { SECOND_REPLICA_SUFFIX } from '../model/cluster';
import { policyId } from '../model/policy';
import { formatStrictWarning, formatSynthWarning } from '../report/verify/text';

type Owned = { finding: LintFinding; place: string }[];

/** Each chart's warnings with their places, per verification (every chart's validation shares one). */
const ownedByVerification = new WeakMap<AppVerification, Map<PolicyChartBase, Owned>>();

/** The warnings of `verification` that `chart` owns, each with its place. */
export function ownedWarnings(chart: PolicyChartBase, verification: AppVerification): Owned {
  let byChart = ownedByVerification.get(verification);
  if (byChart === undefined) {
    byChart = assignWarnings(chart, verification);
    ownedByVerification.set(verification, byChart);
  }
  return byChart.get(chart) ?? [];
}

/** Every warning to its one chart: its policy's, else the chart its place is in, else the first of its namespace, else the first. */
function assignWarnings(anyChart: PolicyChartBase, verification: AppVerification): Map<PolicyChartBase, Owned> {
  const byChart = new Map<PolicyChartBase, Owned>();
  const warnings = verification.findings.filter((f) => f.severity === 'warning');
  if (warnings.length === 0) return byChart;
  const charts = policyChartsOf(anyChart).filter((c) => c.policies.length > 0);
  const policyOwner = new Map<string, PolicyChartBase>();
  for (const c of charts) for (const p of c.policies) if (!policyOwner.has(policyId(p))) policyOwner.set(policyId(p), c);
  const places = placesOf(anyChart.node.root, verification);
  const inChart = (f: LintFinding) => {
    const place = places.get(f.subject);
    return place === undefined ? undefined : charts.find((c) => place === c.node.path || place.startsWith(`${c.node.path}/`));
  };
  const owner = (f: LintFinding) => policyOwner.get(f.subject)
    ?? inChart(f)
    ?? charts.find((c) => c.namespace === f.subject.split('/')[0])
    ?? charts[0];
  const replica = new RegExp(`${SECOND_REPLICA_SUFFIX}$`);
  const placeOf = (subject: string) => places.get(subject) ?? places.get(subject.replace(replica, '')) ?? subject;
  for (const finding of warnings) {
    const c = owner(finding);
    if (c === undefined) continue;
    const list = byChart.get(c) ?? [];
    list.push({ finding, place: placeOf(finding.subject) });
    byChart.set(c, list);
  }
  return byChart;
}

/**
 * Construct paths by subject: a policy's construct, an intent's chart (`intents[i]`), or the construct whose object has that
 * `namespace/name` (a workload, a Service), without the trailing `/Resource` of cdk8s-plus.
 */
function placesOf(root: IConstruct, verification: AppVerification): Map<string, string> {
  const places = new Map<string, string>();
  for (const p of verification.model.policies) if (p.source?.constructPath) places.set(policyId(p), p.source.constructPath);
  verification.results.forEach((r, i) => {
    if (r.intent.source?.constructPath) places.set(`intents[${i}]`, r.intent.source.constructPath);
  });
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const namespace = c.metadata.namespace ?? Chart.of(c).namespace;
    if (namespace === undefined) continue;
    const id = `${namespace}/${c.name}`;
    if (!places.has(id)) places.set(id, c.node.path.replace(/\/Resource$/, ''));
  }
  return places;
}

/** Lines already printed, per app: cdk8s validates the app once per synth and once more per chart. */
const printedByRoot = new WeakMap<IConstruct, Set<string>>();

/** At most this many warnings are printed per app; then one line says how to see them all. */
export const MAX_PRINTED_WARNINGS = 50;

/** The line printed instead of the warnings past MAX_PRINTED_WARNINGS. */
export const MORE_WARNINGS = `netproof: more than ${MAX_PRINTED_WARNINGS} warnings; the rest are not printed. verifyApp(app).findings and netproof verify list them all\n`;

/**
 * What a chart's validation does with the warnings it owns: errors when strict, else lines to print
 * (each line once per app and process, however often the app is validated; at most
 * MAX_PRINTED_WARNINGS of them, then one line saying where the rest are).
 */
export function warningOutcome(
  chart: IConstruct, owned: Owned, strict: boolean,
): { errors: string[]; printed: string } {
  if (strict) return { errors: owned.map(({ finding, place }) => formatStrictWarning(finding, place)), printed: '' };
  const root = chart.node.root;
  const printed = printedByRoot.get(root) ?? new Set<string>();
  printedByRoot.set(root, printed);
  const out: string[] = [];
  for (const line of owned.map(({ finding, place }) => `netproof: ${formatSynthWarning(finding, place)}\n`)) {
    if (printed.has(line)) continue;
    if (printed.size === MAX_PRINTED_WARNINGS) out.push(MORE_WARNINGS);
    printed.add(line);
    if (printed.size <= MAX_PRINTED_WARNINGS) out.push(line);
  }
  return { errors: [], printed: out.join('') };
}
