/**
 * Internal: turns YAML / JSON text (or in-memory objects) into located documents, and walks them with a
 * cursor that knows the file, the document index, the field path and (for text input) the line, so that
 * every validation error says exactly where it is.
 *
 * Reading is fast and locating is lazy: JSON goes through `JSON.parse` (plus a check for duplicate keys,
 * which `JSON.parse` would silently resolve to the last); YAML through the fast reader (`_fast-yaml.ts`)
 * when the text is in what it reads, and through the YAML library otherwise. Lines are found (by the YAML
 * library, on the one document concerned) only when a message needs one; the line of each object, which
 * every source carries, comes cheaply from the fast reader or a scan. The YAML library is loaded only when
 * it is needed.
 */
import type * as Yaml from 'yaml';
import { fastYamlDocuments } from './_fast-yaml';
import { jsonDuplicateKey, jsonItemLines, jsonKeysMayRepeat } from './_json';
import { describeValue, ParseFix, ParseLimits } from './messages';
import { NetproofError } from '../errors';

export type FieldPath = readonly (string | number)[];

/** One document of an input, with a way to find the line of a field. */
export interface ManifestDocument {
  /** File name as the user gave it, or a label for in-memory input. */
  readonly file: string;
  /** Zero-based document index within the file (or object index for in-memory input). */
  readonly index: number;
  readonly value: unknown;
  /** One-based line of the field (or of its nearest existing ancestor), when the text is known. */
  readonly lineOf?: (path: FieldPath) => number | undefined;
  /** The source text of a scalar as written (e.g. `yes` for a value read as boolean true), when known. */
  readonly scalarSource?: (path: FieldPath) => string | undefined;
  /** Word used in messages: `document` for files, `object` for in-memory input. */
  readonly unit: 'document' | 'object';
  /**
   * One-based line where the document (no item) or its `items[item]` entry starts, when the text is known.
   * Cheap for YAML and JSON alike (JSON is scanned, not parsed again).
   */
  readonly objectLine?: (item: number | undefined) => number | undefined;
}

/** Renders a field path as `spec.ingress[0].ports[1].port`. */
export function fieldText(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file[document 2, line 14]`. */
export function whereText(doc: Pick<ManifestDocument, 'file' | 'index' | 'unit'>, line?: number): string {
  return `${doc.file}[${doc.unit} ${doc.index}${line !== undefined ? `, line ${line}` : ''}]`;
}

/** The YAML library, loaded on first use: reading a file the fast reader reads does not need it. */
function yaml(): typeof Yaml {
  // A require inside a function is how a CommonJS module loads another one lazily (`import()` is asynchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}

/** Lines and written scalars of one document parsed by the YAML library; `lineOffset` lines precede its text. */
interface Located {
  lineOf(path: FieldPath): number | undefined;
  scalarSource(path: FieldPath): string | undefined;
}

function located(contents: unknown, counter: Yaml.LineCounter, lineOffset: number): Located {
  return {
    lineOf: (path) => walk(contents, counter, path, lineOffset).line,
    scalarSource: (path) => {
      const found = walk(contents, counter, path, lineOffset);
      return found.complete && yaml().isScalar(found.node) && typeof found.node.source === 'string' ? found.node.source : undefined;
    },
  };
}

/** Follows a field path through the YAML nodes: the node reached, whether the whole path was found, and the line. */
function walk(
  contents: unknown, counter: Yaml.LineCounter, path: FieldPath, lineOffset: number,
): { node: unknown; complete: boolean; line?: number } {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  let node: unknown = contents;
  let line: number | undefined = rangeLine(node, counter, lineOffset);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node, complete: false, line };
      line = rangeLine(pair.key, counter, lineOffset) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return { node, complete: false, line };
      line = rangeLine(item, counter, lineOffset) ?? line;
      node = item;
    } else {
      return { node, complete: false, line };
    }
  }
  return { node, complete: true, line };
}

function rangeLine(node: unknown, counter: Yaml.LineCounter, lineOffset: number): number | undefined {
  const range = (node as Yaml.Node | undefined)?.range;
  return range ? counter.linePos(range[0]).line + lineOffset : undefined;
}

/**
 * YAML as kubectl reads it (sigs.k8s.io/yaml, a YAML 1.1 reader): unquoted yes/no/on/off/y/n are booleans,
 * `0777` is octal, `<<` merge keys work; but timestamps stay strings and `12:30` is not a base-60 number.
 */
const KUBERNETES_YAML = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
};

/** Explicit tags that leave a value plain data, as Kubernetes reads it (`!` alone is the non-specific tag). */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`).concat('!'));

