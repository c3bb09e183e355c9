/**
 * Policy input: Kubernetes NetworkPolicy and GKE FQDNNetworkPolicy objects from YAML / JSON text or
 * in-memory manifests (a cdk8s App: `./app.ts`), turned into the policy model with every default explicit and
 * validated against the Kubernetes rules. Other kinds are returned as skipped objects (never silently
 * dropped); kinds that look like network policies netproof cannot model are errors (fail closed).
 */
import { Fix } from '../errors';
import { Cursor, isPlainObject, ManifestDocument, objectDocuments, parseManifestText, sourceOf } from './_documents';
import { KubeObject, kubeObjects, OBJECT_META_FIELDS, parseAnnotations, parseLabels, skippedOf } from './_objects';
import { FileText } from './files';
import { describeValue, ParseFix } from './messages';
import { SkippedObject } from './skipped';

export { SkippedObject, describeSkipped } from './skipped';
import { cidrContains, parseCidr } from '../model/cidr';
import { NETWORK_LOGGING_API_VERSION, NETWORK_LOGGING_KIND } from '../model/gke';
import {
  CNP_ACTIONS, CNP_API_VERSION, CNP_TIERS, ClusterNetworkPolicyModel, CnpAction, CnpPeerModel, CnpPodsModel, CnpProtocolModel, CnpRuleModel, CnpTier,
  defaultPolicyTypes, Direction, FqdnMatchModel, FqdnPolicyModel, FqdnRuleModel, NETWORK_ANNOTATION,
  NetworkPolicyModel, PeerModel, PolicyModel, policyId, PolicyType, RuleModel, SourceRef,
} from '../model/policy';
import { PortModel, Protocol, PROTOCOLS } from '../model/port';
import { compareStrings, LabelRequirementModel, LabelSelectorModel, makeSelector, SELECT_ALL, SelectorOperator } from '../model/selector';
import {
  checkCnpDomainName, checkDns1123Label, checkDns1123Subdomain, checkFqdnName, checkFqdnPattern, checkLabelKey, checkLabelValue,
  checkPortName, checkPortNumber,
} from '../model/validate';


/** Policies read from an input, and the objects of other kinds that were not modelled. */
export interface PolicyInput {
  readonly policies: readonly PolicyModel[];
  readonly skipped: readonly SkippedObject[];
}

