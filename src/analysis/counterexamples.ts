/** Counterexamples as data: a verdict that contradicts an intent, and the pods that could exist in it. */
import { ContainerPortModel } from '../model/cluster';
import { Labels } from '../model/selector';
import { Verdict } from '../verify/api';

/** A pod that does not exist yet and breaks an intent: adding it (and its namespace) to the cluster shows the connection. */
export interface HypotheticalPod {
  readonly namespace: string;
  /** Whether the namespace does not exist yet either. */
  readonly newNamespace: boolean;
  /** Every label of that namespace (`kubernetes.io/metadata.name` included). */
  readonly namespaceLabels: Labels;
  /** Only the labels the violation needs. */
  readonly labels: Labels;
  /** Only the container ports the violation needs. */
  readonly ports: readonly ContainerPortModel[];
  /** Its IP, where ipBlocks can match pods (upstream, calico) and the policies have an ipBlock. */
  readonly ip?: string;
}

/** An address that is not a declared external (a representative of an interval of address space). */
export interface HypotheticalAddress {
  readonly ip: string;
}

/**
 * A verdict contradicting an intent. `from`/`to` are endpoint ids (a made-up `namespace/name` for a pod
 * that could exist); the hypothetical side is described by `fromPod`/`toPod` (`pod` for isolation), an
 * address representative by `fromExternal`/`toExternal`.
 */
export type Counterexample = Verdict & {
  readonly fromPod?: HypotheticalPod;
  readonly toPod?: HypotheticalPod;
  readonly pod?: HypotheticalPod;
  readonly fromExternal?: HypotheticalAddress;
  readonly toExternal?: HypotheticalAddress;
};
