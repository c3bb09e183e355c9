/**
 * The intents file (`netproof verify --intents FILE`): intents for YAML users, in a small format.
 *
 * ```yaml
 * intents:
 *   - name: frontend reaches backend          # optional, for reports
 *     from: {namespace: shop, pods: {app: frontend}}
 *     to: {namespace: shop, pods: {app: backend}}
 *     port: 8080/TCP                          # optional: any port of any protocol when absent
 *     expect: allow                           # allow | deny
 *   - to: {namespace: payments, pods: {app: ledger}}
 *     onlyFrom: [{namespace: payments}]
 *   - of: {namespace: shop}
 *     isolated: ingress                       # ingress | egress
 *     network: blue                           # optional Pod-network, default "default"
 * ```
 * An endpoint may also be `{externalGroup: PREFIX}` (every external whose name starts with it) or carry
 * `workload: ns/name` beside its selectors (the pods that workload's template makes), as the intents
 * netproof synth records are written; or be `{service: ns/name}`, the pods of a Service of the inputs,
 * with `servicePort: http` on the intent for a port of the `to` Service (checked as its targetPort);
 * given the cluster's pods (`netproof verify`), `workload: ns/name` alone names a workload of the model.
 */
import { Fix, NetproofError } from '../errors';
import { Cursor, parseManifestText } from './_documents';
import { IntentServiceFix, serviceEndpoint, servicePortOf } from './_intent-services';
import { parseLabels } from './_objects';
import { describeValue } from './messages';
import { parseSelector } from './policies';
import { didYouMean } from '../model/closest';
import { CONTROLLER_LABEL_KEYS, PodModel, SECOND_REPLICA_SUFFIX, ServiceModel } from '../model/cluster';
import { describeIntent, describePodSet, EndpointSetModel, IntentModel } from '../model/intent';
import { NAMESPACE_NAME_LABEL } from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { LabelSelectorModel, makeSelector, SELECT_ALL } from '../model/selector';
import { checkDns1123Label, checkDns1123Subdomain, checkFqdnName, checkPortName, checkPortNumber } from '../model/validate';

export interface NamedIntent {
  /** The `name` given in the file, or the intent in words. */
  readonly name: string;
  readonly intent: IntentModel;
}

export const IntentFileFix = {
  top: 'An intents file is a map with one key, "intents", holding a list (or just the list)',
  empty: 'List at least one intent, e.g. "- {from: shop/web, to: shop/api, port: 8080/TCP, expect: allow}" (format in the README)',
  kind: 'Give each intent exactly one of: "expect: allow|deny" (with from and to), "onlyFrom" (with to), or "isolated: ingress|egress" (with of)',
  expect: 'Use expect: allow or expect: deny',
  direction: 'Use isolated: ingress or isolated: egress',
  scope: 'Use scope: all (every pod and namespace that could exist) or scope: existing (the known workloads)',
  endpoint: 'Write an endpoint as a map with namespace / namespaceSelector / pods / podSelector, or pod: ns/name, service: ns/name, external: NAME, fqdn: HOST; or as a string "ns/name" (a pod) or "NAME" (an external)',
  endpointOne: 'Use either pods (and/or namespace selectors, and optionally workload: ns/name), or exactly one of pod, service, external, externalGroup, fqdn',
  workload: 'Name a workload of the cluster model as namespace/name, e.g. "shop/frontend" (netproof reach lists them), or give the selectors that find its pods beside it',
  port: 'Write a port as 80, "80/TCP", "8000-8100/UDP", a container port name such as "http" or "http/UDP", a protocol alone ("TCP": every TCP port), or "any"',
} as const;

const INTENT_FIELDS = ['name', 'from', 'to', 'of', 'expect', 'onlyFrom', 'isolated', 'port', 'servicePort', 'network', 'scope'];
const ENDPOINT_FIELDS = ['namespace', 'namespaceSelector', 'pods', 'podSelector', 'workload', 'pod', 'service', 'external', 'externalGroup', 'fqdn'];