export interface PolicyParseOptions {
  /**
   * Namespace of objects without `metadata.namespace` (what `kubectl apply` uses without `-n`).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';
const FQDN_POLICY_API_VERSION = 'networking.gke.io/v1alpha1';

/** Kinds that restrict traffic but that netproof does not model: an error rather than a skip (fail closed). */
const UNMODELLED_POLICY_KINDS = new Set([
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'GlobalNetworkPolicy',
  'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  // OVN-Kubernetes (k8s.ovn.org), OpenShift SDN (network.openshift.io): egress firewalls
  'EgressFirewall', 'EgressNetworkPolicy',
  // Service meshes: Istio (security.istio.io), Linkerd (policy.linkerd.io), Kuma, Consul
  'AuthorizationPolicy', 'PeerAuthentication', 'ServerAuthorization', 'MeshTrafficPermission', 'ServiceIntentions',
]);

/** Kinds whose name alone says nothing; they restrict traffic in these API groups. */
const UNMODELLED_IN_GROUP: Readonly<Record<string, readonly string[]>> = {
  'networking.istio.io': ['Sidecar'],
  'policy.linkerd.io': ['Server'],
};

/** Kinds a typo or a wrong case of which is an error with a suggestion, not a skip. */
const POLICY_KIND_NAMES = ['NetworkPolicy', 'FQDNNetworkPolicy', ...UNMODELLED_POLICY_KINDS];

/** The policy kind `kind` probably means (another case, a plural, or at most two edits away), if any. */
export function likelyPolicyKind(kind: string): string | undefined {
  const lower = kind.toLowerCase().replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
  let best: { name: string; d: number } | undefined;
  for (const name of POLICY_KIND_NAMES) {
    if (name === kind) return undefined;
    const d = name.toLowerCase() === lower ? 0 : name.length >= 10 ? boundedEditDistance(lower, name.toLowerCase(), 2) : 3;
    if (d <= 2 && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Levenshtein distance, or `max + 1` as soon as it must exceed `max`. */
function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

/** Parses one YAML (multi-document) or JSON file's text. `file` names it in messages and sources. */
export function parsePolicies(text: string, file: string, options: PolicyParseOptions = {}): PolicyInput {
  return policiesFromDocuments(parseManifestText(text, file), options);
}

/** Parses several files (e.g. a directory's, sorted); a policy defined twice is an error. */
export function policiesFromFiles(files: readonly FileText[], options: PolicyParseOptions = {}): PolicyInput {
  return policiesFromDocuments(files.flatMap((f) => parseManifestText(f.text, f.path)), options);
}

/** Parses in-memory manifests (plain objects as `kubectl` or cdk8s would write them). */
export function policiesFromManifests(objects: readonly unknown[], label = 'manifests', options: PolicyParseOptions = {}): PolicyInput {
  return policiesFromDocuments(objectDocuments(objects, label), options);
}

/** One object a cdk8s app synthesizes: the construct path of its ApiObject and its manifest (`toJson()`). */
export interface AppObject {
  readonly path: string;
  readonly manifest: unknown;
}

/**
 * Parses the policies among a cdk8s app's synthesized objects exactly as files are parsed (a kind that
 * restricts traffic but is not modelled, or a field the API server would reject, is an error naming the
 * construct path: `<path>[object 0] spec...`). Sources carry the ApiObject's construct path.
 */
export function policiesFromAppObjects(objects: readonly AppObject[], options: PolicyParseOptions = {}): PolicyInput {
  const docs = objects.map((o): ManifestDocument => ({ file: o.path, index: 0, value: o.manifest, unit: 'object' }));
  const input = policiesFromDocuments(docs, options);
  return { skipped: input.skipped, policies: input.policies.map((p) => ({ ...p, source: { constructPath: p.source!.file! } })) };
}

/**
 * Parses located documents; shared by every entry point. `quick: false` (tests) reads every policy through the
 * cursor path, which the quick path must agree with.
 */
export function policiesFromDocuments(
  docs: readonly ManifestDocument[], options: PolicyParseOptions & { readonly quick?: boolean } = {},
): PolicyInput {
  const policies: PolicyModel[] = [];
  const skipped: SkippedObject[] = [];
  const seen = new Map<string, Cursor>();
  const quick = options.quick === false ? undefined : new QuickPolicies(options);
  for (const doc of docs) {
    if (isClusterModelShape(doc.value)) throw Cursor.root(doc).error('this is a cluster model file, not a policy manifest', ParseFix.clusterFileAsPolicies);
    for (const obj of kubeObjects(doc)) {
      const fast = quick !== undefined && obj.kind === 'NetworkPolicy' && obj.apiVersion === NETWORK_POLICY_API_VERSION
        ? quick.networkPolicy(obj.cursor.value, sourceOf(obj.cursor.doc, obj.item)) : undefined;
      // GKE's NetworkLogging says which connections are logged; it allows and denies nothing.
      if (obj.kind === NETWORK_LOGGING_KIND && obj.apiVersion === NETWORK_LOGGING_API_VERSION) continue;
      const policy = fast ?? parsePolicyObject(obj, options);
      if (policy === undefined) {
        skipped.push(skippedOf(obj));
        continue;
      }
      const key = `${policy.kind} ${policyId(policy)}`;
      const first = seen.get(key);
      if (first) {
        throw obj.cursor.child('metadata').child('name').error(`${key} is defined twice (first at ${first.where})`, ParseFix.duplicatePolicy);
      }
      seen.set(key, obj.cursor);
      policies.push(policy);
    }
  }
  return { policies, skipped };
}

function isClusterModelShape(value: unknown): boolean {
  return isPlainObject(value) && !('kind' in value) && !('apiVersion' in value)
    && ['namespaces', 'pods', 'externals'].some((k) => k in value);
}

function parsePolicyObject(obj: KubeObject, options: PolicyParseOptions): PolicyModel | undefined {
  const { kind, apiVersion, cursor } = obj;
  if (kind === 'NetworkPolicy' && apiVersion === NETWORK_POLICY_API_VERSION) return parseNetworkPolicy(obj, options);
  if (kind === 'FQDNNetworkPolicy' && apiVersion === FQDN_POLICY_API_VERSION) return parseFqdnPolicy(obj, options);
  if (kind === 'ClusterNetworkPolicy' && apiVersion === CNP_API_VERSION) return parseClusterNetworkPolicy(obj);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  if (kind.endsWith('NetworkPolicy') || UNMODELLED_POLICY_KINDS.has(kind) || UNMODELLED_IN_GROUP[group]?.includes(kind)) {
    throw cursor.child('kind').error(`unsupported policy kind ${apiVersion} ${kind}`, ParseFix.unsupportedPolicy);
  }
  const meant = likelyPolicyKind(kind);
  if (meant !== undefined) throw cursor.child('kind').error(`unknown kind ${describeValue(kind)} (did you mean ${meant}?)`, ParseFix.kindTypo(meant));
  return undefined;
}

interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

function parseMeta(cursor: Cursor, options: PolicyParseOptions): Meta {
  const meta = cursor.child('metadata');
  if (meta.isAbsent) throw meta.error('missing metadata', ParseFix.name);
  meta.map(OBJECT_META_FIELDS);
  const nameAt = meta.child('name');
  if (nameAt.isAbsent) throw nameAt.error('missing metadata.name', ParseFix.name);
  const name = nameAt.string(ParseFix.name);
  nameAt.check(name, checkDns1123Subdomain(name), Fix.dns1123Subdomain);
  const nsAt = meta.child('namespace');
  const namespace = nsAt.optionalString(Fix.dns1123Label) ?? options.defaultNamespace ?? 'default';
  nsAt.check(namespace, checkDns1123Label(namespace), Fix.dns1123Label);
  return {
    name,
    namespace,
    labels: { ...parseLabels(meta.child('labels')) },
    annotations: parseAnnotations(meta.child('annotations')),
  };
}


const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const SPEC_FIELDS = ['podSelector', 'policyTypes', 'ingress', 'egress'];

function parseNetworkPolicy(obj: KubeObject, options: PolicyParseOptions): NetworkPolicyModel {
  const cursor = obj.cursor;
  cursor.map(TOP_FIELDS);
  const meta = parseMeta(cursor, options);
  const spec = cursor.child('spec');
  if (spec.isAbsent) throw spec.error('missing spec', ParseFix.podSelectorRequired);
  spec.map(SPEC_FIELDS);
  const podSelectorAt = spec.child('podSelector');
  if (!spec.has('podSelector')) throw podSelectorAt.error('missing spec.podSelector', ParseFix.podSelectorRequired);
  const podSelector = parseSelector(podSelectorAt);
  const ingress = spec.child('ingress').list().map((r) => parseRule(r, 'ingress'));
  const egress = spec.child('egress').list().map((r) => parseRule(r, 'egress'));
  const policyTypes = parsePolicyTypes(spec.child('policyTypes'), egress.length > 0);

  let network: string | undefined;
  if (Object.prototype.hasOwnProperty.call(meta.annotations, NETWORK_ANNOTATION)) {
    network = meta.annotations[NETWORK_ANNOTATION];
    cursor.child('metadata').child('annotations').child(NETWORK_ANNOTATION).check(network, checkDns1123Subdomain(network), ParseFix.network);
  }
  const { name, namespace, labels, annotations } = meta;
  const source = sourceOf(cursor.doc, obj.item);
  // Two literals rather than a conditional spread, which is slow once per policy of a large input.
  return network !== undefined
    ? { kind: 'NetworkPolicy', name, namespace, network, labels, annotations, podSelector, policyTypes, ingress, egress, source }
    : { kind: 'NetworkPolicy', name, namespace, labels, annotations, podSelector, policyTypes, ingress, egress, source };
}

function parsePolicyTypes(cursor: Cursor, hasEgressRules: boolean): PolicyType[] {
  const items = cursor.list();
  if (items.length === 0) return defaultPolicyTypes(hasEgressRules);
  if (items.length > 2) throw cursor.error(`may not have more than two entries, got ${items.length}`, ParseFix.policyTypes);
  const types = new Set<PolicyType>();
  for (const item of items) {
    if (item.value !== 'Ingress' && item.value !== 'Egress') throw item.error(`policy type ${describeValue(item.value)} is not Ingress or Egress`, ParseFix.policyTypes);
    types.add(item.value);
  }
  return (['Ingress', 'Egress'] as const).filter((t) => types.has(t));
}

function parseRule(cursor: Cursor, direction: Direction): RuleModel {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  if (cursor.isAbsent) throw cursor.error(`${direction} rule is empty (null)`, ParseFix.ruleNull);
  cursor.map([peersKey, 'ports']);
  const peerCursors = cursor.child(peersKey).list();
  const portCursors = cursor.child('ports').list();
  return {
    peers: peerCursors.length === 0 ? 'all' : peerCursors.map(parsePeer),
    ports: portCursors.length === 0 ? 'all' : portCursors.map((p) => parsePort(p)),
  };
}

function parsePeer(cursor: Cursor): PeerModel {
  const raw = cursor.isAbsent ? {} : cursor.map(['podSelector', 'namespaceSelector', 'ipBlock']);
  const present = (k: string) => raw[k] !== undefined && raw[k] !== null;
  const hasPods = present('podSelector');
  const hasNamespaces = present('namespaceSelector');
  if (present('ipBlock')) {
    if (hasPods || hasNamespaces) {
      throw cursor.error(`a peer has ipBlock and ${hasPods ? 'podSelector' : 'namespaceSelector'}`, ParseFix.peerIpBlockAndSelector);
    }
    return parseIpBlock(cursor.child('ipBlock'));
  }
  if (!hasPods && !hasNamespaces) throw cursor.error('a peer has none of podSelector, namespaceSelector, ipBlock', ParseFix.peerEmpty);
  const pods = hasPods ? parseSelector(cursor.child('podSelector')) : SELECT_ALL;
  return {
    kind: 'pods',
    namespaces: hasNamespaces ? { kind: 'selector', selector: parseSelector(cursor.child('namespaceSelector')) } : { kind: 'own' },
    pods,
  };
}

function parseIpBlock(cursor: Cursor): PeerModel {
  cursor.map(['cidr', 'except']);
  const cidrAt = cursor.child('cidr');
  if (cidrAt.isAbsent) throw cidrAt.error('missing ipBlock.cidr', Fix.cidr);
  const text = cidrAt.string(Fix.cidr);
  const parsed = parseCidr(text);
  if (!parsed.ok) throw cidrAt.error(`invalid CIDR ${describeValue(text)}: ${parsed.reason}`, Fix.cidr);
  const except = new Set<string>();
  for (const e of cursor.child('except').list()) {
    const t = e.string(Fix.cidr);
    const p = parseCidr(t);
    if (!p.ok) throw e.error(`invalid CIDR ${describeValue(t)}: ${p.reason}`, Fix.cidr);
    if (!cidrContains(parsed.value, p.value) || p.value.prefix <= parsed.value.prefix) {
      throw e.error(`except ${describeValue(t)} is not strictly inside cidr ${describeValue(text)}`, ParseFix.exceptInside);
    }
    except.add(p.value.canonical);
  }
  return { kind: 'ipBlock', cidr: parsed.value.canonical, except: [...except].sort(compareStrings) };
}

/** A NetworkPolicyPort: protocol defaults to TCP; numeric or named port; endPort ranges. */
function parsePort(cursor: Cursor, options: { namedAllowed?: boolean; rangeAllowed?: boolean } = {}): PortModel {
  const namedAllowed = options.namedAllowed ?? true;
  const rangeAllowed = options.rangeAllowed ?? true;
  if (cursor.isAbsent) throw cursor.error('port entry is empty (null)', 'Write {} for every port of TCP, or give protocol and port');
  cursor.map(rangeAllowed ? ['protocol', 'port', 'endPort'] : ['protocol', 'port']);
  const protocol = parseProtocol(cursor.child('protocol'));
  const portAt = cursor.child('port');
  let port: number | string | undefined;
  if (!portAt.isAbsent) {
    const v = portAt.value;
    if (typeof v === 'number') {
      const bad = checkPortNumber(v);
      if (bad) throw portAt.error(bad, Fix.port);
      port = v;
    } else if (typeof v === 'string') {
      if (/^[0-9]+$/.test(v)) throw portAt.error(`port ${describeValue(v)} is a quoted number, which Kubernetes reads as a port name`, ParseFix.quotedPort(v));
      if (!namedAllowed) throw portAt.error(`named port ${describeValue(v)}`, ParseFix.fqdnPortNumber);
      portAt.check(v, checkPortName(v), Fix.portName);
      port = v;
    } else {
      throw portAt.error(`port must be a number or a port name, got ${describeValue(v)}`, Fix.port);
    }
  }
  const endAt = cursor.child('endPort');
  let endPort: number | undefined;
  if (!endAt.isAbsent) {
    const v = endAt.value;
    if (typeof v !== 'number') throw endAt.error(`endPort must be a number, got ${describeValue(v)}`, Fix.port);
    const bad = checkPortNumber(v);
    if (bad) throw endAt.error(bad.replace(/^port/, 'endPort'), Fix.port);
    if (port === undefined) throw endAt.error(`endPort ${v} without port`, ParseFix.endPortNeedsPort);
    if (typeof port === 'string') throw endAt.error(`endPort ${v} with named port ${describeValue(port)}`, ParseFix.endPortNamed);
    if (v < port) throw endAt.error(`endPort ${v} is less than port ${port}`, ParseFix.endPortOrder);
    endPort = v;
  }
  if (port === undefined) return { protocol };
  return endPort === undefined ? { protocol, port } : { protocol, port, endPort };
}

function parseProtocol(cursor: Cursor): Protocol {
  if (cursor.isAbsent) return 'TCP';
  const v = cursor.value;
  if (typeof v !== 'string' || !(PROTOCOLS as readonly string[]).includes(v)) throw cursor.error(`unsupported protocol ${describeValue(v)}`, ParseFix.protocol);
  return v as Protocol;
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A LabelSelector; absent or null means everything (as the API server decodes it). */
export function parseSelector(cursor: Cursor): LabelSelectorModel {
  cursor.optionalMap(['matchLabels', 'matchExpressions']);
  const labels = parseLabels(cursor.child('matchLabels'));
  const exprs: LabelRequirementModel[] = cursor.child('matchExpressions').list().map((e) => {
    e.map(['key', 'operator', 'values']);
    const keyAt = e.child('key');
    if (keyAt.isAbsent) throw keyAt.error('missing key', Fix.labelKey);
    const key = keyAt.string(Fix.labelKey);
    keyAt.check(key, checkLabelKey(key), Fix.labelKey);
    const opAt = e.child('operator');
    const op = opAt.value;
    if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) throw opAt.error(`unsupported operator ${describeValue(op)}`, ParseFix.operator);
    const operator = op as SelectorOperator;
    const valuesAt = e.child('values');
    const values = valuesAt.list().map((v) => {
      const s = v.string(Fix.labelValue);
      return v.check(s, checkLabelValue(s), Fix.labelValue);
    });
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) throw valuesAt.error(`operator ${operator} has no values`, ParseFix.valuesNeeded);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) throw valuesAt.error(`operator ${operator} has ${values.length} values`, ParseFix.valuesForbidden);
    return { key, operator, values };
  });
  return makeSelector(labels, exprs);
}

// ---------------------------------------------------------------------------------------------------
// GKE FQDNNetworkPolicy

function parseFqdnPolicy(obj: KubeObject, options: PolicyParseOptions): FqdnPolicyModel {
  const cursor = obj.cursor;
  cursor.map(TOP_FIELDS);
  const meta = parseMeta(cursor, options);
  if (Object.prototype.hasOwnProperty.call(meta.annotations, NETWORK_ANNOTATION)) {
    throw cursor.child('metadata').child('annotations').child(NETWORK_ANNOTATION).error(`FQDNNetworkPolicy ${meta.namespace}/${meta.name} has a network annotation`, ParseFix.fqdnNetwork);
  }
  const spec = cursor.child('spec');
  if (spec.isAbsent) throw spec.error('missing spec', ParseFix.podSelectorRequired);
  spec.map(['podSelector', 'egress']);
  const podSelectorAt = spec.child('podSelector');
  if (!spec.has('podSelector')) throw podSelectorAt.error('missing spec.podSelector', ParseFix.podSelectorRequired);
  const egress = spec.child('egress').list().map(parseFqdnRule);
  return {
    kind: 'FQDNNetworkPolicy',
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    annotations: meta.annotations,
    podSelector: parseSelector(podSelectorAt),
    egress,
    source: sourceOf(cursor.doc, obj.item),
  };
}

function parseFqdnRule(cursor: Cursor): FqdnRuleModel {
  if (cursor.isAbsent) throw cursor.error('egress rule is empty (null)', ParseFix.fqdnMatchesRequired);
  if (cursor.has('to')) throw cursor.child('to').error('unknown field "to"', ParseFix.fqdnAddonSchema);
  cursor.map(['matches', 'ports']);
  const matchesAt = cursor.child('matches');
  const matches: FqdnMatchModel[] = matchesAt.list().map((m) => {
    const raw = m.map(['name', 'pattern']);
    const hasName = raw.name !== undefined && raw.name !== null;
    const hasPattern = raw.pattern !== undefined && raw.pattern !== null;
    if (hasName === hasPattern) throw m.error(hasName ? 'a match has both name and pattern' : 'a match has neither name nor pattern', ParseFix.fqdnMatchOne);
    if (hasName) {
      const at = m.child('name');
      const name = at.string(Fix.fqdn);
      return { name: at.check(name, checkFqdnName(name), Fix.fqdn) };
    }
    const at = m.child('pattern');
    const pattern = at.string(Fix.fqdn);
    return { pattern: at.check(pattern, checkFqdnPattern(pattern), Fix.fqdn) };
  });
  if (matches.length === 0) throw matchesAt.error('an FQDN egress rule has no matches', ParseFix.fqdnMatchesRequired);
  const ports = cursor.child('ports').list().map((p) => parsePort(p, { namedAllowed: false, rangeAllowed: false }));
  return { matches, ports: ports.length === 0 ? 'all' : ports };
}

// ---------------------------------------------------------------------------------------------------
// ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), validated as its CRD validates it

const CNP_MAX_RULES = 25;
const CNP_MAX_ITEMS = 25;
const CNP_INGRESS_PEER_FIELDS = ['namespaces', 'pods'];
const CNP_EGRESS_PEER_FIELDS = ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];

function parseClusterNetworkPolicy(obj: KubeObject): ClusterNetworkPolicyModel {
  const cursor = obj.cursor;
  cursor.map(TOP_FIELDS);
  const metaAt = cursor.child('metadata');
  if (!metaAt.isAbsent && metaAt.has('namespace')) throw metaAt.child('namespace').error('a ClusterNetworkPolicy has metadata.namespace', ParseFix.cnpNamespaced);
  const meta = parseMeta(cursor, {});
  const spec = cursor.child('spec');
  if (spec.isAbsent) throw spec.error('missing spec', ParseFix.cnpSubject);
  spec.map(['tier', 'priority', 'subject', 'ingress', 'egress']);
  const tierAt = spec.child('tier');
  if (tierAt.isAbsent || !(CNP_TIERS as readonly unknown[]).includes(tierAt.value)) {
    throw tierAt.error(tierAt.isAbsent ? 'missing spec.tier' : `tier ${describeValue(tierAt.value)} is not Admin or Baseline`, ParseFix.cnpTier);
  }
  const priorityAt = spec.child('priority');
  const priority = priorityAt.value;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 1000) {
    throw priorityAt.error(priorityAt.isAbsent ? 'missing spec.priority' : `priority ${describeValue(priority)} is not a whole number from 0 to 1000`, ParseFix.cnpPriority);
  }
  const subject = parseCnpSubject(spec.child('subject'));
  const rules = (direction: Direction) => {
    const at = spec.child(direction);
    const items = at.list();
    if (items.length > CNP_MAX_RULES) throw at.error(`${items.length} ${direction} rules; at most ${CNP_MAX_RULES} are allowed`, ParseFix.cnpRules);
    return items.map((r) => parseCnpRule(r, direction));
  };
  return {
    kind: 'ClusterNetworkPolicy',
    name: meta.name,
    labels: meta.labels,
    annotations: meta.annotations,
    tier: tierAt.value as CnpTier,
    priority,
    subject,
    ingress: rules('ingress'),
    egress: rules('egress'),
    source: sourceOf(cursor.doc, obj.item),
  };
}

