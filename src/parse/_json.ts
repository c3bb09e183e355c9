/**
 * Internal: what `JSON.parse` does not tell. JSON readers keep the last of two equal keys in one object, so
 * a duplicated key would silently flip a field (`policyTypes`) or drop pods; Kubernetes (strict field
 * validation) and netproof's YAML reader reject it, and so does the JSON reader. The check costs little:
 * the keys written in the text are counted and compared with the keys `JSON.parse` kept, and only when they
 * differ is the text scanned again to name the duplicate. Also the lines of a kubectl List's items, by one scan.
 */
/** A field path (`_documents.ts`'s FieldPath). */
type FieldPath = readonly (string | number)[];

/**
 * Whether the text may hold a key twice in one object: true when it holds more keys than `value`, what
 * `JSON.parse` made of it (or when the text's keys cannot be counted quickly).
 */
export function jsonKeysMayRepeat(text: string, value: unknown): boolean {
  // Every key is a string followed by a colon; no string value is, and a quote inside a string is escaped.
  if (/"[ \t\r\n]+:/.test(text)) return true;
  let written = 0;
  for (let i = text.indexOf('":'); i >= 0; i = text.indexOf('":', i + 2)) {
    let b = i - 1;
    while (text.charCodeAt(b) === 92) b--;
    if ((i - 1 - b) % 2 === 0) written++;
  }
  let kept = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const items = Array.isArray(v) ? v : Object.values(v);
    if (items !== v) kept += items.length;
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return written !== kept;
}

/** The first key that appears twice in one object of valid JSON text: the key, its line and the object's path. */
export function jsonDuplicateKey(text: string): { key: string; line: number; path: FieldPath } | undefined {
  interface Frame { readonly keys?: Set<string>; index: number; key?: string }
  const frames: Frame[] = [];
  const path = (): FieldPath => frames.slice(1).map((_, i) => (frames[i].keys !== undefined ? frames[i].key! : frames[i].index));
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') { line++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = frames[frames.length - 1];
      if (expectKey && top?.keys !== undefined) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, line, path: [...path(), key] };
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
      continue;
    }
    if (c === '{') { frames.push({ keys: new Set(), index: 0 }); expectKey = true; continue; }
    if (c === '[') { frames.push({ index: 0 }); continue; }
    if (c === '}' || c === ']') { frames.pop(); expectKey = false; continue; }
    if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.keys !== undefined) expectKey = true; else if (top !== undefined) top.index++;
    }
  }
  return undefined;
}

/**
 * Lines where the elements of the root object's `items` array start, by one linear scan of valid JSON
 * text (strings skipped, nesting counted): what SARIF needs for objects of a kubectl List, without a
 * second parse.
 */
export function jsonItemLines(text: string): number[] {
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
