/**
 * Internal: a fast reader for the YAML that kubectl, cdk8s and people write: multi-document files of block
 * maps and lists (kubectl's unindented lists included), one-line plain, quoted and flow scalars and flow
 * collections, literal block scalars (`|`, `|-`) and comments. Anything else (anchors, aliases, tags,
 * directives, multi-line plain or quoted scalars, folded scalars, tabs, CR line ends, duplicate keys, merge
 * keys, anything the YAML library would reject) makes it give up, and the caller reads the file with the
 * YAML library instead: so it never has to be right about the rare cases, only about those it accepts, where
 * it must give exactly the YAML library's values (YAML 1.1 as `_documents.ts` configures it). The tests check
 * that on generated documents and on every YAML file of the repository.
 *
 * Scalars resolve as the YAML library's YAML 1.1 schema resolves untagged plain scalars (null, booleans with
 * y/yes/on and n/no/off, binary, octal, decimal and hex integers with `_`, floats, .inf and .nan; no
 * timestamps and no base-60 numbers); map keys become strings as its `toJS` makes them.
 */

/** One document the fast reader accepted. */
export interface FastDocument {
  /** Zero-based document index, as the YAML library counts documents (empty ones included). */
  readonly index: number;
  /** The document's value; never null (empty documents are left out). */
  readonly value: unknown;
  /** Offsets of the document's text: its lines after the `---` that opens it, up to the next marker. */
  readonly start: number;
  readonly end: number;
  /** Lines of the file before `start`. */
  readonly linesBefore: number;
  /** One-based line of the root node. */
  readonly line: number;
  /** One-based lines of the root's `items` entries, when `items` is a block list. */
  readonly itemLines?: readonly number[];
}

/** Nesting the fast reader handles itself; deeper documents go to the YAML library (and its limits). */
const MAX_DEPTH = 64;

/** Implicit keys longer than this are a YAML error. */
const MAX_KEY_LENGTH = 1024;

/** Thrown to give up; caught at the top. */
class GiveUp {}
const GIVE_UP = new GiveUp();

/**
 * The documents of a YAML text, or `undefined` when the text is outside what the fast reader reads (the
 * caller then uses the YAML library, which also reports every syntax error).
 */