function parseCnpSubject(cursor: Cursor): CnpPodsModel {
  if (cursor.isAbsent) throw cursor.error('missing spec.subject', ParseFix.cnpSubject);
  const raw = cursor.map(['namespaces', 'pods']);
  const given = ['namespaces', 'pods'].filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (given.length !== 1) throw cursor.error(given.length === 0 ? 'subject has neither namespaces nor pods' : 'subject has both namespaces and pods', ParseFix.cnpSubject);
  return given[0] === 'namespaces' ? { namespaces: parseSelector(cursor.child('namespaces')) } : parseCnpPods(cursor.child('pods'));
}

function parseCnpPods(cursor: Cursor): CnpPodsModel {
  cursor.map(['namespaceSelector', 'podSelector']);
  if (!cursor.has('podSelector')) throw cursor.child('podSelector').error('missing podSelector', ParseFix.cnpPods);
  return { namespaces: parseSelector(cursor.child('namespaceSelector')), pods: parseSelector(cursor.child('podSelector')) };
}

function parseCnpRule(cursor: Cursor, direction: Direction): CnpRuleModel {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  if (cursor.isAbsent) throw cursor.error(`${direction} rule is empty (null)`, ParseFix.cnpAction);
  cursor.map(['name', 'action', peersKey, 'protocols']);
  const nameAt = cursor.child('name');
  const name = nameAt.optionalString(ParseFix.cnpRuleName) ?? '';
  if (name.length > 100) throw nameAt.error(`rule name of ${name.length} characters`, ParseFix.cnpRuleName);
  const actionAt = cursor.child('action');
  if (actionAt.isAbsent || !(CNP_ACTIONS as readonly unknown[]).includes(actionAt.value)) {
    throw actionAt.error(actionAt.isAbsent ? 'missing action' : `action ${describeValue(actionAt.value)} is not Accept, Deny or Pass`, ParseFix.cnpAction);
  }
  const action = actionAt.value as CnpAction;
  const peersAt = cursor.child(peersKey);
  const peerCursors = peersAt.list();
  if (peerCursors.length === 0 || peerCursors.length > CNP_MAX_ITEMS) {
    throw peersAt.error(peerCursors.length === 0 ? `missing ${peersKey} (a rule needs at least one peer)` : `${peerCursors.length} peers`, ParseFix.cnpPeers(peersKey));
  }
  const peers = peerCursors.map((p) => parseCnpPeer(p, direction, action));
  const protocolsAt = cursor.child('protocols');
  let protocols: CnpRuleModel['protocols'] = 'all';
  if (!protocolsAt.isAbsent) {
    const items = protocolsAt.list();
    if (items.length === 0 || items.length > CNP_MAX_ITEMS) throw protocolsAt.error(`${items.length} protocols entries`, ParseFix.cnpProtocols);
    protocols = items.map(parseCnpProtocol);
    const named = protocols.some((p) => 'namedPort' in p);
    if (named && peers.some((p) => p.kind === 'networks' || p.kind === 'nodes' || p.kind === 'domainNames')) {
      throw protocolsAt.error('a destinationNamedPort in a rule with networks, nodes or domainNames peers', ParseFix.cnpNamedPortPeer);
    }
  }
  return { name, action, peers, protocols };
}

