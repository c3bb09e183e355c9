/** Internal: Kubernetes object envelopes (List expansion, metadata, labels) shared by the parsers. */
import { Fix } from '../errors';
import { Cursor, ManifestDocument } from './_documents';
import { ParseFix, quoteShort } from './messages';
import { SkippedObject } from './skipped';
import { Labels } from '../model/selector';
import { checkLabelKey, checkLabelValue } from '../model/validate';

/** One Kubernetes object of an input: its cursor, apiVersion, kind, and List item index when inside a List. */
export interface KubeObject {
  readonly cursor: Cursor;
  readonly apiVersion: string;
  readonly kind: string;
  readonly item?: number;
}

/** The objects of a document: the document itself, or the items of a `List` (`kind: List` or `*List` with items). */
export function kubeObjects(doc: ManifestDocument): KubeObject[] {
  const root = Cursor.root(doc);
  const head = envelope(root);
  if (isList(head.kind, root)) {
    return root.child('items').list().map((item, i) => {
      if (item.isAbsent) throw item.error('expected a Kubernetes object, got nothing (null)', ParseFix.object);
      return envelope(item, i);
    });
  }
  return [head];
}

function isList(kind: string, cursor: Cursor): boolean {
  return kind === 'List' || (kind.endsWith('List') && cursor.has('items'));
}

function envelope(cursor: Cursor, item?: number): KubeObject {
  cursor.map();
  const kindAt = cursor.child('kind');
  if (kindAt.isAbsent) throw kindAt.error('missing "kind"', ParseFix.kind);
  const apiVersionAt = cursor.child('apiVersion');
  if (apiVersionAt.isAbsent) throw apiVersionAt.error('missing "apiVersion"', ParseFix.apiVersion);
  const kind = kindAt.string(ParseFix.kind);
  const apiVersion = apiVersionAt.string(ParseFix.apiVersion);
  return item === undefined ? { cursor, kind, apiVersion } : { cursor, kind, apiVersion, item };
}

export function skippedOf(obj: KubeObject, reason?: string): SkippedObject {
  const meta = obj.cursor.child('metadata');
  const name = typeof (meta.value as any)?.name === 'string' ? (meta.value as any).name as string : '(unnamed)';
  const namespace = typeof (meta.value as any)?.namespace === 'string' ? (meta.value as any).namespace as string : undefined;
  // Assignments in key order rather than conditional spreads: one skipped object per object of a large List.
  const out: { -readonly [K in keyof SkippedObject]: SkippedObject[K] } = { file: obj.cursor.doc.file, index: obj.cursor.doc.index } as SkippedObject;
  if (obj.item !== undefined) out.item = obj.item;
  out.apiVersion = obj.apiVersion;
  out.kind = obj.kind;
  out.name = name;
  if (namespace !== undefined) out.namespace = namespace;
  if (reason !== undefined) out.reason = reason;
  return out;
}

/** Standard ObjectMeta fields; anything else in metadata is an error in policy input. */
export const OBJECT_META_FIELDS = [
  'name', 'generateName', 'namespace', 'labels', 'annotations', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers',
  'managedFields', 'selfLink',
] as const;

/** A label map: keys and values validated, keys sorted. Absent or null = `{}`. */
export function parseLabels(cursor: Cursor): Labels {
  const raw = cursor.optionalMap();
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw).sort()) {
    const at = cursor.child(key);
    at.check(key, checkLabelKey(key), Fix.labelKey);
    const value = raw[key];
    if (typeof value !== 'string') {
      const written = value === null ? '' : at.written ?? String(value);
      throw at.error(`label value must be a string, got ${at.described}`, `Quote it: ${key}: ${quoteShort(written)}`);
    }
    at.check(value, checkLabelValue(value), Fix.labelValue);
    out[key] = value;
  }
  return out;
}

/** An annotation map: string keys (label-key syntax) to string values; keys sorted. */
export function parseAnnotations(cursor: Cursor): Record<string, string> {
  const raw = cursor.optionalMap();
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw).sort()) {
    const at = cursor.child(key);
    at.check(key, checkLabelKey(key), Fix.labelKey);
    out[key] = at.string(ParseFix.annotationValue);
  }
  return out;
}
