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

/** How many skipped objects a note names before it counts the rest (a listing of 200,000 ConfigMaps is one line). */
export const SKIPPED_NAMED = 20;

/** `netproof: note: FLAG: skipped N objects netproof does not model here: ...`; nothing when none was skipped. */
export function noteSkipped(io: CliIo, what: string, skipped: readonly SkippedObject[]): void {
  if (skipped.length === 0) return;
  const noun = skipped.length === 1 ? 'object' : 'objects';
  const named = skipped.slice(0, SKIPPED_NAMED).map(describeSkipped).join(', ');
  const more = skipped.length > SKIPPED_NAMED ? ` and ${skipped.length - SKIPPED_NAMED} more` : '';
  io.stderr.write(`netproof: note: ${what}: skipped ${skipped.length} ${noun} netproof does not model here: ${named}${more}\n`);
}