/**
 * Parses YAML (multi-document) or, for a `.json` file, JSON. Empty documents are dropped. Syntax errors
 * (including duplicate map keys, in JSON too), tags that are not plain data, undefined aliases and alias
 * bombs are NetproofErrors naming the file, the document and the line.
 */
export function parseManifestText(text: string, file: string): ManifestDocument[] {
  if (/\.json$/i.test(file)) return jsonDocuments(text, file);
  const fast = fastYamlDocuments(text);
  if (fast === undefined) return yamlDocuments(text, file);
  return fast.map((d) => {
    let found: Located | undefined;
    const locate = (): Located => {
      if (found === undefined) {
        const counter = new (yaml().LineCounter)();
        const doc = yaml().parseDocument(text.slice(d.start, d.end), { ...KUBERNETES_YAML, lineCounter: counter, uniqueKeys: true });
        found = located(doc.contents, counter, d.linesBefore);
      }
      return found;
    };
    const lineOf = (path: FieldPath) => locate().lineOf(path);
    return {
      file,
      index: d.index,
      value: d.value,
      lineOf,
      scalarSource: (path: FieldPath) => locate().scalarSource(path),
      objectLine: (item: number | undefined) => (item === undefined ? d.line : d.itemLines?.[item] ?? lineOf(['items', item])),
      unit: 'document' as const,
    };
  });
}

function jsonDocuments(text: string, file: string): ManifestDocument[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new NetproofError(file, `invalid JSON: ${(e as Error).message}. ${ParseFix.jsonSyntax}`);
  }
  // Valid JSON is valid YAML: parse it again, only when a message needs a line, to find it.
  let locate: Located | null | undefined;
  const lineOf = (path: FieldPath): number | undefined => {
    if (locate === undefined) {
      try {
        const counter = new (yaml().LineCounter)();
        const doc = yaml().parseDocument(text, { lineCounter: counter });
        locate = doc.errors.length === 0 ? located(doc.contents, counter, 0) : null;
      } catch {
        locate = null;
      }
    }
    return locate === null ? undefined : locate.lineOf(path);
  };
  if (jsonKeysMayRepeat(text, value)) {
    const dup = jsonDuplicateKey(text);
    if (dup !== undefined) {
      throw new NetproofError(whereText({ file, index: 0, unit: 'document' }, dup.line),
        `invalid JSON: key ${JSON.stringify(dup.key)} appears twice in one object. ${ParseFix.duplicateKey}`, fieldText(dup.path) || undefined);
    }
  }
  let itemLines: number[] | undefined;
  const objectLine = (item: number | undefined): number | undefined => {
    if (item === undefined) return lineAt(text, firstNonSpace(text));
    itemLines ??= jsonItemLines(text);
    return itemLines[item];
  };
  return [{ file, index: 0, value, lineOf, objectLine, unit: 'document' }];
}