/** What an intents file's endpoints may name besides selectors. */
export interface IntentFileOptions {
  /**
   * The pods of the cluster model, so that an endpoint may name a workload alone (`workload: ns/name`):
   * its pods are then found by that pod's labels in its namespace.
   * @default - none: `workload` needs selectors beside it
   */
  readonly pods?: readonly PodModel[];
  /**
   * The Services of the inputs, which `service: ns/name` endpoints and `servicePort` name.
   * @default - none: a `service` endpoint is an error
   */
  readonly services?: readonly ServiceModel[];
}

/** Parses an intents file's text; errors name the file, the field (`intents[2].to.pods`), the value and the fix. */
export function parseIntents(text: string, file: string, options: IntentFileOptions = {}): NamedIntent[] {
  const docs = parseManifestText(text, file);
  if (docs.length !== 1) {
    const where = `${file}[document ${docs.length > 1 ? docs[1].index : 0}]`;
    throw new NetproofError(where, `expected one YAML document, got ${docs.length}. ${IntentFileFix.top}`);
  }
  const root = Cursor.root(docs[0]);
  const list = Array.isArray(root.value) ? root : (root.map(['intents']), root.child('intents'));
  if (!Array.isArray(list.value)) throw list.error(`expected a list of intents, got ${describeValue(list.value)}`, IntentFileFix.top);
  if (list.value.length === 0) throw list.error('the list of intents is empty, so there is nothing to verify', IntentFileFix.empty);
  return list.list().map((c, index) => parseIntent(c, file, index, options));
}

function parseIntent(c: Cursor, file: string, index: number, options: IntentFileOptions): NamedIntent {
  const services = options.services;
  const endpoint = (e: Cursor) => parseEndpoint(e, options);
  c.map(INTENT_FIELDS);
  const kinds = ['expect', 'onlyFrom', 'isolated'].filter((k) => c.has(k));
  if (kinds.length !== 1) throw c.error(kinds.length === 0 ? 'the intent says neither expect, onlyFrom nor isolated' : `the intent has ${kinds.join(' and ')}`, IntentFileFix.kind);
  const network = c.child('network').isAbsent ? undefined : c.child('network').string(Fix.dns1123Subdomain);
  if (network !== undefined) c.child('network').check(network, checkDns1123Subdomain(network), Fix.dns1123Subdomain);
  if (c.has('port') && c.has('servicePort')) throw c.child('servicePort').error('both port and servicePort are given', IntentServiceFix.bothPorts);
  const port = c.has('servicePort') && !c.has('isolated') ? servicePortOf(c.child('servicePort'), c.has('to') ? c.child('to').child('service') : undefined, services)
    : c.child('port').isAbsent ? undefined : parsePort(c.child('port'));
  const scopeAt = c.child('scope');
  if (!scopeAt.isAbsent && scopeAt.value !== 'all' && scopeAt.value !== 'existing') throw scopeAt.error(`scope is ${scopeAt.described}`, IntentFileFix.scope);
  const scope = scopeAt.isAbsent ? {} : { scope: scopeAt.value as 'all' | 'existing' };
  const line = c.doc.lineOf?.(c.path);
  const source = { file, index, ...(line !== undefined ? { line } : {}) };
  let intent: IntentModel;
  const need = (key: string) => {
    if (!c.has(key)) throw c.error(`missing "${key}"`, IntentFileFix.kind);
    return endpoint(c.child(key));
  };
  const forbid = (...keys: string[]) => {
    for (const k of keys) if (c.has(k)) throw c.child(k).error(`"${k}" does not go with "${kinds[0]}"`, IntentFileFix.kind);
  };
  if (kinds[0] === 'expect') {
    forbid('of');
    const e = c.child('expect');
    if (e.value !== 'allow' && e.value !== 'deny') throw e.error(`expect is ${e.described}`, IntentFileFix.expect);
    intent = { kind: e.value === 'allow' ? 'canReach' : 'cannotReach', subject: need('from'), target: need('to'), port, network, ...scope, source };
  } else if (kinds[0] === 'onlyFrom') {
    forbid('from', 'of');
    const sources = c.child('onlyFrom').list().map((s) => endpoint(s));
    intent = { kind: 'onlyReachableFrom', subject: need('to'), allowedSources: sources, port, network, ...scope, source };
  } else {
    forbid('from', 'to');
    for (const k of ['port', 'servicePort']) if (c.has(k)) throw c.child(k).error(`"${k}" does not go with "isolated"`, IntentFileFix.kind);
    const d = c.child('isolated');
    if (d.value !== 'ingress' && d.value !== 'egress') throw d.error(`isolated is ${d.described}`, IntentFileFix.direction);
    intent = { kind: 'isolated', subject: need('of'), direction: d.value, network, ...scope, source };
  }
  const name = c.child('name').isAbsent ? undefined : c.child('name').string();
  return { name: name ?? describeIntent(intent), intent };
}

