/** Internal: notes on stderr that the commands share (never silent about what the answers assume). */
import { CliIo } from './io';
import { Dataplane } from '../model/cluster';
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
} as const;

/** `netproof: note: ...` naming the pods without an IP when an ipBlock could match them (see `podsWithoutIp`). */
export function notePodsWithoutIp(io: CliIo, ids: readonly EndpointId[], dataplane: Dataplane): void {
  if (ids.length > 0) io.stderr.write(`netproof: note: ${NoteMessages.podsWithoutIp(ids, dataplane)}\n`);
}

/** `netproof: note: FLAG: skipped N objects netproof does not model here: ...`; nothing when none was skipped. */
export function noteSkipped(io: CliIo, what: string, skipped: readonly SkippedObject[]): void {
  if (skipped.length === 0) return;
  const noun = skipped.length === 1 ? 'object' : 'objects';
  io.stderr.write(`netproof: note: ${what}: skipped ${skipped.length} ${noun} netproof does not model here: ${skipped.map(describeSkipped).join(', ')}\n`);
}