/** The YAML library's reading: every document outside the fast reader, and every YAML error. */
function yamlDocuments(text: string, file: string): ManifestDocument[] {
  const tooDeep = nestingBeyond(text, ParseLimits.nesting);
  if (tooDeep !== undefined) {
    throw new NetproofError(whereText({ file, index: tooDeep.document, unit: 'document' }, tooDeep.line),
      `YAML nested deeper than ${ParseLimits.nesting} levels. ${ParseFix.nesting}`);
  }
  const Y = yaml();
  const counter = new Y.LineCounter();
  let docs: ReturnType<typeof Y.parseAllDocuments>;
  try {
    docs = Y.parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    if (e instanceof RangeError) throw new NetproofError(file, `the YAML reader gave up: ${e.message}. ${ParseFix.nesting}`);
    throw e;
  }
  const list = Array.isArray(docs) ? docs : [];
  const out: ManifestDocument[] = [];
  list.forEach((doc, index) => {
    const where = (line?: number) => whereText({ file, index, unit: 'document' }, line);
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = counter.linePos(err.pos[0]).line;
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new NetproofError(where(line), `invalid YAML: ${message}. ${ParseFix.yamlSyntax}`);
    }
    const tagged = firstBadTag(doc.contents);
    if (tagged !== undefined) {
      const reason = tagged.plain ? `YAML tag ${shortTag(tagged.tag)} on ${tagged.what} is not read alike by Kubernetes and netproof`
        : `YAML tag ${shortTag(tagged.tag)} on ${tagged.what} is not plain data`;
      throw new NetproofError(where(rangeLine(tagged.node, counter, 0)), `${reason}. ${ParseFix.yamlTag}`, fieldText(tagged.path) || undefined);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: ParseLimits.aliases });
    } catch (e) {
      const merge = e instanceof ReferenceError ? undefined : firstBadMerge(doc.contents, doc);
      if (merge !== undefined) {
        throw new NetproofError(where(rangeLine(merge.node, counter, 0)), `invalid YAML: the merge key << takes a map or an alias of one, got ${merge.what}. ${ParseFix.merge}`, fieldText(merge.path) || undefined);
      }
      if (!(e instanceof ReferenceError)) throw e;
      const alias = firstAlias(doc.contents, doc);
      const line = alias !== undefined ? rangeLine(alias.node, counter, 0) : undefined;
      if (alias?.undefined) throw new NetproofError(where(line), `invalid YAML: alias *${alias.name} refers to no anchor before it. ${ParseFix.alias}`);
      throw new NetproofError(where(line), `invalid YAML: its aliases expand to more than ${ParseLimits.aliases} copies (an alias bomb). ${ParseFix.aliasBomb}`);
    }
    if (value === null || value === undefined) return;
    const at = located(doc.contents, counter, 0);
    const objectLine = (item: number | undefined) => at.lineOf(item === undefined ? [] : ['items', item]);
    out.push({ file, index, value, lineOf: at.lineOf, objectLine, scalarSource: at.scalarSource, unit: 'document' });
  });
  return out;
}

/** The `!!name` form of a standard tag, else the tag as written. */
function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

interface NodeAt {
  readonly node: Yaml.Node;
  readonly path: FieldPath;
}

/** Every node of a document with its field path, depth first, without recursion. */
function* nodesOf(contents: unknown): Generator<NodeAt> {
  const { isMap, isNode, isPair, isScalar, isSeq } = yaml();
  const stack: NodeAt[] = isNode(contents) ? [{ node: contents, path: [] }] : [];
  while (stack.length > 0) {
    const at = stack.pop()!;
    yield at;
    const { node, path } = at;
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : i;
        if (isNode(pair.value)) stack.push({ node: pair.value, path: [...path, key] });
        if (isNode(pair.key)) stack.push({ node: pair.key, path });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isNode(item)) stack.push({ node: item, path: [...path, i] });
      }
    }
  }
}

/**
 * The first node whose explicit tag is not plain data, or is a plain-data tag the YAML library could not
 * apply to the value (`!!float 1` stays the string "1" there, Kubernetes reads the number 1): `plain` then.
 */
