/** Output formats of `netproof explain`: one verdict with every reason, in words or as JSON. */
import { Verdict } from '../../verify/api';
import { Formatter, Formatters } from '../formatter';
import { formatVerdict } from '../words';

export type ExplainFormat = 'text' | 'json';
export const EXPLAIN_FORMATS: readonly ExplainFormat[] = ['text', 'json'];

export const explainTextFormatter: Formatter<Verdict, 'text'> = {
  format: 'text',
  write: (v, out) => out(`${formatVerdict(v)}\n`),
};

/** The Verdict object of `verify/api.ts`, as it is. */
export const explainJsonFormatter: Formatter<Verdict, 'json'> = {
  format: 'json',
  write: (v, out) => out(`${JSON.stringify(v, null, 2)}\n`),
};

export const EXPLAIN_FORMATTERS: Formatters<Verdict, ExplainFormat> = {
  text: explainTextFormatter,
  json: explainJsonFormatter,
};
