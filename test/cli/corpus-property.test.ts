/**
 * Property: mutating valid policies, cluster files (model file and kubectl List) and intents, in their
 * structure and in their text, never makes a command end otherwise than documented (0/2, verify also
 * 1), never with an internal error or a stack trace. NETPROOF_PROPERTY_RUNS=N runs more than the
 * 250 cases CI runs (4,000 found nothing on the commit that added this).
 */
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { fileCommands, INTENTS, KUBECTL_LIST, misbehaviour, MODEL, pathsOf, POLICY, withValue } from './_corpus';
import { run } from './_run';

type Path = (string | number)[];

const BASES = { policy: POLICY, model: MODEL, list: KUBECTL_LIST, intents: INTENTS } as const;
type Base = keyof typeof BASES;

/** A change to the parsed input. */
type Edit =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'stringify'; at: number }
  | { kind: 'wrap'; at: number }
  | { kind: 'copy'; at: number; from: number };

/** A change to the text. */
type TextEdit =
  | { kind: 'none' }
  | { kind: 'cut'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; a: number; b: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('stringify' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), from: fc.nat() }),
);

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(':', '- ', '{', '}', '[', ']', '"', '\'', '\n', '  ', '#', '&a ', '*a', '!!str ', '|', '>', '\t', '\u0000', 'é', '---\n', ',', '~', '<<: ') }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
);

function get(value: unknown, path: Path): unknown {
  let v = value as any;
  for (const seg of path) v = v?.[seg];
  return v;
}

function applyEdit(value: unknown, e: Edit): unknown {
  const paths = pathsOf(value);
  if (paths.length === 0) return value;
  const path = paths[e.at % paths.length];
  switch (e.kind) {
    case 'delete': return withValue(value, path, undefined);
    case 'set': return withValue(value, path, e.value);
    case 'stringify': return withValue(value, path, String(get(value, path)));
    case 'wrap': return withValue(value, path, [get(value, path)]);
    case 'copy': return withValue(value, path, get(value, paths[e.from % paths.length]) ?? null);
  }
}

function applyTextEdit(text: string, e: TextEdit): string {
  const lines = text.split('\n');
  switch (e.kind) {
    case 'none': return text;
    case 'cut': { const at = e.at % (text.length + 1); return text.slice(0, at) + text.slice(at + e.length); }
    case 'insert': { const at = e.at % (text.length + 1); return text.slice(0, at) + e.text + text.slice(at); }
    case 'duplicate-line': { const at = e.at % lines.length; lines.splice(at, 0, lines[at]); return lines.join('\n'); }
    case 'swap-lines': {
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

const VALID = { 'c.json': JSON.stringify(MODEL), 'p/p.json': JSON.stringify(POLICY), 'i.json': JSON.stringify(INTENTS) };

test('mutated inputs never end a command otherwise than documented', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<Base>('policy', 'model', 'list', 'intents'),
      fc.array(edit, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('json', 'yaml'),
      textEdit,
      async (base, edits, format, te) => {
        const value = edits.reduce(applyEdit, BASES[base] as unknown);
        const text = applyTextEdit(format === 'json' ? JSON.stringify(value, null, 1) : YAML.stringify(value), te);
        const file = `m.${format}`;
        const files = { ...VALID, [base === 'policy' ? `q/${file}` : file]: text };
        const commands = base === 'policy' ? fileCommands('c.json', 'q', 'i.json')
          : base === 'intents' ? fileCommands('c.json', 'p', file).filter(([c]) => c === 'verify')
            : fileCommands(file, 'p', 'i.json');
        for (const [command, argv] of commands) {
          const r = await run(argv, files);
          const problem = misbehaviour(command, r);
          if (problem !== undefined) throw new Error(`${command} on ${file}:\n${text.slice(0, 2000)}\n${problem}`);
        }
      },
    ),
    { numRuns: Number(process.env.NETPROOF_PROPERTY_RUNS ?? 250) },
  );
});
