/**
 * Internal: turns YAML / JSON text (or in-memory objects) into located documents, and walks them with a
 * cursor that knows the file, the document index, the field path and (for text input) the line, so that
 * every validation error says exactly where it is.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments, parseDocument } from 'yaml';
import { NetproofError } from '../errors';
import { describeValue, ParseFix } from './messages';

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

function locator(contents: unknown, counter: LineCounter): (path: FieldPath) => number | undefined {
  return (path) => walk(contents, counter, path).line;
}

function scalarSourceOf(contents: unknown, counter: LineCounter): (path: FieldPath) => string | undefined {
  return (path) => {
    const found = walk(contents, counter, path);
    return found.complete && isScalar(found.node) && typeof found.node.source === 'string' ? found.node.source : undefined;
  };
}

/** Follows a field path through the YAML nodes: the node reached, whether the whole path was found, and the line. */
function walk(contents: unknown, counter: LineCounter, path: FieldPath): { node: unknown; complete: boolean; line?: number } {
  let node: unknown = contents;
  let line: number | undefined = rangeLine(node, counter);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node, complete: false, line };
      line = rangeLine(pair.key, counter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return { node, complete: false, line };
      line = rangeLine(item, counter) ?? line;
      node = item;
    } else {
      return { node, complete: false, line };
    }
  }
  return { node, complete: true, line };
}

function rangeLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/**
 * YAML as kubectl reads it (sigs.k8s.io/yaml, a YAML 1.1 reader): unquoted yes/no/on/off/y/n are booleans,
 * `0777` is octal, `<<` merge keys work; but timestamps stay strings and `12:30` is not a base-60 number.
 */
const KUBERNETES_YAML = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
};

/**
 * Parses YAML (multi-document) or, for a `.json` file, JSON. Empty documents are dropped. Syntax errors
 * (including duplicate map keys) are NetproofErrors naming the file, the document and the line.
 */
export function parseManifestText(text: string, file: string): ManifestDocument[] {
  if (/\.json$/i.test(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new NetproofError(file, `invalid JSON: ${(e as Error).message}. ${ParseFix.jsonSyntax}`);
    }
    // Valid JSON is valid YAML: parse it again, only when a message needs a line, to find it.
    let locate: ((path: FieldPath) => number | undefined) | null | undefined;
    const lineOf = (path: FieldPath): number | undefined => {
      if (locate === undefined) {
        try {
          const counter = new LineCounter();
          const doc = parseDocument(text, { lineCounter: counter });
          locate = doc.errors.length === 0 ? locator(doc.contents, counter) : null;
        } catch {
          locate = null;
        }
      }
      return locate === null ? undefined : locate(path);
    };
    let itemLines: number[] | undefined;
    const objectLine = (item: number | undefined): number | undefined => {
      if (item === undefined) return lineAt(text, firstNonSpace(text));
      itemLines ??= jsonItemLines(text);
      return itemLines[item];
    };
    return [{ file, index: 0, value, lineOf, objectLine, unit: 'document' }];
  }
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: ManifestDocument[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = counter.linePos(err.pos[0]).line;
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new NetproofError(whereText({ file, index, unit: 'document' }, line), `invalid YAML: ${message}. ${ParseFix.yamlSyntax}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const lineOf = locator(doc.contents, counter);
    const objectLine = (item: number | undefined) => lineOf(item === undefined ? [] : ['items', item]);
    out.push({ file, index, value, lineOf, objectLine, scalarSource: scalarSourceOf(doc.contents, counter), unit: 'document' });
  });
  return out;
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

/**
 * Lines where the elements of the root object's `items` array start, by one linear scan of valid JSON
 * text (strings skipped, nesting counted): what SARIF needs for objects of a kubectl List, without a
 * second parse.
 */
function jsonItemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  /** Depth of the `items` array once found at depth 1, else -1. */
  let itemsDepth = -1;
  let expectValue = false;
  let lastKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') { line++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const str = text.slice(i + 1, j);
      if (itemsDepth >= 0 && depth === itemsDepth && expectValue) { lines.push(line); expectValue = false; }
      lastKey = str;
      i = j;
      continue;
    }
    if (c === '{' || c === '[') {
      if (itemsDepth >= 0 && depth === itemsDepth && expectValue) { lines.push(line); expectValue = false; }
      depth++;
      if (c === '[' && depth === 2 && lastKey === 'items' && itemsDepth < 0) { itemsDepth = depth; expectValue = true; }
      continue;
    }
    if (c === '}' || c === ']') {
      if (c === ']' && depth === itemsDepth) return lines;
      depth--;
      continue;
    }
    if (c === ',') { if (depth === itemsDepth) expectValue = true; continue; }
    if (c === ':') { lastKey = depth === 1 ? lastKey : undefined; continue; }
    if (itemsDepth >= 0 && depth === itemsDepth && expectValue) { lines.push(line); expectValue = false; }
  }
  return lines;
}

/** Where an object of a document came from: file, document, List item and its line. */
export function sourceOf(doc: ManifestDocument, item?: number): { file: string; index: number; item?: number; line?: number } {
  const line = doc.objectLine?.(item);
  return { file: doc.file, index: doc.index, ...(item !== undefined ? { item } : {}), ...(line !== undefined ? { line } : {}) };
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