/**
 * One peer. A peer with none of the fields netproof knows (empty, or only fields of a newer API) is kept
 * as `unknown`, which fails closed (the API's rule for implementations); one with two is an error.
 */
function parseCnpPeer(cursor: Cursor, direction: Direction, action: CnpAction): CnpPeerModel {
  const raw = cursor.isAbsent ? {} : cursor.map();
  const allowed = direction === 'ingress' ? CNP_INGRESS_PEER_FIELDS : CNP_EGRESS_PEER_FIELDS;
  const present = Object.keys(raw).filter((k) => raw[k] !== undefined && raw[k] !== null);
  const known = present.filter((k) => CNP_EGRESS_PEER_FIELDS.includes(k));
  if (known.length === 0) return { kind: 'unknown', fields: present.sort(compareStrings) };
  if (present.length > 1) throw cursor.error(`a peer has ${present.length} fields (${present.join(', ')})`, ParseFix.cnpPeerOne(direction));
  const field = known[0];
  if (!allowed.includes(field)) throw cursor.child(field).error(`an ingress peer has ${field}`, ParseFix.cnpIngressPeer);
  const at = cursor.child(field);
  switch (field) {
    case 'namespaces': return { kind: 'pods', namespaces: parseSelector(at) };
    case 'pods': return { kind: 'pods', ...parseCnpPods(at) };
    case 'nodes': return { kind: 'nodes', selector: parseSelector(at) };
    case 'networks': {
      const items = at.list();
      if (items.length === 0 || items.length > CNP_MAX_ITEMS) throw at.error(`${items.length} networks`, ParseFix.cnpNetworks);
      const cidrs = new Set<string>();
      for (const item of items) {
        const text = item.string(Fix.cidr);
        const parsed = parseCidr(text);
        if (!parsed.ok) throw item.error(`invalid CIDR ${describeValue(text)}: ${parsed.reason}`, Fix.cidr);
        cidrs.add(parsed.value.canonical);
      }
      return { kind: 'networks', cidrs: [...cidrs].sort(compareStrings) };
    }
    default: {
      if (action !== 'Accept') throw at.error(`domainNames in a ${action} rule`, ParseFix.cnpDomainAccept);
      const items = at.list();
      if (items.length === 0 || items.length > CNP_MAX_ITEMS) throw at.error(`${items.length} domain names`, ParseFix.cnpDomainNames);
      const names = new Set<string>();
      for (const item of items) {
        const name = item.string(ParseFix.cnpDomainNames);
        names.add(item.check(name, checkCnpDomainName(name), ParseFix.cnpDomainNames));
      }
      return { kind: 'domainNames', names: [...names].sort(compareStrings) };
    }
  }
}

