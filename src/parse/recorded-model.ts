/**
 * The recorded model: what `netproof synth` verified the app against, written next to the YAML as
 * `.netproof-model` (JSON) so that `verify`, `diff`, `graph`, `reach` and `explain` on the synthesized
 * folder check exactly what synth proved. Argo CD, Flux and `kubectl apply -k` never take it for a
 * resource: it is a hidden file, not named like a manifest, and not listed in kustomization.yaml.
 *
 * ```json
 * {
 *   "netproofRecordedModel": 1,
 *   "profile": {"dataplane": "dataplane-v2", "podCidrs": ["10.8.0.0/14"], "serviceCidrs": [], ...},
 *   "cluster": {"namespaces": {...}, "pods": [...], "externals": [...]},
 *   "intents": [{"name": "...", "from": {...}, "to": {...}, "port": "8080/TCP", "expect": "allow"}],
 *   "manifests": [{"apiVersion": "v1", "kind": "Service", ...}]
 * }
 * ```
 * `profile` is the cluster profile as data (dataplane, podNetworks, podCidrs, serviceCidrs,
 * metadataServer {ip, port}, gkeVersion, cnpExperimental); `cluster` is a cluster model file (pods may
 * carry `serviceAccount` and, for a workload's second replica `NAME#2`, `replicaOf: NAME`); `intents` is
 * the list of an intents file (endpoints may carry `workload: ns/name` and be `{externalGroup: PREFIX}`);
 * `manifests` the Services, Ingresses and ServiceAccounts the lints read.
 */
import { Cursor, parseManifestText } from './_documents';
import { clusterFromManifests, ClusterInput } from './cluster';
import { NamedIntent, parseIntents } from './intents';
import { manifestFactsFromObjects } from './manifests';
import { describeValue } from './messages';
import { Fix, NetproofError } from '../errors';
import { parseCidr } from '../model/cidr';
import { DATAPLANES, Dataplane, ManifestFacts, ProfileModel } from '../model/cluster';
import { checkPortNumber } from '../model/validate';

/** The name of the recorded model in a folder netproof synth wrote. */
export const RECORDED_MODEL_FILE = '.netproof-model';
/** The environment variable netproof synth and check set to the file the app writes its recorded model to. */
export const RECORD_MODEL_ENV = 'NETPROOF_RECORD_MODEL';
/** The version of the format this netproof writes and reads. */
export const RECORDED_MODEL_VERSION = 1;

export interface RecordedModel {
  /** The file as named in messages. */
  readonly file: string;
  readonly profile: ProfileModel;
  readonly cluster: ClusterInput;
  readonly intents: readonly NamedIntent[];
  readonly manifests: ManifestFacts;
}

const FIX = `It is written by netproof synth: run "netproof synth" again instead of editing ${RECORDED_MODEL_FILE}`;

/** Parses a recorded model; every problem is a NetproofError naming the file and the field. */
export function parseRecordedModel(text: string, file: string): RecordedModel {
  const docs = parseManifestText(text, file);
  if (docs.length !== 1) throw new NetproofError(file, `expected one JSON document, got ${docs.length}. ${FIX}`);
  const root = Cursor.root(docs[0]);
  root.map(['netproofRecordedModel', 'profile', 'cluster', 'intents', 'manifests']);
  const version = root.child('netproofRecordedModel');
  if (version.value !== RECORDED_MODEL_VERSION) {
    throw version.error(`format version ${describeValue(version.value)} is not ${RECORDED_MODEL_VERSION}, the one this netproof reads`, 'Use the netproof version that ran synth, or run "netproof synth" again with this one');
  }
  const profile = parseProfile(root.child('profile'));
  const clusterAt = root.child('cluster');
  clusterAt.map();
  const cluster = clusterFromManifests([clusterAt.value], `${file} cluster`);
  const intentsAt = root.child('intents');
  const intentList = intentsAt.list();
  const intents = intentList.length === 0 ? [] : parseIntents(JSON.stringify({ intents: intentsAt.value }), `${file} intents`);
  const manifests = manifestFactsFromObjects(root.child('manifests').list().map((c) => c.value), `${file} manifests`);
  return { file, profile, cluster, intents, manifests };
}

function parseProfile(at: Cursor): ProfileModel {
  at.map(['dataplane', 'podNetworks', 'podCidrs', 'serviceCidrs', 'metadataServer', 'gkeVersion', 'cnpExperimental']);
  const dpAt = at.child('dataplane');
  const dataplane = dpAt.string(FIX);
  if (!(DATAPLANES as readonly string[]).includes(dataplane)) throw dpAt.error(`dataplane ${describeValue(dataplane)} is not one of ${DATAPLANES.join(', ')}`, FIX);
  const cidrs = (key: string) => at.child(key).list().map((c) => {
    const t = c.string(Fix.cidr);
    const parsed = parseCidr(t);
    if (!parsed.ok) throw c.error(`invalid CIDR ${describeValue(t)}: ${parsed.reason}`, Fix.cidr);
    return parsed.value.canonical;
  });
  const networksAt = at.child('podNetworks');
  const podNetworks = networksAt.isAbsent ? undefined : networksAt.list().map((c) => c.string(FIX));
  const msAt = at.child('metadataServer');
  let metadataServer: ProfileModel['metadataServer'];
  if (!msAt.isAbsent) {
    msAt.map(['ip', 'port']);
    const ip = msAt.child('ip').string(FIX);
    const portAt = msAt.child('port');
    const port = portAt.value;
    if (typeof port !== 'number' || checkPortNumber(port) !== undefined) throw portAt.error(`port ${describeValue(port)} is not a port`, FIX);
    metadataServer = { ip, port };
  }
  const gkeVersion = at.child('gkeVersion').optionalString(FIX);
  const cnpAt = at.child('cnpExperimental');
  if (!cnpAt.isAbsent && typeof cnpAt.value !== 'boolean') throw cnpAt.error(`cnpExperimental is ${cnpAt.described}`, FIX);
  return {
    dataplane: dataplane as Dataplane,
    ...(podNetworks !== undefined ? { podNetworks } : {}),
    podCidrs: cidrs('podCidrs'),
    serviceCidrs: cidrs('serviceCidrs'),
    ...(metadataServer ? { metadataServer } : {}),
    ...(gkeVersion !== undefined ? { gkeVersion } : {}),
    ...(cnpAt.value === true ? { cnpExperimental: true } : {}),
  };
}
