/**
 * What GKE's FQDNNetworkPolicy cannot do, checked where it can be offline (NP020): a `*.` pattern a
 * known hostname is deeper than (`*` matches exactly one label), and more names than the 50 resolved
 * addresses a policy may hold (how many addresses a name resolves to is not known offline). A
 * `networking.gke.io/network` annotation on one is already a parse error (no multi-network scoping).
 * And a cluster Service name as a destination (NP021): GKE does not support ClusterIP or headless
 * Services there. Rules and ids live with the others in `lint.ts`.
 */
import { ClusterModel, ManifestFacts } from '../model/cluster';
import { GKE_FQDN_MAX_ADDRESSES } from '../model/gke';
import { objectId } from '../model/ids';
import { IntentModel } from '../model/intent';
import { FqdnMatchModel, PolicyModel } from '../model/policy';
import { compareStrings } from '../model/selector';

export interface FqdnLintInput {
  readonly policies: readonly PolicyModel[];
  readonly cluster: ClusterModel;
  readonly manifests?: ManifestFacts;
  readonly intents?: readonly IntentModel[];
}

export type FqdnLint = 'fqdnLimits' | 'fqdnServiceTarget';

const host = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function fqdnLints(input: FqdnLintInput, add: (lint: FqdnLint, subject: string, message: string) => void): void {
  const fqdns = input.policies.filter((p) => p.kind === 'FQDNNetworkPolicy');
  if (fqdns.length === 0) return;
  // Hostnames the input knows: externals that carry one, and intents about one.
  const hostnames = new Set(input.cluster.externals.flatMap((e) => (e.hostname ? [host(e.hostname)] : [])));
  for (const intent of input.intents ?? []) {
    for (const set of [intent.subject, intent.target, ...(intent.allowedSources ?? [])]) if (set?.kind === 'hostname') hostnames.add(host(set.hostname));
  }
  const services = new Map<string, string>();
  for (const s of input.manifests?.services ?? []) {
    const kind = s.type === 'ClusterIP' && s.selector === undefined ? 'ClusterIP Service without selector' : `${s.type} Service`;
    for (const n of [`${s.name}.${s.namespace}`, `${s.name}.${s.namespace}.svc`, `${s.name}.${s.namespace}.svc.cluster.local`]) services.set(n, `${kind} ${s.namespace}/${s.name}`);
  }

  for (const p of fqdns) {
    if (p.kind !== 'FQDNNetworkPolicy') continue;
    const id = objectId(p);
    const names = new Set<string>();
    p.egress.forEach((rule, i) => {
      rule.matches.forEach((m, j) => {
        const at = `egress[${i}].matches[${j}]`;
        if (m.name !== undefined) names.add(host(m.name));
        const service = serviceOf(m, services);
        if (service !== undefined) {
          add('fqdnServiceTarget', id, `${at} ${describe(m)} is ${service}, which GKE does not support as an FQDNNetworkPolicy destination (ClusterIP and headless Services are not). `
            + 'Allow its pods with a NetworkPolicy egress rule instead (AllowTo with Peer.workload or Peer.pods)');
        }
        if (m.pattern === undefined || !host(m.pattern).startsWith('*.')) return;
        const suffix = host(m.pattern).slice(1); // ".company.com"
        const deeper = [...hostnames].filter((h) => h.endsWith(suffix) && h.slice(0, -suffix.length).includes('.')).sort(compareStrings);
        if (deeper.length > 0) {
          add('fqdnLimits', id, `${at} pattern ${m.pattern} matches exactly one label before ${suffix.slice(1)}, so it does not match ${deeper.join(', ')}. `
            + `Name ${deeper.length === 1 ? 'that host' : 'those hosts'} too (name: ${deeper[0]}), or add a pattern one level deeper`);
        }
      });
    });
    if (names.size > GKE_FQDN_MAX_ADDRESSES) {
      add('fqdnLimits', id, `the policy names ${names.size} hosts, and each resolves to at least one address, but GKE programs at most ${GKE_FQDN_MAX_ADDRESSES} resolved IPv4 and IPv6 addresses per FQDNNetworkPolicy. `
        + 'Split the names over several policies');
    }
  }
}

function describe(m: FqdnMatchModel): string {
  return m.name !== undefined ? `name ${m.name}` : `pattern ${m.pattern}`;
}

/** The cluster Service a name (or pattern) names: a known Service's DNS name, or any name under `.svc.cluster.local`. */
function serviceOf(m: FqdnMatchModel, services: ReadonlyMap<string, string>): string | undefined {
  const name = host(m.name ?? m.pattern ?? '');
  const known = services.get(name);
  if (known !== undefined) return `the DNS name of the ${known}`;
  if (name.endsWith('.svc.cluster.local') || name.endsWith('.svc')) return 'a cluster Service name';
  return undefined;
}