function parseCnpProtocol(cursor: Cursor): CnpProtocolModel {
  const raw = cursor.isAbsent ? {} : cursor.map(['tcp', 'udp', 'sctp', 'destinationNamedPort']);
  const present = Object.keys(raw).filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (present.length !== 1) throw cursor.error(present.length === 0 ? 'an empty protocols entry' : `a protocols entry has ${present.join(' and ')}`, ParseFix.cnpProtocolOne);
  const field = present[0];
  const at = cursor.child(field);
  if (field === 'destinationNamedPort') {
    const name = at.string(Fix.portName);
    return { namedPort: at.check(name, checkPortName(name), Fix.portName) };
  }
  const protocol = field.toUpperCase() as Protocol;
  at.map(['destinationPort']);
  const portAt = at.child('destinationPort');
  if (portAt.isAbsent) throw portAt.error(`missing ${field}.destinationPort`, ParseFix.cnpDestinationPort);
  const port = portAt.map(['number', 'range']);
  const given = ['number', 'range'].filter((k) => port[k] !== undefined && port[k] !== null);
  if (given.length !== 1) throw portAt.error(given.length === 0 ? 'destinationPort is empty' : 'destinationPort has both number and range', ParseFix.cnpDestinationPort);
  const portNumber = (c: Cursor, fix: string): number => {
    const v = c.value;
    if (typeof v !== 'number') throw c.error(`port must be a number, got ${describeValue(v)}`, fix);
    const bad = checkPortNumber(v);
    if (bad) throw c.error(bad, fix);
    return v;
  };
  if (given[0] === 'number') return { protocol, port: portNumber(portAt.child('number'), Fix.port) };
  const rangeAt = portAt.child('range');
  rangeAt.map(['start', 'end']);
  if (!rangeAt.has('start') || !rangeAt.has('end')) throw rangeAt.error(`missing range.${rangeAt.has('start') ? 'end' : 'start'}`, ParseFix.cnpRange);
  const start = portNumber(rangeAt.child('start'), ParseFix.cnpRange);
  const end = portNumber(rangeAt.child('end'), ParseFix.cnpRange);
  if (start >= end) throw rangeAt.error(`range start ${start} is not less than end ${end}`, ParseFix.cnpRange);
  return { protocol, port: start, endPort: end };
}

