/**
 * Finding the model `netproof synth` recorded next to the YAML (`.netproof-model`, format in
 * src/parse/recorded-model.ts), so that the commands that read a synthesized folder check what synth
 * proved: its cluster (workloads, declared workloads, inventories, externals), its cluster profile
 * (dataplane, ranges) and its intents. Flags still override each part.
 */
import { CliIo } from './io';
import { NetproofError } from '../errors';
import { Dataplane } from '../model/cluster';
import { FileSystemReader } from '../parse/files';
import { parseRecordedModel, RECORDED_MODEL_FILE, RecordedModel } from '../parse/recorded-model';

export { RECORDED_MODEL_FILE, RecordedModel };

/** A recorded model and the folder it was found in (as the user named it). */
export interface FoundRecord {
  readonly folder: string;
  readonly model: RecordedModel;
}

/** The path of the record in folder `dir`, as messages name it. */
export function recordPath(dir: string): string {
  return dir.endsWith('/') ? `${dir}${RECORDED_MODEL_FILE}` : `${dir}/${RECORDED_MODEL_FILE}`;
}

/** The record in `p` when `p` is a folder holding one (else undefined). */
export function recordIn(p: string, fs: FileSystemReader): FoundRecord | undefined {
  if (fs.kind(p) !== 'directory') return undefined;
  const file = recordPath(p);
  const kind = fs.kind(file);
  if (kind === 'missing') return undefined;
  return { folder: p, model: parseRecordedModel(fs.readText(file), file) };
}

export const RecordMessages = {
  twoRecords: (a: string, b: string) =>
    `${a} and ${b} are two models recorded by different syntheses, and one run checks against one model. Give --cluster FILE and --dataplane to choose, or name one synthesized folder`,
  used: (file: string, parts: readonly string[]) =>
    `using the model netproof synth recorded in ${file}: ${parts.join(', ')} (flags override each part)`,
} as const;

/**
 * The record of the first of `paths` (in order) that is a synthesized folder holding one; two different
 * records among them are an error (one run, one model).
 */
export function findRecord(command: string, paths: readonly string[], fs: FileSystemReader): FoundRecord | undefined {
  let found: FoundRecord | undefined;
  let text: string | undefined;
  for (const p of paths) {
    const r = recordIn(p, fs);
    if (r === undefined) continue;
    const t = fs.readText(recordPath(p));
    if (found === undefined) {
      found = r;
      text = t;
    } else if (t !== text) {
      throw new NetproofError(`netproof ${command}`, RecordMessages.twoRecords(found.model.file, r.model.file));
    }
  }
  return found;
}

/** The dataplane: --dataplane, else the record's, else upstream. */
export function dataplaneOf(flag: string | undefined, record: FoundRecord | undefined): Dataplane {
  return (flag as Dataplane | undefined) ?? record?.model.profile.dataplane ?? 'upstream';
}

/** `netproof: note: using the model ... recorded in FILE: PARTS` when some part of it was used. */
export function noteRecord(io: CliIo, record: FoundRecord | undefined, parts: readonly (string | undefined)[]): void {
  const used = parts.filter((p): p is string => p !== undefined);
  if (record === undefined || used.length === 0) return;
  io.stderr.write(`netproof: note: ${RecordMessages.used(record.model.file, used)}\n`);
}

/** Words for the parts of a record a command used. */
export const RecordParts = {
  cluster: (r: RecordedModel) => {
    const { pods, externals } = r.cluster.cluster;
    return `the cluster (${pods.length} ${pods.length === 1 ? 'pod' : 'pods'}, ${externals.length} ${externals.length === 1 ? 'external' : 'externals'})`;
  },
  dataplane: (r: RecordedModel) => `dataplane ${r.profile.dataplane}`,
  intents: (r: RecordedModel) => `${r.intents.length} ${r.intents.length === 1 ? 'intent' : 'intents'}`,
} as const;