function parseEndpoint(c: Cursor, options: IntentFileOptions): EndpointSetModel {
  const { pods: known, services } = options;
  if (typeof c.value === 'string') {
    const s = c.value;
    if (s.includes('/')) return podByName(c, s);
    if (!s || /\s/.test(s)) throw c.error(`endpoint ${c.described} is not a name`, IntentFileFix.endpoint);
    return s === 'internet' ? { kind: 'internet', text: 'the internet' } : { kind: 'external', name: s, text: `external ${s}` };
  }
  const m = c.map(ENDPOINT_FIELDS);
  const singles = ['pod', 'service', 'external', 'externalGroup', 'fqdn'].filter((k) => k in m);
  const podKeys = ['namespace', 'namespaceSelector', 'pods', 'podSelector', 'workload'].filter((k) => k in m);
  if (singles.length > 1 || (singles.length === 1 && podKeys.length > 0)) throw c.error(`the endpoint mixes ${[...singles, ...podKeys].join(', ')}`, IntentFileFix.endpointOne);
  if (singles[0] === 'pod') return podByName(c.child('pod'), c.child('pod').string());
  if (singles[0] === 'service') return serviceEndpoint(c.child('service'), services);
  if (singles[0] === 'external') {
    const name = c.child('external').string();
    if (!name || name.includes('/') || /\s/.test(name)) throw c.child('external').error(`external name ${c.child('external').described} has "/" or spaces`, IntentFileFix.endpoint);
    return name === 'internet' ? { kind: 'internet', text: 'the internet' } : { kind: 'external', name, text: `external ${name}` };
  }
  if (singles[0] === 'externalGroup') {
    const prefix = c.child('externalGroup').string();
    if (!prefix || prefix.includes('/') || /\s/.test(prefix)) throw c.child('externalGroup').error(`external name prefix ${c.child('externalGroup').described} is empty or has "/" or spaces`, IntentFileFix.endpoint);
    return { kind: 'externalGroup', prefix, text: `externals ${prefix}*` };
  }
  if (singles[0] === 'fqdn') {
    const at = c.child('fqdn');
    const host = at.check(at.string(Fix.fqdn), checkFqdnName(at.value as string), Fix.fqdn);
    return { kind: 'hostname', hostname: host, text: `host ${host}` };
  }
  if (podKeys.length === 0) throw c.error('the endpoint is empty', IntentFileFix.endpoint);
  if (podKeys.length === 1 && podKeys[0] === 'workload') {
    if (known === undefined) throw c.error('the endpoint has a workload but no selectors, so it would select every pod', 'Give the selectors that find the workload\'s pods beside it, e.g. {namespace: shop, pods: {app: web}, workload: shop/web}');
    return workloadOfModel(c.child('workload'), known);
  }
  if ('pods' in m && 'podSelector' in m) throw c.child('podSelector').error('both pods and podSelector are given', 'Use pods (labels) or podSelector (matchLabels/matchExpressions), not both');
  let namespaces: LabelSelectorModel = c.has('namespaceSelector') ? parseSelector(c.child('namespaceSelector')) : SELECT_ALL;
  if (c.has('namespace')) {
    const at = c.child('namespace');
    const ns = at.check(at.string(Fix.dns1123Label), checkDns1123Label(at.value as string), Fix.dns1123Label);
    namespaces = makeSelector({ ...namespaces.matchLabels, [NAMESPACE_NAME_LABEL]: ns }, namespaces.matchExpressions);
  }
  const pods = c.has('pods') ? makeSelector(parseLabels(c.child('pods'))) : c.has('podSelector') ? parseSelector(c.child('podSelector')) : SELECT_ALL;
  if (c.has('workload')) {
    // The pods of one workload: the ones its template makes (for proofs), found by the selectors.
    const at = c.child('workload');
    const [namespace, name, ...rest] = at.string().split('/');
    if (rest.length > 0 || checkDns1123Label(namespace ?? '') || checkDns1123Subdomain(name ?? '')) {
      throw at.error(`workload ${at.described} is not of the form namespace/name`, 'Write the workload as "shop/frontend", with the selectors that find its pods');
    }
    return { kind: 'pods', namespaces, pods, text: `workload ${namespace}/${name}`, workload: { namespace, name } };
  }
  return { kind: 'pods', namespaces, pods, text: describePodSet(namespaces, pods) };
}