// ---------------------------------------------------------------------------------------------------
// The quick path

/**
 * NetworkPolicies read without cursors: the common, valid case at the speed of the plain data (10,000
 * policies per file). Anything unusual (a wrong type, an invalid value, an unknown field, a bad CIDR) returns
 * undefined, and the cursor path reads the policy again and reports exactly what is wrong: both give one
 * result, every message comes from one place, and a property test holds them together. Plain loops and
 * literals, no spreads (slow in V8 per object). Validations and CIDRs are remembered per distinct string.
 */
class QuickPolicies {
  private readonly valid = new Map<string, boolean>();
  private readonly cidrs = new Map<string, string | undefined>();

  constructor(private readonly options: PolicyParseOptions) {}

  public networkPolicy(v: unknown, source: SourceRef): NetworkPolicyModel | undefined {
    if (!isPlainObject(v) || !onlyFields(v, TOP_FIELDS)) return undefined;
    const meta = v.metadata;
    if (!isPlainObject(meta) || !onlyFields(meta, OBJECT_META_FIELDS)) return undefined;
    const name = meta.name;
    if (typeof name !== 'string' || checkDns1123Subdomain(name) !== undefined) return undefined;
    const rawNamespace = meta.namespace;
    let namespace: string;
    if (rawNamespace === undefined || rawNamespace === null) namespace = this.options.defaultNamespace ?? 'default';
    else if (typeof rawNamespace === 'string') namespace = rawNamespace;
    else return undefined;
    if (!this.check('n', namespace, checkDns1123Label)) return undefined;
    const labels = this.labels(meta.labels);
    const annotations = this.annotations(meta.annotations);
    if (labels === undefined || annotations === undefined) return undefined;
    let network: string | undefined;
    if (Object.prototype.hasOwnProperty.call(annotations, NETWORK_ANNOTATION)) {
      network = annotations[NETWORK_ANNOTATION];
      if (!this.check('s', network, checkDns1123Subdomain)) return undefined;
    }
    const spec = v.spec;
    if (!isPlainObject(spec) || !onlyFields(spec, SPEC_FIELDS) || !Object.prototype.hasOwnProperty.call(spec, 'podSelector')) return undefined;
    const podSelector = this.selector(spec.podSelector);
    const ingress = this.rules(spec.ingress, 'from');
    const egress = this.rules(spec.egress, 'to');
    if (podSelector === undefined || ingress === undefined || egress === undefined) return undefined;
    const policyTypes = this.policyTypes(spec.policyTypes, egress.length > 0);
    if (policyTypes === undefined) return undefined;
    return network !== undefined
      ? { kind: 'NetworkPolicy', name, namespace, network, labels, annotations, podSelector, policyTypes, ingress, egress, source }
      : { kind: 'NetworkPolicy', name, namespace, labels, annotations, podSelector, policyTypes, ingress, egress, source };
  }

