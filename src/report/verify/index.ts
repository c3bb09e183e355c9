/** Output formats of `netproof verify`, one formatter per format. */
import { verifyJsonFormatter } from './json';
import { junitFormatter } from './junit';
import { VerifyReport } from './report';
import { sarifFormatter } from './sarif';
import { verifyTextFormatter } from './text';
import { Formatters } from '../formatter';

export type VerifyFormat = 'text' | 'json' | 'sarif' | 'junit';
export const VERIFY_FORMATS: readonly VerifyFormat[] = ['text', 'json', 'sarif', 'junit'];

export const VERIFY_FORMATTERS: Formatters<VerifyReport, VerifyFormat> = {
  text: verifyTextFormatter,
  json: verifyJsonFormatter,
  sarif: sarifFormatter,
  junit: junitFormatter,
};