export function fastYamlDocuments(text: string): FastDocument[] | undefined {
  // Tabs, CR, BOM and control characters: left to the YAML library.
  if (/[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff]/.test(text)) return undefined;
  try {
    return new FastReader(text).documents();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const QUESTION = 63;
const DQUOTE = 34;
const SQUOTE = 39;

/** Characters a plain scalar may not start with (besides `-`, `?`, `:` followed by a space). */
const NOT_PLAIN_START = new Set(',[]{}#&*!|>\'"%@`'.split(''));

class FastReader {
  /** Offset where each line starts; one more entry at the end (text.length + 1). */
  private readonly starts: number[] = [];
  /** Leading spaces per line; -1 for a blank or comment-only line. */
  private readonly indents: Int32Array;
  /** The current document's lines: [docStart, docEnd). */
  private docEnd = 0;
  /** The next line to read after a node. */
  private next = 0;
  /** After `keyAt`: the offset after the key's colon. */
  private keyEnd = 0;
  /** After `doubleQuoted` / `singleQuoted`: the offset after the closing quote. */
  private quoteEnd = 0;

  constructor(private readonly text: string) {
    const starts = this.starts;
    starts.push(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const lines = starts.length;
    starts.push(text.length + 1);
    this.indents = new Int32Array(lines);
    for (let l = 0; l < lines; l++) {
      const s = starts[l];
      const e = starts[l + 1] - 1;
      let i = s;
      while (i < e && text.charCodeAt(i) === SPACE) i++;
      this.indents[l] = i === e || text.charCodeAt(i) === HASH ? -1 : i - s;
    }
  }

  public documents(): FastDocument[] {
    const lines = this.indents.length;
    const out: FastDocument[] = [];
    let index = -1;
    let docStart = -1;
    const finish = (end: number) => {
      if (docStart >= 0) {
        const doc = this.document(index, docStart, end);
        if (doc !== undefined) out.push(doc);
      }
    };
    for (let l = 0; l < lines; l++) {
      const s = this.starts[l];
      const c = this.text.charCodeAt(s);
      if (c === DASH && this.text.startsWith('---', s) && this.markerEnds(l, s + 3)) {
        finish(l);
        index++;
        docStart = l + 1;
        continue;
      }
      if ((c === 46 && this.text.startsWith('...', s)) || c === 37) throw GIVE_UP; // document end, directive
      if (docStart < 0 && this.indents[l] >= 0) {
        index = 0;
        docStart = 0;
      }
    }
    finish(lines);
    return out;
  }

  /** Is a `---` at line start followed by nothing but spaces and a comment? (Other content: give up.) */
  private markerEnds(line: number, at: number): boolean {
    const end = this.starts[line + 1] - 1;
    if (at === end) return true;
    if (this.text.charCodeAt(at) !== SPACE) return false; // `---x` is a plain scalar
    let i = at;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i === end || this.text.charCodeAt(i) === HASH) return true;
    throw GIVE_UP;
  }

  private document(index: number, first: number, end: number): FastDocument | undefined {
    this.docEnd = end;
    const root = this.meaningful(first);
    if (root >= end) return undefined;
    const itemLines: number[] = [];
    const value = this.node(root, this.indents[root], -1, 0, itemLines);
    if (this.next < end) throw GIVE_UP;
    if (value === null) return undefined;
    return {
      index,
      value,
      start: this.starts[first],
      end: this.starts[end] - 1,
      linesBefore: first,
      line: root + 1,
      ...(itemLines.length > 0 ? { itemLines } : {}),
    };
  }

  /** The first line at or after `l` with content (or the document's end). */
  private meaningful(l: number): number {
    while (l < this.docEnd && this.indents[l] < 0) l++;
    return l;
  }

  private lineEnd(l: number): number {
    return this.starts[l + 1] - 1;
  }

  /**
   * The node whose content starts at column `col` of line `l`, inside a parent block at indentation
   * `parent`. `itemLines` (root only) collects the lines of the root's `items` entries.
   */
  private node(l: number, col: number, parent: number, depth: number, itemLines?: number[]): unknown {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const at = this.starts[l] + col;
    const c = this.text.charCodeAt(at);
    if (c === DASH && this.spaceOrEnd(at + 1, l)) return this.sequence(l, col, depth, undefined);
    const key = this.keyAt(l, at);
    if (key !== undefined) return this.map(l, col, depth, key, itemLines);
    return this.inline(l, at, parent, depth);
  }

  private spaceOrEnd(i: number, l: number): boolean {
    return i >= this.lineEnd(l) || this.text.charCodeAt(i) === SPACE;
  }

  /** A block map whose keys are at column `n`, the first on line `l`. */
  private map(l: number, n: number, depth: number, firstKey: string, itemLines?: number[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let name: string | undefined = firstKey;
    for (;;) {
      // `in` also sees inherited names (toString, __proto__): those too go to the YAML library.
      if (name === undefined || name === '<<' || name in out) throw GIVE_UP;
      const end = this.lineEnd(l);
      let i = this.keyEnd;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      let value: unknown;
      if (i === end || this.text.charCodeAt(i) === HASH) {
        const m = this.meaningful(l + 1);
        const lines = itemLines !== undefined && name === 'items' ? itemLines : undefined;
        if (m < this.docEnd && this.indents[m] > n) {
          const ind = this.indents[m];
          value = lines !== undefined && this.isDash(m, ind) ? this.sequence(m, ind, depth + 1, lines) : this.node(m, ind, n, depth + 1);
        } else if (m < this.docEnd && this.indents[m] === n && this.isDash(m, n)) {
          value = this.sequence(m, n, depth + 1, lines);
        } else {
          value = null;
          this.next = m;
        }
      } else {
        value = this.inline(l, i, n, depth + 1);
      }
      out[name] = value;
      const next = this.next;
      if (next >= this.docEnd || this.indents[next] < n) return out;
      if (this.indents[next] > n || this.isDash(next, n)) throw GIVE_UP;
      l = next;
      name = this.keyAt(l, this.starts[l] + n);
    }
  }

  private isDash(l: number, n: number): boolean {
    const at = this.starts[l] + n;
    return this.text.charCodeAt(at) === DASH && this.spaceOrEnd(at + 1, l);
  }

  /** A block list whose dashes are at column `n`, the first on line `l`. */
  private sequence(l: number, n: number, depth: number, lines: number[] | undefined): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const end = this.lineEnd(l);
      let i = this.starts[l] + n + 1;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (i === end || this.text.charCodeAt(i) === HASH) {
        const m = this.meaningful(l + 1);
        if (m < this.docEnd && this.indents[m] > n) {
          lines?.push(m + 1);
          out.push(this.node(m, this.indents[m], n, depth + 1));
        } else {
          lines?.push(l + 1);
          out.push(null);
          this.next = m;
        }
      } else {
        lines?.push(l + 1);
        out.push(this.node(l, i - this.starts[l], n, depth + 1));
      }
      const next = this.next;
      if (next >= this.docEnd || this.indents[next] < n) return out;
      if (this.indents[next] > n) throw GIVE_UP;
      if (!this.isDash(next, n)) return out; // the parent map's next key (kubectl's unindented lists)
      l = next;
    }
  }

  /** A map key at offset `at` of line `l`: its name (`keyEnd` is then the offset after its colon); undefined when not a key. */
  private keyAt(l: number, at: number): string | undefined {
    const text = this.text;
    const end = this.lineEnd(l);
    const c = text.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const q = c === DQUOTE ? this.doubleQuoted(at, end) : this.singleQuoted(at, end);
      if (q === undefined) return undefined;
      let i = this.quoteEnd;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i < end && text.charCodeAt(i) === COLON && this.spaceOrEnd(i + 1, l)) {
        this.keyEnd = i + 1;
        return q;
      }
      return undefined;
    }
    if (NOT_PLAIN_START.has(text[at]) || ((c === DASH || c === QUESTION || c === COLON) && this.spaceOrEnd(at + 1, l))) return undefined;
    let colon = at;
    for (; colon < end; colon++) {
      const d = text.charCodeAt(colon);
      if (d === COLON && (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE)) break;
      if (d === HASH && text.charCodeAt(colon - 1) === SPACE) return undefined; // a comment before any colon
    }
    if (colon >= end) return undefined;
    let k = colon;
    while (k > at && text.charCodeAt(k - 1) === SPACE) k--;
    if (k - at > MAX_KEY_LENGTH) throw GIVE_UP;
    this.keyEnd = colon + 1;
    const v = resolvePlain(text.slice(at, k));
    return v === null ? '' : typeof v === 'string' ? v : String(v);
  }

  /**
   * A value that starts at offset `at` of line `l` and (but for a block scalar) ends on that line; the next
   * line with content must not be indented more than the `parent` block.
   */
  private inline(l: number, at: number, parent: number, depth: number): unknown {
    const text = this.text;
    const end = this.lineEnd(l);
    const c = text[at];
    let value: unknown;
    let after: number;
    if (c === '"' || c === '\'') {
      const q = c === '"' ? this.doubleQuoted(at, end) : this.singleQuoted(at, end);
      if (q === undefined) throw GIVE_UP;
      value = q;
      after = this.quoteEnd;
    } else if (c === '[' || c === '{') {
      const f = this.flow(at, end, depth);
      value = f.value;
      after = f.end;
    } else if (c === '|') {
      return this.literal(l, at, end, parent);
    } else {
      if (NOT_PLAIN_START.has(c) || ((c === '-' || c === '?' || c === ':') && this.spaceOrEnd(at + 1, l))) throw GIVE_UP;
      let stop = this.comment(at, end);
      while (stop > at && text.charCodeAt(stop - 1) === SPACE) stop--;
      const plain = text.slice(at, stop);
      if (plain.includes(': ') || plain.endsWith(':')) throw GIVE_UP;
      value = resolvePlain(plain);
      after = stop;
    }
    this.restIsComment(after, end);
    this.next = this.meaningful(l + 1);
    if (this.next < this.docEnd && this.indents[this.next] > parent) throw GIVE_UP;
    return value;
  }

  /** The offset of the first `code` in [from, to), or `to`. */
  private find(code: number, from: number, to: number): number {
    const text = this.text;
    let i = from;
    while (i < to && text.charCodeAt(i) !== code) i++;
    return i;
  }

  /** Where a comment (` #`) starts in [from, to), or `to`. */
  private comment(from: number, to: number): number {
    for (let i = this.find(HASH, from, to); i < to; i = this.find(HASH, i + 1, to)) {
      if (i > from && this.text.charCodeAt(i - 1) === SPACE) return i - 1;
    }
    return to;
  }

  /** Only spaces and then nothing or a comment may follow a value on its line. */
  private restIsComment(i: number, end: number): void {
    if (i === end) return;
    if (this.text.charCodeAt(i) !== SPACE) throw GIVE_UP;
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i < end && this.text.charCodeAt(i) !== HASH) throw GIVE_UP;
  }

  /** `"..."` closed on its line: the value (`quoteEnd` is the offset after the closing quote); undefined when not closed. */
  private doubleQuoted(at: number, end: number): string | undefined {
    const text = this.text;
    let out = '';
    let from = at + 1;
    for (let i = at + 1; i < end; i++) {
      const c = text[i];
      if (c === '"') {
        this.quoteEnd = i + 1;
        return out + text.slice(from, i);
      }
      if (c !== '\\') continue;
      out += text.slice(from, i);
      const e = text[++i];
      if (e === 'x' || e === 'u' || e === 'U') {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i + 1, i + 1 + length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) throw GIVE_UP;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw GIVE_UP;
        out += String.fromCodePoint(code);
        i += length;
      } else {
        const decoded = ESCAPES.get(e);
        if (decoded === undefined) throw GIVE_UP; // an escaped line break, or a bad escape
        out += decoded;
      }
      from = i + 1;
    }
    return undefined;
  }

  /** `'...'` closed on its line (`''` is a quote). */
  private singleQuoted(at: number, end: number): string | undefined {
    const text = this.text;
    let out = '';
    let from = at + 1;
    for (let i = at + 1; i < end; i++) {
      if (text[i] !== '\'') continue;
      if (text[i + 1] === '\'' && i + 1 < end) {
        out += text.slice(from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      this.quoteEnd = i + 1;
      return out + text.slice(from, i);
    }
    return undefined;
  }

  /** A flow collection (`[...]`, `{...}`) on one line: its value and the offset after it. */
  private flow(at: number, end: number, depth: number): { value: unknown; end: number } {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const isMap = text[at] === '{';
    const close = isMap ? '}' : ']';
    const out: unknown = isMap ? {} : [];
    let i = this.skipSpaces(at + 1, end);
    if (text[i] === close) return { value: out, end: i + 1 };
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(i, end, true);
        i = this.skipSpaces(key.end, end);
        if (text[i] !== ':' || text.charCodeAt(i + 1) !== SPACE) throw GIVE_UP;
        i = this.skipSpaces(i + 1, end);
        const name = key.value === null ? '' : String(key.value);
        if (name === '<<' || name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) throw GIVE_UP;
        const v = this.flowItem(i, end, depth);
        (out as Record<string, unknown>)[name] = v.value;
        i = v.end;
      } else {
        const v = this.flowItem(i, end, depth);
        (out as unknown[]).push(v.value);
        i = v.end;
      }
      i = this.skipSpaces(i, end);
      if (text[i] === ',') {
        i = this.skipSpaces(i + 1, end);
        if (text[i] === close) return { value: out, end: i + 1 };
        continue;
      }
      if (text[i] === close) return { value: out, end: i + 1 };
      throw GIVE_UP;
    }
  }

  private flowItem(i: number, end: number, depth: number): { value: unknown; end: number } {
    const c = this.text[i];
    if (c === '[' || c === '{') return this.flow(i, end, depth + 1);
    return this.flowScalar(i, end, false);
  }

  /** A quoted or plain scalar inside a flow collection (a key when `key`). */
  private flowScalar(i: number, end: number, key: boolean): { value: unknown; end: number } {
    const text = this.text;
    const c = text[i];
    if (c === '"' || c === '\'') {
      const q = c === '"' ? this.doubleQuoted(i, end) : this.singleQuoted(i, end);
      if (q === undefined) throw GIVE_UP;
      return { value: q, end: this.quoteEnd };
    }
    if (i >= end || NOT_PLAIN_START.has(c) || c === '-' || c === '?' || c === ':') throw GIVE_UP;
    let j = i;
    for (; j < end; j++) {
      const d = text[j];
      if (d === ',' || d === ']' || d === '}' || d === '[' || d === '{' || d === '#') break;
      if (d === ':') {
        // Inside a plain scalar unless a space or a flow indicator follows (`image: web:1`).
        const after = text[j + 1];
        if (j + 1 >= end || after === ' ' || after === ',' || after === ']' || after === '}' || after === '[' || after === '{') {
          if (key) break;
          throw GIVE_UP;
        }
      }
    }
    if (j < end && (text[j] === '[' || text[j] === '{' || text[j] === '#')) throw GIVE_UP;
    let k = j;
    while (k > i && text.charCodeAt(k - 1) === SPACE) k--;
    return { value: resolvePlain(text.slice(i, k)), end: j };
  }

  private skipSpaces(i: number, end: number): number {
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    if (i >= end) throw GIVE_UP;
    return i;
  }

  /** A literal block scalar (`|` keeps one final line break, `|-` none) whose header is at `at` of line `l`. */
  private literal(l: number, at: number, end: number, parent: number): string {
    const text = this.text;
    let i = at + 1;
    let strip = false;
    if (text[i] === '-') { strip = true; i++; }
    this.restIsComment(i, end);
    // Content indentation: the first line with content; leading empty lines may not be longer.
    let first = l + 1;
    let widest = 0;
    while (first < this.docEnd && this.blankLength(first) >= 0) {
      widest = Math.max(widest, this.blankLength(first));
      first++;
    }
    if (first >= this.docEnd) throw GIVE_UP;
    const m = this.leadingSpaces(first);
    if (m <= parent || m === 0 || widest > m || this.isMarker(first)) throw GIVE_UP;
    const parts: string[] = [];
    let lastContent = -1;
    let line = l + 1;
    for (; line < this.docEnd; line++) {
      const blank = this.blankLength(line);
      if (blank >= 0) {
        if (blank > m) throw GIVE_UP;
        parts.push('');
        continue;
      }
      if (this.leadingSpaces(line) < m) break;
      parts.push(text.slice(this.starts[line] + m, this.lineEnd(line)));
      lastContent = parts.length;
    }
    parts.length = lastContent;
    this.next = this.meaningful(line);
    if (this.next < this.docEnd && this.indents[this.next] > parent) throw GIVE_UP;
    return parts.join('\n') + (strip ? '' : '\n');
  }

  /** The length of a line of spaces only; -1 when it has other characters. */
  private blankLength(l: number): number {
    const end = this.lineEnd(l);
    let i = this.starts[l];
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    return i === end ? end - this.starts[l] : -1;
  }

  private leadingSpaces(l: number): number {
    const end = this.lineEnd(l);
    let i = this.starts[l];
    while (i < end && this.text.charCodeAt(i) === SPACE) i++;
    return i - this.starts[l];
  }

  private isMarker(l: number): boolean {
    const s = this.starts[l];
    return this.text.startsWith('---', s) || this.text.startsWith('...', s);
  }
}