/** `workload: ns/name` alone: the pods of that workload of the cluster model, by its labels (without per-pod labels). */
function workloadOfModel(at: Cursor, known: readonly PodModel[]): EndpointSetModel {
  const text = at.string();
  const [namespace, name, ...rest] = text.split('/');
  if (rest.length > 0 || checkDns1123Label(namespace ?? '') || checkDns1123Subdomain(name ?? '')) {
    throw at.error(`workload ${at.described} is not of the form namespace/name`, IntentFileFix.workload);
  }
  const pod = known.find((p) => p.namespace === namespace && p.name === name && p.replicaOf === undefined);
  if (pod === undefined) {
    const ids = known.filter((p) => p.replicaOf === undefined).map((p) => `${p.namespace}/${p.name}`);
    throw at.error(`workload ${at.described} is not in the cluster model${didYouMean(text, ids, 'workload')}`, IntentFileFix.workload);
  }
  const labels = Object.fromEntries(Object.entries(pod.labels).filter(([k]) => !CONTROLLER_LABEL_KEYS.includes(k)));
  const namespaces = makeSelector({ [NAMESPACE_NAME_LABEL]: namespace });
  return { kind: 'pods', namespaces, pods: makeSelector(labels), text: `workload ${namespace}/${name}`, workload: { namespace, name } };
}

function podByName(c: Cursor, s: string): EndpointSetModel {
  const [namespace, name, ...rest] = s.split('/');
  // `ns/web#2` names the second replica of workload web.
  const base = name?.endsWith(SECOND_REPLICA_SUFFIX) ? name.slice(0, -SECOND_REPLICA_SUFFIX.length) : name;
  if (rest.length > 0 || checkDns1123Label(namespace ?? '') || checkDns1123Subdomain(base ?? '')) {
    throw c.error(`pod ${c.described} is not of the form namespace/name`, 'Write the pod as "shop/frontend-0"');
  }
  return { kind: 'pod', namespace, name, text: `pod ${namespace}/${name}` };
}

/** `80`, `80/TCP`, `8000-8100/UDP`, `http`, `http/UDP`, `TCP`, `any` (→ undefined). */
export function parsePortText(text: string): PortModel | undefined | string {
  const t = text.trim();
  if (t === 'any') return undefined;
  const [spec, proto, ...rest] = t.split('/');
  if (rest.length > 0) return `port "${text}" has more than one "/"`;
  const upper = (proto ?? 'TCP').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(upper)) return `protocol "${proto}" is not TCP, UDP or SCTP`;
  const protocol = upper as Protocol;
  if (proto === undefined && (PROTOCOLS as readonly string[]).includes(spec.toUpperCase())) return { protocol: spec.toUpperCase() as Protocol };
  const range = /^(\d+)-(\d+)$/.exec(spec);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    const bad = checkPortNumber(a) ?? checkPortNumber(b) ?? (b < a ? `endPort must be greater than or equal to port, got ${a}-${b}` : undefined);
    return bad ?? { protocol, port: a, endPort: b };
  }
  if (/^\d+$/.test(spec)) return checkPortNumber(Number(spec)) ?? { protocol, port: Number(spec) };
  return checkPortName(spec) ?? { protocol, port: spec };
}

function parsePort(c: Cursor): PortModel | undefined {
  const v = c.value;
  if (typeof v !== 'number' && typeof v !== 'string') throw c.error(`port is ${c.described}`, IntentFileFix.port);
  const r = parsePortText(String(v));
  if (typeof r === 'string') throw c.error(r, IntentFileFix.port);
  return r;
}