function firstBadTag(contents: unknown): (NodeAt & { tag: string; what: string; plain: boolean }) | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  for (const at of nodesOf(contents)) {
    const { node } = at;
    const tag = node.tag;
    if (tag === undefined) continue;
    const written = isScalar(node) && typeof node.source === 'string' ? JSON.stringify(node.source) : undefined;
    const what = isMap(node) ? 'a map' : isSeq(node) ? 'a list' : written ?? 'a value';
    if (!PLAIN_TAGS.has(tag)) return { ...at, tag, what, plain: false };
    const value = isScalar(node) ? node.value : undefined;
    const fits = tag === '!' ? !isScalar(node) || typeof value === 'string'
      : ({
        str: typeof value === 'string',
        int: Number.isInteger(value),
        float: typeof value === 'number',
        bool: typeof value === 'boolean',
        null: isScalar(node) && value === null,
        map: isMap(node),
        seq: isSeq(node),
      } as Record<string, boolean>)[tag.slice('tag:yaml.org,2002:'.length)];
    if (!fits) return { ...at, tag, what, plain: true };
  }
  return undefined;
}

/**
 * The first merge key (`<<`) whose value is neither a map, an alias of a map, nor a list of those: the YAML
 * library refuses to merge it, and so does kubectl.
 */
function firstBadMerge(contents: unknown, doc: Yaml.Document): (NodeAt & { what: string }) | undefined {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yaml();
  const mergeable = (n: unknown): boolean => isMap(n) || (isAlias(n) && isMap(n.resolve(doc)));
  for (const at of nodesOf(contents)) {
    if (!isMap(at.node)) continue;
    for (const pair of at.node.items) {
      if (!isPair(pair) || !isScalar(pair.key) || (pair.key.source !== '<<' && pair.key.value !== '<<')) continue;
      const value = pair.value;
      if (mergeable(value) || (isSeq(value) && value.items.every(mergeable))) continue;
      const what = isScalar(value) ? JSON.stringify(value.source ?? value.value) : isSeq(value) ? 'a list with a value that is not a map' : 'a value that is not a map';
      return { node: (value ?? pair.key) as Yaml.Node, path: [...at.path, '<<'], what };
    }
  }
  return undefined;
}

/** The first alias that refers to no anchor, or else the first alias. */
function firstAlias(contents: unknown, doc: Yaml.Document): (NodeAt & { name: string; undefined: boolean }) | undefined {
  const { isAlias } = yaml();
  let first: (NodeAt & { name: string; undefined: boolean }) | undefined;
  for (const at of nodesOf(contents)) {
    if (!isAlias(at.node)) continue;
    const missing = at.node.resolve(doc) === undefined;
    if (missing) return { ...at, name: at.node.source, undefined: true };
    first ??= { ...at, name: at.node.source, undefined: false };
  }
  return first;
}

/**
 * The first line whose nesting, counted generously (indentation columns, list dashes and open brackets),
 * goes beyond `limit`: the YAML library would run out of stack or memory on such text.
 */