/** Double-quoted escapes and what they stand for (the YAML library's table; \x, \u, \U are read apart). */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['0', '\0'], ['a', '\x07'], ['b', '\b'], ['e', '\x1b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'], ['v', '\v'],
  ['N', '\u0085'], ['_', '\u00a0'], ['L', '\u2028'], ['P', '\u2029'], [' ', ' '], ['"', '"'], ['/', '/'], ['\\', '\\'],
]);

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
/** The words (at most 5 letters) that resolve to null or a boolean; any other word is a string. */
const WORDS = new Map<string, null | boolean>([
  ...['null', 'Null', 'NULL'].map((w): [string, null] => [w, null]),
  ...['Y', 'y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, boolean] => [w, true]),
  ...['N', 'n', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w): [string, boolean] => [w, false]),
]);

/** An untagged plain scalar as the YAML library's YAML 1.1 schema resolves it (tests in its order). */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0) | 0x20;
  if (c >= 97 && c <= 122) { // a letter: a word, or a string
    if (s.length > 5) return s;
    const word = WORDS.get(s);
    return word === undefined ? s : word;
  }
  if (NULL.test(s)) return null;
  if (INT_BIN.test(s)) return integer(s, 2, 2);
  if (INT_OCT.test(s)) return integer(s, 1, 8);
  if (INT.test(s)) return integer(s, 0, 10);
  if (INT_HEX.test(s)) return integer(s, 2, 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s.replace(/_/g, ''));
  return s;
}

/** The YAML library's `intResolve` (without BigInt). */
function integer(s: string, offset: number, radix: number): number {
  const sign = s[0];
  if (sign === '-' || sign === '+') offset += 1;
  const n = parseInt(s.substring(offset).replace(/_/g, ''), radix);
  return sign === '-' ? -1 * n : n;
}
