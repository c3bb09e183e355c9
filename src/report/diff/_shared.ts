/** What the diff reports share: the report's inputs in words, ports, changes and the count line. */
import { PortRange, ReachChange, ReachDiff, SideChange } from '../../analysis/diff';
import { DEFAULT_NETWORK } from '../../model/cluster';
import { SideVerdict } from '../../verify/api';
import { describePolicyRef, describeRule, describeTierRule } from '../words';

/** Where the cluster model came from, for the report. */
export type DiffClusterSource =
  | { readonly kind: 'file'; readonly path: string }
  /** Built from the workload manifests of both sides: one representative pod per workload, no externals. */
  | { readonly kind: 'workloads' }
  /** The models netproof synth recorded on the sides (one file per side that has one), merged; NEW's wins where they differ. */
  | { readonly kind: 'recorded'; readonly files: readonly string[] };

/** What the report says about its inputs. */
export interface DiffContext {
  /** How OLD was given (e.g. `HEAD~1:dist`). */
  readonly old: string;
  /** How NEW was given. */
  readonly new: string;
  readonly cluster: DiffClusterSource;
}

/** The line printed when nothing changed. */
export const NO_CHANGE = 'no reachability change';


/** A diff and what the report says about its inputs: what every diff format writes. */
export interface DiffReport {
  readonly diff: ReachDiff;
  readonly context: DiffContext;
}

/** `5432`, `8000-8100`, `80, 443`. */
export function formatPorts(ports: readonly PortRange[]): string {
  return ports.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

/** `shop/frontend -> shop/db TCP 5432` (and ` on network blue` off the default network). */
export function describeChange(c: ReachChange): string {
  return `${c.from} -> ${c.to} ${c.protocol} ${formatPorts(c.ports)}${c.network === DEFAULT_NETWORK ? '' : ` on network ${c.network}`}`;
}

export function describeCluster(source: DiffClusterSource): string {
  if (source.kind === 'file') return source.path;
  if (source.kind === 'recorded') return `recorded by netproof synth in ${source.files.join(' and ')}`;
  return 'the workloads of both sides, one representative pod per workload, no externals';
}

export function countLine(diff: ReachDiff): string {
  if (diff.gained.length === 0 && diff.lost.length === 0) return NO_CHANGE;
  return `reachability changed: ${diff.gained.length} gained, ${diff.lost.length} lost`;
}

export function headline(diff: ReachDiff, context: DiffContext): string {
  const networks = diff.networks.length === 1 && diff.networks[0] === DEFAULT_NETWORK ? '' : `; networks ${diff.networks.join(', ')}`;
  return `Reachability diff ${context.old} -> ${context.new} (dataplane ${diff.dataplane}${networks}; cluster model: ${describeCluster(context.cluster)})`;
}


/** Why a connection was gained or lost, one sentence per pod side; de-duplicated in order. */
export function because(c: ReachChange, kind: 'gained' | 'lost'): string[] {
  const out = new Set<string>();
  for (const side of c.sides) {
    const line = sideReason(side, kind);
    if (line !== undefined) out.add(line);
  }
  return [...out];
}

function sideReason({ direction, before: w, after: n }: SideChange, kind: 'gained' | 'lost'): string | undefined {
  if (kind === 'gained') return `${direction}: ${allowedBy(n)}${w.allowed ? '' : `; was denied (${deniedBy(w)})`}`;
  if (n.allowed) return undefined;
  return `${direction}: denied (${deniedBy(n)}); was ${allowedBy(w)}`;
}

/** The ClusterNetworkPolicy rule that decided a side, when a tier did. */
function tierCause(side: SideVerdict): string | undefined {
  if (side.decidedBy !== 'Admin' && side.decidedBy !== 'Baseline') return undefined;
  const step = side.tiers![side.tiers!.length - 1];
  return step.tier === 'NetworkPolicy' ? undefined : `[${step.tier}] ${describeTierRule(step.rule)}`;
}

function allowedBy(side: SideVerdict): string {
  return tierCause(side) ?? (side.isolated ? `allowed by ${side.allowedBy.map(describeRule).join(', ')}` : 'not isolated');
}

function deniedBy(side: SideVerdict): string {
  return tierCause(side) ?? `isolated by ${side.isolatedBy.map(describePolicyRef).join(', ')}, and no rule matches`;
}