function nestingBeyond(text: string, limit: number): { line: number; document: number } | undefined {
  let flow = 0;
  let document = 0;
  let started = false; // has the current document begun (content, or its --- marker)?
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = end + 1;
    if (text.startsWith('---', start) && (start + 3 === end || text[start + 3] === ' ')) {
      if (started) document++;
      started = true;
    }
    let i = start;
    while (i < end && (text[i] === ' ' || ((text[i] === '-' || text[i] === '?' || text[i] === ':') && text[i + 1] === ' '))) i++;
    if (i < end && text[i] !== '#') started = true;
    if (i - start + flow > limit) return { line, document };
    let quote = '';
    for (; i < end; i++) {
      const c = text[i];
      if (quote !== '') {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === '\'') {
        quote = c;
      } else if (c === '#' && (i === start || text[i - 1] === ' ')) {
        break;
      } else if (c === '[' || c === '{') {
        if (++flow > limit) return { line, document };
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
    }
    start = next;
  }
  return undefined;
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index : 0;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where an object of a document came from: file, document, List item and its line. */
export function sourceOf(doc: ManifestDocument, item?: number): { file: string; index: number; item?: number; line?: number } {
  const line = doc.objectLine?.(item);
  // Assignments, not conditional spreads: this runs once per object of the input.
  const source: { file: string; index: number; item?: number; line?: number } = { file: doc.file, index: doc.index };
  if (item !== undefined) source.item = item;
  if (line !== undefined) source.line = line;
  return source;
}

/** Wraps in-memory objects (e.g. a cdk8s chart's `toJson()`) as documents. */
export function objectDocuments(objects: readonly unknown[], label: string): ManifestDocument[] {
  return objects.map((value, index) => ({ file: label, index, value, unit: 'object' as const }));
}

/** A position inside a document: validated, located access to fields. */
export class Cursor {
  public static root(doc: ManifestDocument): Cursor {
    return new Cursor(doc, undefined, undefined, doc.value);
  }

  private constructor(
    public readonly doc: ManifestDocument,
    private readonly parent: Cursor | undefined,
    private readonly key: string | number | undefined,
    public readonly value: unknown,
  ) {}

  /** Field path from the document root (built on demand: only messages need it). */
  public get path(): FieldPath {
    const out: (string | number)[] = [];
    for (let c: Cursor | undefined = this; c?.parent !== undefined; c = c.parent) out.push(c.key!);
    return out.reverse();
  }

  public get where(): string {
    return whereText(this.doc, this.doc.lineOf?.(this.path));
  }

  public get field(): string {
    return fieldText(this.path);
  }

  /** A NetproofError at this position (`throw cursor.error(...)`): `reason` names the bad value; `fix` the expected form. */
  public error(reason: string, fix: string): NetproofError {
    return new NetproofError(this.where, `${reason}. ${fix}`, this.field || undefined);
  }

  /** The scalar as written in the YAML source, when it differs from how it was read (`yes` read as true). */
  public get written(): string | undefined {
    if (this.value === null || typeof this.value === 'object') return undefined;
    const source = this.doc.scalarSource?.(this.path);
    return source !== undefined && source !== String(this.value) ? source : undefined;
  }

  /** The value for messages: `boolean true (written yes)`. */
  public get described(): string {
    const written = this.written;
    return `${describeValue(this.value)}${written !== undefined ? ` (written ${written}, which Kubernetes' YAML 1.1 reader does not take as a string)` : ''}`;
  }

  public child(key: string | number): Cursor {
    const v = this.value as any;
    return new Cursor(this.doc, this, key, v === null || v === undefined ? undefined : v[key]);
  }

  public get isAbsent(): boolean {
    return this.value === undefined || this.value === null;
  }

  public has(key: string): boolean {
    return isPlainObject(this.value) && Object.prototype.hasOwnProperty.call(this.value, key);
  }

  /** Requires a map; with `allowed`, every key must be in it (fail closed on unknown fields). */
  public map(allowed?: readonly string[]): Record<string, unknown> {
    if (!isPlainObject(this.value)) throw this.error(`expected a map, got ${describeValue(this.value)}`, ParseFix.map);
    if (allowed) {
      for (const key of Object.keys(this.value)) {
        if (!allowed.includes(key)) throw this.child(key).error(`unknown field "${key}"`, ParseFix.unknownField(allowed));
      }
    }
    return this.value;
  }

  /** A map, or `{}` when absent or null. */
  public optionalMap(allowed?: readonly string[]): Record<string, unknown> {
    return this.isAbsent ? {} : this.map(allowed);
  }

  /** The list's element cursors; `[]` when absent or null. */
  public list(): Cursor[] {
    if (this.isAbsent) return [];
    if (!Array.isArray(this.value)) throw this.error(`expected a list, got ${describeValue(this.value)}`, ParseFix.list);
    return this.value.map((_, i) => this.child(i));
  }

  public string(fix: string = ParseFix.string): string {
    if (typeof this.value !== 'string') throw this.error(`expected a string, got ${this.described}`, fix);
    return this.value;
  }

  public optionalString(fix?: string): string | undefined {
    return this.isAbsent ? undefined : this.string(fix);
  }

  /** Checks with a validator from model/validate: `undefined` = valid. */
  public check<T>(value: T, reason: string | undefined, fix: string): T {
    if (reason !== undefined) throw this.error(`${describeValue(value)}: ${reason}`, fix);
    return value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
