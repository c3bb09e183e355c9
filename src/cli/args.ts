/**
 * A small, strict command-line flag parser: `--flag value` and `--flag=value`, declared flags only,
 * enums and ports checked, repeatable flags collected in order. Every problem is a NetproofError that
 * names the command, the flag, the bad value and the expected form (the CLI maps it to exit code 2).
 */
import { NetproofError } from '../errors';

/** `switch`: a flag without a value (`--strict`). */
export type FlagKind = 'string' | 'repeated' | 'enum' | 'port' | 'seconds' | 'count' | 'switch';

export interface FlagSpec {
  /** Without dashes: `port` for `--port`. */
  readonly name: string;
  readonly kind: FlagKind;
  /** For `enum`. */
  readonly values?: readonly string[];
  /** Required flags must be given (the default, if any, is then ignored). */
  readonly required?: boolean;
  /** Used when the flag is absent. */
  readonly default?: string;
  /** Placeholder in usage: `FILE`, `N`, `PATH`. */
  readonly metavar: string;
  readonly help: string;
}

export interface ParsedFlags {
  /** `--help` (or `-h`) was given: the caller prints usage and ignores everything else. */
  readonly help: boolean;
  readonly strings: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly ports: ReadonlyMap<string, number>;
  /** Values of `seconds` flags. */
  readonly seconds: ReadonlyMap<string, number>;
  /** Values of `count` flags: whole numbers of at least 1. */
  readonly counts: ReadonlyMap<string, number>;
  /** The `switch` flags given. */
  readonly switches: ReadonlySet<string>;
}

/** The longest `seconds` flag value: a day. */
export const MAX_SECONDS = 86400;

export const ArgMessages = {
  unknownFlag: (flag: string, command: string, known: readonly string[]) =>
    `unknown flag ${flag}. Flags of netproof ${command}: ${known.map((k) => `--${k}`).join(', ')}; run "netproof ${command} --help"`,
  missingValue: (spec: FlagSpec) => `missing value. Give it as --${spec.name} ${spec.metavar}${example(spec)}`,
  badEnum: (value: string, values: readonly string[]) => `unknown value ${JSON.stringify(value)}. Use one of ${values.join(', ')}`,
  badPort: (value: string) => `${JSON.stringify(value)} is not a port. Use a whole number between 1 and 65535, e.g. 80`,
  badSeconds: (value: string) => `${JSON.stringify(value)} is not a number of seconds. Use a whole number between 1 and ${MAX_SECONDS}, e.g. 600`,
  badCount: (value: string) => `${JSON.stringify(value)} is not a count. Use a whole number of at least 1, e.g. 20`,
  switchValue: (spec: FlagSpec, value: string) => `takes no value, got ${JSON.stringify(value)}. Give it as --${spec.name} alone`,
  twice: (spec: FlagSpec) => `given more than once. Give --${spec.name} once`,
  required: (spec: FlagSpec) => `missing required flag. Give it as --${spec.name} ${spec.metavar}${example(spec)}`,
  positional: (arg: string, command: string) => `unexpected argument ${JSON.stringify(arg)}. netproof ${command} takes only flags; run "netproof ${command} --help"`,
} as const;

function example(spec: FlagSpec): string {
  if (spec.kind === 'port') return `, e.g. --${spec.name} 80`;
  if (spec.kind === 'seconds') return `, e.g. --${spec.name} 600`;
  if (spec.kind === 'count') return `, e.g. --${spec.name} 20`;
  if (spec.kind === 'enum' && spec.values) return ` (one of ${spec.values.join(', ')})`;
  return '';
}

export function parseFlags(command: string, argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const where = `netproof ${command}`;
  const byName = new Map(specs.map((s) => [s.name, s]));
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const ports = new Map<string, number>();
  const seconds = new Map<string, number>();
  const counts = new Map<string, number>();
  const switches = new Set<string>();
  const given = new Set<string>();
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, strings, lists, ports, seconds, counts, switches };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') throw new NetproofError(where, ArgMessages.positional(arg, command));
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = flag.replace(/^--?/, '');
    const spec = flag.startsWith('--') ? byName.get(name) : undefined;
    if (!spec) throw new NetproofError(where, ArgMessages.unknownFlag(flag, command, specs.map((s) => s.name)));
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new NetproofError(where, ArgMessages.switchValue(spec, arg.slice(eq + 1)), flag);
      if (given.has(spec.name)) throw new NetproofError(where, ArgMessages.twice(spec), flag);
      given.add(spec.name);
      switches.add(spec.name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      value = argv[++i];
    }
    if (value === undefined || value === '') throw new NetproofError(where, ArgMessages.missingValue(spec), flag);
    if (given.has(spec.name) && spec.kind !== 'repeated') throw new NetproofError(where, ArgMessages.twice(spec), flag);
    given.add(spec.name);
    switch (spec.kind) {
      case 'repeated':
        lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
        break;
      case 'enum':
        if (!spec.values!.includes(value)) throw new NetproofError(where, ArgMessages.badEnum(value, spec.values!), flag);
        strings.set(spec.name, value);
        break;
      case 'port': {
        const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1 && n <= 65535)) throw new NetproofError(where, ArgMessages.badPort(value), flag);
        ports.set(spec.name, n);
        break;
      }
      case 'seconds': {
        const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1 && n <= MAX_SECONDS)) throw new NetproofError(where, ArgMessages.badSeconds(value), flag);
        seconds.set(spec.name, n);
        break;
      }
      case 'count': {
        const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1)) throw new NetproofError(where, ArgMessages.badCount(value), flag);
        counts.set(spec.name, n);
        break;
      }
      case 'string':
        strings.set(spec.name, value);
        break;
    }
  }
  for (const spec of specs) {
    if (given.has(spec.name)) continue;
    if (spec.required) throw new NetproofError(where, ArgMessages.required(spec), `--${spec.name}`);
    if (spec.default !== undefined) {
      if (spec.kind === 'port') ports.set(spec.name, Number(spec.default));
      else if (spec.kind === 'seconds') seconds.set(spec.name, Number(spec.default));
      else if (spec.kind === 'count') counts.set(spec.name, Number(spec.default));
      else if (spec.kind === 'repeated') lists.set(spec.name, [spec.default]);
      else strings.set(spec.name, spec.default);
    }
  }
  return { help: false, strings, lists, ports, seconds, counts, switches };
}

/** Usage lines for a command's flags, aligned. */
export function flagUsage(specs: readonly FlagSpec[]): string {
  const left = specs.map((s) => `  --${s.name}${s.kind === 'switch' ? '' : ` ${s.kind === 'enum' ? s.values!.join('|') : s.metavar}`}`);
  const width = left.reduce((w, l) => Math.max(w, l.length), 0) + 2;
  return specs.map((s, i) => {
    const notes = [s.required ? 'required' : '', s.kind === 'repeated' ? 'repeatable' : '', s.default !== undefined ? `default: ${s.default}` : '']
      .filter((n) => n !== '').join(', ');
    return `${left[i].padEnd(width)}${s.help}${notes ? ` (${notes})` : ''}`;
  }).join('\n');
}