  /** `check(value)` passes; remembered per kind letter and value. */
  private check(kind: string, value: string, check: (v: string) => string | undefined): boolean {
    const key = `${kind}${value}`;
    let ok = this.valid.get(key);
    if (ok === undefined) {
      ok = check(value) === undefined;
      this.valid.set(key, ok);
    }
    return ok;
  }

  private labels(raw: unknown): Record<string, string> | undefined {
    return this.stringMap(raw, true);
  }

  private annotations(raw: unknown): Record<string, string> | undefined {
    return this.stringMap(raw, false);
  }

  /** A map of strings with valid label keys (and label values when `labelValues`); undefined otherwise. */
  private stringMap(raw: unknown, labelValues: boolean): Record<string, string> | undefined {
    if (raw === undefined || raw === null) return {};
    if (!isPlainObject(raw)) return undefined;
    const keys = Object.keys(raw);
    if (keys.length > 1) keys.sort();
    const out: Record<string, string> = {};
    for (const key of keys) {
      const value = raw[key];
      if (typeof value !== 'string' || !this.check('k', key, checkLabelKey)) return undefined;
      if (labelValues && !this.check('v', value, checkLabelValue)) return undefined;
      out[key] = value;
    }
    return out;
  }

  private policyTypes(raw: unknown, hasEgressRules: boolean): PolicyType[] | undefined {
    if (raw === undefined || raw === null) return defaultPolicyTypes(hasEgressRules);
    if (!Array.isArray(raw) || raw.length > 2) return undefined;
    if (raw.length === 0) return defaultPolicyTypes(hasEgressRules);
    let ingress = false;
    let egress = false;
    for (const t of raw) {
      if (t === 'Ingress') ingress = true;
      else if (t === 'Egress') egress = true;
      else return undefined;
    }
    return ingress && egress ? ['Ingress', 'Egress'] : ingress ? ['Ingress'] : ['Egress'];
  }

