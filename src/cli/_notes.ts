/** Internal: notes on stderr that the commands share (never silent about what the answers assume). */
import { CliIo } from './io';
import { Dataplane } from '../model/cluster';
import { DualStackPod } from '../parse/cluster';
import { describeSkipped, SkippedObject } from '../parse/skipped';
import { EndpointId } from '../verify/api';

/** How many pod ids a note names before it says how many more there are. */
const NAMED = 5;

export const NoteMessages = {
  podsWithoutIp: (ids: readonly EndpointId[], dataplane: Dataplane) => {
    const named = ids.slice(0, NAMED).join(', ');
    const more = ids.length > NAMED ? ` and ${ids.length - NAMED} more` : '';
    const noun = ids.length === 1 ? '1 pod has' : `${ids.length} pods have`;
    return `${noun} no IP (${named}${more}): under dataplane ${dataplane} ipBlocks match pod IPs, and the results treat `
      + `${ids.length === 1 ? 'it' : 'them'} as matching no ipBlock. Give each pod its IP (ip: in the cluster model file, `
      + 'status.podIP of a Pod), or use --dataplane dataplane-v2, where ipBlocks never match pods';
  },
  emptyFiles: (what: string, files: readonly string[]) =>
    `${what}: ${nameSome(files)} ${files.length === 1 ? 'holds' : 'hold'} no objects (no documents, or only Lists without items), so ${files.length === 1 ? 'it adds' : 'they add'} nothing. Check that ${files.length === 1 ? 'it is the file' : 'they are the files'} you meant`,
  noPolicies: (what: string) =>
    `${what} holds no NetworkPolicy or FQDNNetworkPolicy: no pod is isolated, so every connection is allowed`,
  selectNoPod: (policies: readonly string[]) =>
    `${policies.length === 1 ? '1 policy selects' : `${policies.length} policies select`} pods that no input object makes (${nameSome(policies)}): `
    + 'pods an operator creates (e.g. the StatefulSet of a Prometheus resource) are not in the inputs, and the results cover only the pods the inputs make. '
    + 'Give those pods with --cluster (a cluster model file, or kubectl get namespaces,pods -A -o json), or fix the selectors',
  noPods: 'the cluster model has no pods (no Pod, workload or model-file pod in --cluster), so there is nothing to reach or to protect',
  dualStack: (pods: readonly DualStackPod[]) =>
    `${pods.length === 1 ? '1 pod is' : `${pods.length} pods are`} dual-stack (${nameSome(pods.map((p) => `${p.id}: ${p.modelled} and ${p.other}`))}): netproof knows a pod `
    + 'by one address (status.podIP), so the results take ipBlocks of the other IP family not to match '
    + `${pods.length === 1 ? 'it' : 'them'}. Give ipBlocks for the family of status.podIP, or check such rules by hand`,
} as const;

function nameSome(items: readonly string[]): string {
  return `${items.slice(0, NAMED).join(', ')}${items.length > NAMED ? ` and ${items.length - NAMED} more` : ''}`;
}

/** `netproof: note: ...` for each of the notes. */
export function note(io: CliIo, text: string): void {
  io.stderr.write(`netproof: note: ${text}\n`);
}

/** `netproof: note: ...` naming the pods without an IP when an ipBlock could match them (see `podsWithoutIp`). */
export function notePodsWithoutIp(io: CliIo, ids: readonly EndpointId[], dataplane: Dataplane): void {
  if (ids.length > 0) io.stderr.write(`netproof: note: ${NoteMessages.podsWithoutIp(ids, dataplane)}\n`);
}

/**
 * How many skipped objects a note names; past that it counts them per kind (kube-prometheus' 117 objects,
 * or a listing of 200,000 ConfigMaps, is one short line), and `--verbose` names every one.
 */
export const SKIPPED_NAMED = 5;

/**
 * `netproof: note: FLAG: skipped N objects netproof does not model here: ...`: each object when there are
 * at most SKIPPED_NAMED (or with `verbose`), else a count per kind (and reason); nothing when none was skipped.
 */
export function noteSkipped(io: CliIo, what: string, skipped: readonly SkippedObject[], verbose = false): void {
  if (skipped.length === 0) return;
  const noun = skipped.length === 1 ? 'object' : 'objects';
  const listed = verbose || skipped.length <= SKIPPED_NAMED
    ? skipped.map(describeSkipped).join(', ')
    : `${countByKind(skipped)} (run with --verbose to name each)`;
  io.stderr.write(`netproof: note: ${what}: skipped ${skipped.length} ${noun} netproof does not model here: ${listed}\n`);
}

/** `40 ConfigMap, 30 Secret, 2 Pod (host network: ...)`: most first, then by kind. */
function countByKind(skipped: readonly SkippedObject[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const key = `${s.kind}${s.reason !== undefined ? ` (${s.reason})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => `${n} ${k}`).join(', ');
}
