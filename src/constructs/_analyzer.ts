/**
 * Internal: what the constructs ask of the layer above them at synth time. Constructs build the model and
 * know nothing about analyses (as cdk8s-core's Chart knows nothing of synthesis); the app layer
 * (src/app) implements these checks and registers them when netproof is loaded. A construct tree built
 * without that layer fails closed: synth reports that nothing was verified.
 */
import { IConstruct } from 'constructs';
import { ExplainOptions } from './expect';
import { NetproofError } from '../errors';
import { EndpointSetModel, IntentModel } from '../model/intent';
import { PortModel } from '../model/port';
import { Verdict } from '../verify/api';

export interface AppAnalyzer {
  /**
   * Lint errors about the policies of `chart` (what GKE would reject or silently ignore), in words; with
   * `strict`, the warnings `chart` owns too. Warnings that do not fail synth are printed on stderr.
   */
  lintErrors(chart: IConstruct, strict: boolean): string[];
  /** The violated ones of `intents` (stated under `holder`), each in words, and any left unchecked. */
  intentErrors(holder: IConstruct, intents: readonly IntentModel[]): string[];
  /** One verdict per concrete pair of the app's model between `from` and `to` on `port`. */
  explain(scope: IConstruct, from: EndpointSetModel, to: EndpointSetModel, port: PortModel, portText: string, options: ExplainOptions): Verdict[];
  /** At synth, records what the app is verified against where `netproof synth` asks for it (nothing otherwise). */
  recordModel(root: IConstruct): void;
  /**
   * Called first in each validation pass over the app (the root's validation runs before its children's):
   * the charts' checks later in the same pass share one verification instead of rebuilding it each.
   */
  beginValidation(root: IConstruct): void;
}

let registered: AppAnalyzer | undefined;

/** Registers the app layer's checks (called once, when src/app is loaded). */
export function registerAppAnalyzer(analyzer: AppAnalyzer): void {
  registered = analyzer;
}

/** The registered checks; fails closed when the app layer was never loaded. */
export function appAnalyzer(where: string): AppAnalyzer {
  if (registered === undefined) {
    throw new NetproofError(where, 'netproof\'s verifier is not loaded, so nothing could be verified. Import the constructs from the package root ("netproof"), which loads it');
  }
  return registered;
}
