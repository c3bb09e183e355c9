/**
 * The recorded model of an app (format: src/parse/recorded-model.ts, README "The recorded model"): its
 * cluster profile, cluster model (app workloads, declared workloads, inventories, implied and well-known
 * externals), intents and manifest facts, as the JSON text `netproof synth` writes next to the YAML.
 *
 * `netproof synth` and `check` ask for it by setting NETPROOF_RECORD_MODEL to a file path when they run
 * the app; the app's synth-time validation then writes the record there (a documented synth entry point,
 * like cdk8s's own construct-metadata.json). Without the variable nothing is written.
 */
import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { modelOfApp } from './model';
import { intentsOf } from '../constructs/intents';
import { ClusterModel, DEFAULT_NETWORK, ProfileModel } from '../model/cluster';
import { EndpointSetModel, IntentModel, describeIntent } from '../model/intent';
import { PortModel } from '../model/port';
import { compareStrings, LabelSelectorModel } from '../model/selector';
import { isManifestFactKind } from '../parse/manifests';
import { RECORD_MODEL_ENV, RECORDED_MODEL_VERSION } from '../parse/recorded-model';


/** The recorded model of the app that contains `scope`, as the JSON text of `.netproof-model`. */
export function recordedModelText(scope: IConstruct): string {
  const root = scope.node.root;
  const model = modelOfApp(root);
  const manifests = root.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .filter((o) => isManifestFactKind(o.apiVersion, o.kind))
    .map((o) => o.toJson() as unknown);
  const record = {
    netproofRecordedModel: RECORDED_MODEL_VERSION,
    profile: profileRecord(model.profile),
    cluster: clusterRecord(model.cluster),
    intents: intentsOf(root).map(intentRecord),
    manifests,
  };
  return `${JSON.stringify(sortKeys(record), null, 2)}\n`;
}

/** Writes the record where NETPROOF_RECORD_MODEL says, when it is set (see the module comment). */
export function writeRecordedModel(scope: IConstruct, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[RECORD_MODEL_ENV];
  if (file === undefined || file === '') return;
  fs.writeFileSync(file, recordedModelText(scope));
}

function profileRecord(p: ProfileModel): unknown {
  return {
    dataplane: p.dataplane,
    ...(p.podNetworks ? { podNetworks: [...p.podNetworks] } : {}),
    podCidrs: [...p.podCidrs],
    serviceCidrs: [...p.serviceCidrs],
    ...(p.metadataServer ? { metadataServer: { ...p.metadataServer } } : {}),
    ...(p.gkeVersion !== undefined ? { gkeVersion: p.gkeVersion } : {}),
    ...(p.cnpExperimental ? { cnpExperimental: true } : {}),
  };
}

/** The cluster model file of the app's cluster (sources dropped; pods, externals and nodes sorted). */
function clusterRecord(c: ClusterModel): unknown {
  const pods = [...c.pods].sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name)).map((p) => ({
    namespace: p.namespace,
    name: p.name,
    labels: { ...p.labels },
    ...(p.ip !== undefined ? { ip: p.ip } : {}),
    ports: p.ports.map((cp) => ({ ...(cp.name !== undefined ? { name: cp.name } : {}), port: cp.port, protocol: cp.protocol })),
    networks: [...p.networks],
    ...(p.serviceAccount !== undefined ? { serviceAccount: p.serviceAccount } : {}),
    ...(p.replicaOf !== undefined ? { replicaOf: p.replicaOf } : {}),
  }));
  const externals = [...c.externals].sort((a, b) => compareStrings(a.name, b.name))
    .map((e) => ({ name: e.name, ip: e.ip, ...(e.hostname !== undefined ? { hostname: e.hostname } : {}) }));
  const nodes = [...(c.nodes ?? [])].sort((a, b) => compareStrings(a.name, b.name))
    .map((n) => ({ name: n.name, labels: { ...n.labels }, ips: [...n.ips] }));
  return {
    namespaces: { ...c.namespaces },
    pods,
    externals,
    ...(c.podCidrs && c.podCidrs.length > 0 ? { podCidrs: [...c.podCidrs] } : {}),
    ...(nodes.length > 0 ? { nodes } : {}),
  };
}

/** An intent as an entry of an intents file, named as synth reports it. */
function intentRecord(intent: IntentModel): unknown {
  const common = {
    name: describeIntent(intent),
    ...(intent.port ? { port: portText(intent.port) } : {}),
    ...(intent.network !== undefined && intent.network !== DEFAULT_NETWORK ? { network: intent.network } : {}),
    ...(intent.scope !== undefined ? { scope: intent.scope } : {}),
  };
  switch (intent.kind) {
    case 'canReach':
    case 'cannotReach':
      return { ...common, from: endpointRecord(intent.subject), to: endpointRecord(intent.target!), expect: intent.kind === 'canReach' ? 'allow' : 'deny' };
    case 'onlyReachableFrom':
      return { ...common, to: endpointRecord(intent.subject), onlyFrom: intent.allowedSources!.map(endpointRecord) };
    case 'isolated':
      return { ...common, of: endpointRecord(intent.subject), isolated: intent.direction };
  }
}

function endpointRecord(e: EndpointSetModel): unknown {
  switch (e.kind) {
    case 'pods':
      return { namespaceSelector: selectorRecord(e.namespaces), podSelector: selectorRecord(e.pods), ...(e.workload ? { workload: `${e.workload.namespace}/${e.workload.name}` } : {}) };
    case 'pod':
      return { pod: `${e.namespace}/${e.name}` };
    case 'external':
      return { external: e.name };
    case 'internet':
      return { external: 'internet' };
    case 'externalGroup':
      return { externalGroup: e.prefix };
    case 'hostname':
      return { fqdn: e.hostname };
  }
}

function selectorRecord(s: LabelSelectorModel): unknown {
  return {
    ...(Object.keys(s.matchLabels).length > 0 ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions.length > 0
      ? { matchExpressions: s.matchExpressions.map(requirementRecord) }
      : {}),
  };
}

function requirementRecord(r: LabelSelectorModel['matchExpressions'][number]): unknown {
  return { key: r.key, operator: r.operator, ...(r.values.length > 0 ? { values: [...r.values] } : {}) };
}

/** `8080/TCP`, `8000-8100/UDP`, `http/TCP`, `TCP` (every TCP port): the intents file's port forms. */
function portText(p: PortModel): string {
  if (p.port === undefined) return p.protocol;
  if (p.endPort !== undefined) return `${p.port}-${p.endPort}/${p.protocol}`;
  return `${p.port}/${p.protocol}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort(compareStrings).map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
