/** What every `netproof verify` format reports: the intents' results and the lint findings. */
import { IntentResult } from '../../analysis/intents';
import { LintFinding } from '../../analysis/lint';
import { ClusterModel } from '../../model/cluster';
import { PolicyModel } from '../../model/policy';

export interface NamedIntentResult {
  /** The intent's name (from the intents file), or the intent in words. */
  readonly name: string;
  readonly result: IntentResult;
}

export interface VerifyReport {
  readonly intents: readonly NamedIntentResult[];
  readonly findings: readonly LintFinding[];
  /** The policies the findings are about, to locate a finding's subject (`namespace/name`) in its file. */
  readonly policies?: readonly PolicyModel[];
  /** The cluster model, to locate a finding about a pod in the file that declared it (without a line). */
  readonly cluster?: ClusterModel;
  /**
   * The file to name for a result no other file is known for (GitHub code scanning rejects a result
   * without a file), e.g. the intents file.
   * @default - such results have only a logical location
   */
  readonly fallbackFile?: string;
  /** @default - not stated */
  readonly toolVersion?: string;
}