  private rules(raw: unknown, peersKey: 'from' | 'to'): RuleModel[] | undefined {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) return undefined;
    const out: RuleModel[] = [];
    for (const r of raw) {
      if (!isPlainObject(r) || !onlyFields(r, peersKey === 'from' ? INGRESS_RULE_FIELDS : EGRESS_RULE_FIELDS)) return undefined;
      const peers = this.peers(r[peersKey]);
      const ports = this.ports(r.ports);
      if (peers === undefined || ports === undefined) return undefined;
      out.push({ peers, ports });
    }
    return out;
  }

  private peers(raw: unknown): RuleModel['peers'] | undefined {
    return this.allOrList(raw, (p) => this.peer(p));
  }

  /** A rule's `from`/`to` or `ports`: absent, null or empty is 'all'; any item it cannot read, undefined. */
  private allOrList<T>(raw: unknown, item: (x: unknown) => T | undefined): 'all' | T[] | undefined {
    if (raw === undefined || raw === null) return 'all';
    if (!Array.isArray(raw)) return undefined;
    if (raw.length === 0) return 'all';
    const out: T[] = [];
    for (const x of raw) {
      const v = item(x);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  private peer(raw: unknown): PeerModel | undefined {
    if (!isPlainObject(raw) || !onlyFields(raw, PEER_FIELDS)) return undefined;
    const pods = raw.podSelector;
    const namespaces = raw.namespaceSelector;
    const block = raw.ipBlock;
    const hasPods = pods !== undefined && pods !== null;
    const hasNamespaces = namespaces !== undefined && namespaces !== null;
    if (block !== undefined && block !== null) return hasPods || hasNamespaces ? undefined : this.ipBlock(block);
    if (!hasPods && !hasNamespaces) return undefined;
    const podSelector = hasPods ? this.selector(pods) : SELECT_ALL;
    if (podSelector === undefined) return undefined;
    if (!hasNamespaces) return { kind: 'pods', namespaces: { kind: 'own' }, pods: podSelector };
    const selector = this.selector(namespaces);
    return selector === undefined ? undefined : { kind: 'pods', namespaces: { kind: 'selector', selector }, pods: podSelector };
  }

  private ipBlock(raw: unknown): PeerModel | undefined {
    if (!isPlainObject(raw) || !onlyFields(raw, IP_BLOCK_FIELDS) || typeof raw.cidr !== 'string') return undefined;
    const cidr = this.canonicalCidr(raw.cidr);
    if (cidr === undefined) return undefined;
    const exceptRaw = raw.except;
    if (exceptRaw === undefined || exceptRaw === null) return { kind: 'ipBlock', cidr, except: [] };
    if (!Array.isArray(exceptRaw)) return undefined;
    const outer = parseCidr(raw.cidr);
    if (!outer.ok) return undefined;
    const except = new Set<string>();
    for (const e of exceptRaw) {
      if (typeof e !== 'string') return undefined;
      const inner = parseCidr(e);
      if (!inner.ok || !cidrContains(outer.value, inner.value) || inner.value.prefix <= outer.value.prefix) return undefined;
      except.add(inner.value.canonical);
    }
    return { kind: 'ipBlock', cidr, except: [...except].sort(compareStrings) };
  }

  private canonicalCidr(text: string): string | undefined {
    if (!this.cidrs.has(text)) {
      const parsed = parseCidr(text);
      this.cidrs.set(text, parsed.ok ? parsed.value.canonical : undefined);
    }
    return this.cidrs.get(text);
  }

  private ports(raw: unknown): RuleModel['ports'] | undefined {
    return this.allOrList(raw, (p) => this.port(p));
  }

  private port(raw: unknown): PortModel | undefined {
    if (!isPlainObject(raw) || !onlyFields(raw, PORT_FIELDS)) return undefined;
    let protocol: Protocol = 'TCP';
    const rawProtocol = raw.protocol;
    if (rawProtocol !== undefined && rawProtocol !== null) {
      if (typeof rawProtocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(rawProtocol)) return undefined;
      protocol = rawProtocol as Protocol;
    }
    const port = raw.port;
    const endPort = raw.endPort;
    const hasEnd = endPort !== undefined && endPort !== null;
    if (port === undefined || port === null) return hasEnd ? undefined : { protocol };
    if (typeof port === 'number') {
      if (checkPortNumber(port) !== undefined) return undefined;
      if (!hasEnd) return { protocol, port };
      if (typeof endPort !== 'number' || checkPortNumber(endPort) !== undefined || endPort < port) return undefined;
      return { protocol, port, endPort };
    }
    if (typeof port !== 'string' || hasEnd || /^[0-9]+$/.test(port) || !this.check('p', port, checkPortName)) return undefined;
    return { protocol, port };
  }

  private selector(raw: unknown): LabelSelectorModel | undefined {
    if (raw === undefined || raw === null) return makeSelector({}, []);
    if (!isPlainObject(raw) || !onlyFields(raw, SELECTOR_FIELDS)) return undefined;
    const labels = this.labels(raw.matchLabels);
    if (labels === undefined) return undefined;
    const rawExprs = raw.matchExpressions;
    const exprs: LabelRequirementModel[] = [];
    if (rawExprs !== undefined && rawExprs !== null) {
      if (!Array.isArray(rawExprs)) return undefined;
      for (const e of rawExprs) {
        if (!isPlainObject(e) || !onlyFields(e, EXPRESSION_FIELDS)) return undefined;
        const key = e.key;
        const operator = e.operator;
        if (typeof key !== 'string' || !this.check('k', key, checkLabelKey)) return undefined;
        if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) return undefined;
        const values: string[] = [];
        const rawValues = e.values;
        if (rawValues !== undefined && rawValues !== null) {
          if (!Array.isArray(rawValues)) return undefined;
          for (const value of rawValues) {
            if (typeof value !== 'string' || !this.check('v', value, checkLabelValue)) return undefined;
            values.push(value);
          }
        }
        const needsValues = operator === 'In' || operator === 'NotIn';
        if (needsValues !== (values.length > 0)) return undefined;
        exprs.push({ key, operator: operator as SelectorOperator, values });
      }
    }
    return makeSelector(labels, exprs);
  }
}

const INGRESS_RULE_FIELDS = ['from', 'ports'];
const EGRESS_RULE_FIELDS = ['to', 'ports'];
const PEER_FIELDS = ['podSelector', 'namespaceSelector', 'ipBlock'];
const IP_BLOCK_FIELDS = ['cidr', 'except'];
const PORT_FIELDS = ['protocol', 'port', 'endPort'];
const SELECTOR_FIELDS = ['matchLabels', 'matchExpressions'];
const EXPRESSION_FIELDS = ['key', 'operator', 'values'];

/** Are all keys of `v` among `fields`? */
function onlyFields(v: Record<string, unknown>, fields: readonly string[]): boolean {
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) if (!fields.includes(keys[i])) return false;
  return true;
}
