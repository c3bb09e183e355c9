/**
 * Conformance: the ClusterNetworkPolicy conformance tests of kubernetes-sigs/network-policy-api
 * (conformance/tests/*.go at commit 0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159, Admin and Baseline tiers),
 * transcribed one `t.Run` and one `PokeServer` at a time (see _cnp-conformance.ts for the model), run on the
 * upstream manifests (conformance/base/, copied unchanged into test/fixtures/cnp-conformance/) through the
 * CLI: `reach --format json` once per (state, protocol, port); on cluster-ipv4.yaml also `explain --format
 * json` per poke and `verify --format json` per Run with every poke as an intent.
 *
 * Pods: rows name upstream's StatefulSet pods (`harry-potter-0`, `harry-potter-1`, ...). Three cluster models:
 * - cluster-ipv4.yaml, every test: a cluster model file written for these tests that lists those pods under
 *   their Kubernetes names with an IP each. Workload manifests carry no IPs, and the CIDR tests need them:
 *   they poke `serverPod.Status.PodIP` and insert `networks` of pod IPs (/32, or /128 on IPv6).
 * - cluster-ipv6.yaml, the CIDR tests: the same pods with IPv6 addresses (upstream runs on single-stack
 *   clusters of either family; the tests deny `0.0.0.0/0` and `::/0`).
 * - the upstream base/manifests.yaml itself, every test but the CIDR ones (its pods have no IP): netproof makes
 *   `harry-potter` of `harry-potter-0` and `harry-potter#2` of `harry-potter-1` (one pod per workload,
 *   named after it, plus `name#2` for replicas >= 2).
 * Each runs under `--dataplane upstream` and `--dataplane dataplane-v2` with the same expected verdicts: a
 * ClusterNetworkPolicy's `networks` match pod IPs on every dataplane, and the one NetworkPolicy upstream uses
 * (api_integration) has no ipBlock.
 *
 * The node-peer tests (experimental `nodes` peers; the server is the host-network pod centaur-1, that is
 * its node) run on cluster-ipv4/6.yaml, which declare the nodes and externals at their addresses.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import {
  answers, Answers, asJson, CLUSTERS, ClusterKind, Conformance, DATAPLANES, deleteNetworkPolicy, documents, endpointId, FIXTURES, fixtureText,
  HOST_NETWORK_PORTS, namedPort, poke, Poke, pokeLabel, prependAllowToPodIps, relabelNamespace, Run, setAction, setPriority, State, swapRules,
  UPSTREAM_COMMIT,
} from './_cnp-conformance';
import { PodModel } from '../../src/model/cluster';
import { parseCluster } from '../../src/parse/cluster';
import { run } from '../cli/_run';

const ALLOW = true;
const DENY = false;
const SLYTHERIN = 'network-policy-conformance-slytherin';

// ---------------------------------------------------------------------------------------------------
// Admin tier: conformance/tests/admin-network-policy-*.go

const ADMIN: Conformance[] = [
  {
    shortName: 'CNPAdminTierEgressTCP',
    goFile: 'admin-network-policy-standard-egress-tcp-rules.go',
    manifests: ['admin_tier/standard-egress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected",
        pokes: [poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW), poke('harry-potter-1', 'tcp', 'luna-lovegood-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for TCP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'tcp', 'cedric-diggory-1', 8080, ALLOW), poke('harry-potter-1', 'tcp', 'cedric-diggory-1', 80, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-tcp', 'egress', 0, 1)],
        pokes: [poke('harry-potter-0', 'tcp', 'luna-lovegood-1', 80, DENY), poke('harry-potter-1', 'tcp', 'luna-lovegood-1', 8080, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for TCP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'pass-egress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-tcp', 'egress', 0, 2)],
        pokes: [poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW), poke('harry-potter-1', 'tcp', 'luna-lovegood-0', 8080, ALLOW)],
      },
      {
        name: "Should support a 'pass-egress' policy for TCP protocol at the specified port",
        patches: [swapRules('egress-tcp', 'egress', 3, 4)],
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, ALLOW), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierIngressTCP',
    goFile: 'admin-network-policy-standard-ingress-tcp-rules.go',
    manifests: ['admin_tier/standard-ingress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW), poke('luna-lovegood-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for TCP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'tcp', 'harry-potter-1', 80, ALLOW), poke('cedric-diggory-1', 'tcp', 'harry-potter-1', 8080, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-tcp', 'ingress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'tcp', 'harry-potter-1', 80, DENY), poke('luna-lovegood-1', 'tcp', 'harry-potter-1', 8080, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for TCP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'pass-ingress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-tcp', 'ingress', 0, 2)],
        pokes: [poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW), poke('luna-lovegood-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
      {
        name: "Should support a 'pass-ingress' policy for TCP protocol at the specified port",
        patches: [swapRules('ingress-tcp', 'ingress', 3, 4)],
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, ALLOW), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierEgressUDP',
    goFile: 'admin-network-policy-standard-egress-udp-rules.go',
    manifests: ['admin_tier/standard-egress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected",
        pokes: [poke('cedric-diggory-0', 'udp', 'luna-lovegood-0', 53, ALLOW), poke('cedric-diggory-1', 'udp', 'luna-lovegood-0', 5353, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for UDP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'udp', 'harry-potter-1', 53, ALLOW), poke('cedric-diggory-1', 'udp', 'harry-potter-1', 5353, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-udp', 'egress', 0, 1)],
        pokes: [poke('cedric-diggory-0', 'udp', 'luna-lovegood-1', 53, DENY), poke('cedric-diggory-1', 'udp', 'luna-lovegood-1', 5353, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for UDP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'udp', 'draco-malfoy-0', 5353, DENY), poke('cedric-diggory-1', 'udp', 'draco-malfoy-0', 53, ALLOW)],
      },
      {
        name: "Should support an 'pass-egress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-udp', 'egress', 0, 2)],
        pokes: [poke('cedric-diggory-0', 'udp', 'luna-lovegood-1', 5353, ALLOW), poke('cedric-diggory-1', 'udp', 'luna-lovegood-1', 53, ALLOW)],
      },
      {
        name: "Should support a 'pass-egress' policy for UDP protocol at the specified port",
        patches: [swapRules('egress-udp', 'egress', 3, 4)],
        pokes: [poke('cedric-diggory-0', 'udp', 'draco-malfoy-0', 5353, ALLOW), poke('cedric-diggory-1', 'udp', 'draco-malfoy-0', 53, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierIngressUDP',
    goFile: 'admin-network-policy-standard-ingress-udp-rules.go',
    manifests: ['admin_tier/standard-ingress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'udp', 'cedric-diggory-0', 53, ALLOW), poke('luna-lovegood-1', 'udp', 'cedric-diggory-0', 5353, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for UDP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'udp', 'cedric-diggory-1', 53, ALLOW), poke('harry-potter-1', 'udp', 'cedric-diggory-1', 5353, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-udp', 'ingress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'udp', 'cedric-diggory-1', 53, DENY), poke('luna-lovegood-1', 'udp', 'cedric-diggory-1', 5353, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for UDP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'udp', 'cedric-diggory-0', 5353, DENY), poke('draco-malfoy-1', 'udp', 'cedric-diggory-0', 53, ALLOW)],
      },
      {
        name: "Should support an 'pass-ingress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-udp', 'ingress', 0, 2)],
        pokes: [poke('luna-lovegood-0', 'udp', 'cedric-diggory-1', 5353, ALLOW), poke('luna-lovegood-1', 'udp', 'cedric-diggory-1', 53, ALLOW)],
      },
      {
        name: "Should support a 'pass-ingress' policy for UDP protocol at the specified port",
        patches: [swapRules('ingress-udp', 'ingress', 3, 4)],
        pokes: [poke('draco-malfoy-0', 'udp', 'cedric-diggory-0', 5353, ALLOW), poke('draco-malfoy-1', 'udp', 'cedric-diggory-0', 53, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierEgressSCTP',
    goFile: 'admin-network-policy-standard-egress-sctp-rules.go',
    manifests: ['admin_tier/standard-egress-sctp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'sctp', 'harry-potter-0', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'harry-potter-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for SCTP protocol at the specified port",
        pokes: [poke('luna-lovegood-0', 'sctp', 'cedric-diggory-1', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'cedric-diggory-1', 9005, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-sctp', 'egress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'sctp', 'harry-potter-1', 9003, DENY), poke('luna-lovegood-1', 'sctp', 'harry-potter-1', 9005, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for SCTP protocol at the specified port",
        pokes: [poke('luna-lovegood-0', 'sctp', 'draco-malfoy-0', 9003, DENY), poke('luna-lovegood-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'pass-egress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('egress-sctp', 'egress', 0, 2)],
        pokes: [poke('luna-lovegood-0', 'sctp', 'harry-potter-1', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'harry-potter-1', 9005, ALLOW)],
      },
      {
        name: "Should support a 'pass-egress' policy for SCTP protocol at the specified port",
        patches: [swapRules('egress-sctp', 'egress', 3, 4)],
        pokes: [poke('luna-lovegood-0', 'sctp', 'draco-malfoy-0', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierIngressSCTP',
    goFile: 'admin-network-policy-standard-ingress-sctp-rules.go',
    manifests: ['admin_tier/standard-ingress-sctp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        pokes: [poke('harry-potter-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW), poke('harry-potter-1', 'sctp', 'luna-lovegood-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for SCTP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'sctp', 'luna-lovegood-1', 9003, ALLOW), poke('cedric-diggory-1', 'sctp', 'luna-lovegood-1', 9005, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-sctp', 'ingress', 0, 1)],
        pokes: [poke('harry-potter-0', 'sctp', 'luna-lovegood-1', 9003, DENY), poke('harry-potter-1', 'sctp', 'luna-lovegood-1', 9005, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for SCTP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'sctp', 'luna-lovegood-0', 9003, DENY), poke('draco-malfoy-1', 'sctp', 'luna-lovegood-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'pass-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('ingress-sctp', 'ingress', 0, 2)],
        pokes: [poke('harry-potter-0', 'sctp', 'luna-lovegood-1', 9003, ALLOW), poke('harry-potter-1', 'sctp', 'luna-lovegood-1', 9005, ALLOW)],
      },
      {
        name: "Should support a 'pass-ingress' policy for SCTP protocol at the specified port",
        patches: [swapRules('ingress-sctp', 'ingress', 3, 4)],
        pokes: [poke('draco-malfoy-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW), poke('draco-malfoy-1', 'sctp', 'luna-lovegood-0', 9005, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierGress',
    goFile: 'admin-network-policy-standard-gress-rules.go',
    manifests: ['admin_tier/standard-gress-rules-combined.yaml'],
    runs: [
      {
        name: "Should support an 'allow-gress' policy across different protocols",
        pokes: [
          poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW),
          poke('harry-potter-1', 'udp', 'luna-lovegood-0', 53, ALLOW),
          poke('harry-potter-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW),
          poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW),
          poke('luna-lovegood-1', 'udp', 'harry-potter-0', 53, ALLOW),
          poke('luna-lovegood-1', 'sctp', 'harry-potter-0', 9003, ALLOW),
        ],
      },
      {
        name: "Should support an 'allow-gress' policy across different protocols at the specified ports",
        pokes: [
          poke('harry-potter-0', 'tcp', 'cedric-diggory-1', 8080, ALLOW),
          poke('harry-potter-1', 'tcp', 'cedric-diggory-1', 80, DENY),
          poke('harry-potter-0', 'udp', 'cedric-diggory-1', 5353, ALLOW),
          poke('harry-potter-1', 'udp', 'cedric-diggory-1', 53, DENY),
          poke('harry-potter-0', 'sctp', 'cedric-diggory-1', 9003, ALLOW),
          poke('harry-potter-1', 'sctp', 'cedric-diggory-1', 9005, DENY),
          poke('cedric-diggory-0', 'tcp', 'harry-potter-1', 80, ALLOW),
          poke('cedric-diggory-1', 'tcp', 'harry-potter-1', 8080, DENY),
          poke('cedric-diggory-0', 'udp', 'harry-potter-1', 5353, ALLOW),
          poke('cedric-diggory-1', 'udp', 'harry-potter-1', 53, DENY),
          poke('cedric-diggory-0', 'sctp', 'harry-potter-1', 9003, ALLOW),
          poke('cedric-diggory-1', 'sctp', 'harry-potter-1', 9005, DENY),
        ],
      },
      {
        name: "Should support an 'deny-gress' policy across different protocols",
        patches: [swapRules('gress-rules', 'egress', 0, 1), swapRules('gress-rules', 'ingress', 0, 1)],
        pokes: [
          poke('harry-potter-0', 'tcp', 'luna-lovegood-1', 80, DENY),
          poke('harry-potter-1', 'udp', 'luna-lovegood-1', 53, DENY),
          poke('harry-potter-0', 'sctp', 'luna-lovegood-1', 9003, DENY),
          poke('luna-lovegood-0', 'tcp', 'harry-potter-1', 80, DENY),
          poke('luna-lovegood-1', 'udp', 'harry-potter-1', 53, DENY),
          poke('luna-lovegood-1', 'sctp', 'harry-potter-1', 9003, DENY),
        ],
      },
      {
        name: "Should support a 'deny-gress' policy across different protocols at the specified ports",
        pokes: [
          poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY),
          poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW),
          poke('harry-potter-0', 'udp', 'draco-malfoy-0', 53, DENY),
          poke('harry-potter-1', 'udp', 'draco-malfoy-0', 5353, ALLOW),
          poke('harry-potter-0', 'sctp', 'draco-malfoy-0', 9003, DENY),
          poke('harry-potter-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW),
          poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY),
          poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW),
          poke('draco-malfoy-0', 'udp', 'harry-potter-0', 53, DENY),
          poke('draco-malfoy-1', 'udp', 'harry-potter-0', 5353, ALLOW),
          poke('draco-malfoy-0', 'sctp', 'harry-potter-0', 9003, DENY),
          poke('draco-malfoy-1', 'sctp', 'harry-potter-0', 9005, ALLOW),
        ],
      },
      {
        name: "Should support an 'pass-gress' policy across different protocols",
        patches: [swapRules('gress-rules', 'egress', 0, 2), swapRules('gress-rules', 'ingress', 0, 2)],
        pokes: [
          poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW),
          poke('harry-potter-0', 'udp', 'luna-lovegood-0', 5353, ALLOW),
          poke('harry-potter-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW),
          poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW),
          poke('luna-lovegood-1', 'udp', 'harry-potter-0', 53, ALLOW),
          poke('luna-lovegood-1', 'sctp', 'harry-potter-0', 9003, ALLOW),
        ],
      },
      {
        name: "Should support a 'pass-gress' policy across different protocols at the specified ports",
        patches: [swapRules('gress-rules', 'egress', 3, 4), swapRules('gress-rules', 'ingress', 3, 4)],
        pokes: [
          poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, ALLOW),
          poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW),
          poke('harry-potter-0', 'udp', 'draco-malfoy-0', 53, ALLOW),
          poke('harry-potter-1', 'udp', 'draco-malfoy-0', 5353, ALLOW),
          poke('harry-potter-0', 'sctp', 'draco-malfoy-0', 9003, ALLOW),
          poke('harry-potter-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW),
          poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, ALLOW),
          poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW),
          poke('draco-malfoy-0', 'udp', 'harry-potter-0', 53, ALLOW),
          poke('draco-malfoy-1', 'udp', 'harry-potter-0', 5353, ALLOW),
          poke('draco-malfoy-0', 'sctp', 'harry-potter-0', 9003, ALLOW),
          poke('draco-malfoy-1', 'sctp', 'harry-potter-0', 9005, ALLOW),
        ],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierEgressInlineCIDRPeers',
    goFile: 'admin-network-policy-standard-egress-inline-cidr-rules.go',
    manifests: ['admin_tier/standard-egress-inline-cidr-rules.yaml'],
    podIps: true,
    runs: cidrRuns('inline-cidr-as-peers-example'),
  },
  {
    shortName: 'CNPAdminTierPriorityField',
    goFile: 'admin-network-policy-standard-priority.go',
    manifests: ['admin_tier/standard-priority-field.yaml'],
    runs: [
      {
        name: 'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, DENY)],
      },
      {
        name: 'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, DENY)],
      },
      {
        name: 'Should respect admin CNP priority field; thus passing both ingress and egress traffic over to baseline CNP',
        patches: [setPriority('old-priority-60-new-priority-40-example', 40)],
        pokes: [
          poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, ALLOW),
          poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW),
          poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, ALLOW),
          poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW),
        ],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierIntegration',
    goFile: 'admin-network-policy-standard-integration.go',
    manifests: ['api_integration/standard-anp-np-banp.yaml'],
    runs: [
      {
        name: 'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, DENY)],
      },
      {
        name: 'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, DENY)],
      },
      {
        name: "Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy",
        patches: [setAction('pass-example', 'ingress', 0, 'Pass')],
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, ALLOW), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
      {
        name: "Should support a 'pass-egress' policy for admin CNP and respect the match for network policy",
        patches: [setAction('pass-example', 'egress', 0, 'Pass')],
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, ALLOW), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW)],
      },
      {
        name: "Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy",
        patches: [deleteNetworkPolicy('network-policy-conformance-gryffindor', 'allow-gress-from-to-slytherin-to-gryffindor')],
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, DENY)],
      },
      {
        name: "Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy",
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, DENY)],
      },
    ],
  },
  // admin-network-policy-experimental-egress-rules.go
  {
    shortName: 'CNPAdminTierEgressNamedPort',
    goFile: 'admin-network-policy-experimental-egress-rules.go',
    manifests: ['admin_tier/standard-egress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for named port",
        patches: [namedPort('egress-tcp', 'egress', 5, 'web')],
        pokes: [poke('harry-potter-0', 'tcp', 'cedric-diggory-1', 80, ALLOW), poke('harry-potter-1', 'tcp', 'cedric-diggory-1', 8080, DENY)],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierEgressNodePeers',
    goFile: 'admin-network-policy-experimental-egress-rules.go',
    manifests: ['admin_tier/experimental-egress-selector-rules.yaml'],
    podIps: true, // the nodes and their addresses are in cluster-ipv4/6.yaml only
    runs: [
      {
        name: "Should support an 'allow-egress' rule policy for egress-node-peer",
        pokes: [poke('harry-potter-1', 'tcp', 'centaur-1', HOST_NETWORK_PORTS[0], ALLOW)],
      },
      {
        name: "Should support a 'pass-egress' rule policy for egress-node-peer",
        pokes: [poke('harry-potter-1', 'udp', 'centaur-1', HOST_NETWORK_PORTS[2], ALLOW)],
      },
      {
        name: "Should support a 'deny-egress' rule policy for egress-node-peer",
        pokes: [
          poke('harry-potter-1', 'tcp', 'centaur-1', HOST_NETWORK_PORTS[1], DENY),
          poke('harry-potter-1', 'udp', 'centaur-1', HOST_NETWORK_PORTS[4], DENY),
          poke('harry-potter-1', 'sctp', 'centaur-1', HOST_NETWORK_PORTS[6], DENY),
        ],
      },
    ],
  },
  {
    shortName: 'CNPAdminTierIngressNamedPort',
    goFile: 'admin-network-policy-experimental-ingress-rules.go',
    manifests: ['admin_tier/standard-ingress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for named port",
        patches: [namedPort('ingress-udp', 'ingress', 5, 'dns')],
        pokes: [poke('harry-potter-0', 'udp', 'cedric-diggory-1', 53, ALLOW), poke('harry-potter-1', 'udp', 'cedric-diggory-1', 5353, DENY)],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------
// Baseline tier: conformance/tests/baseline-admin-network-policy-*.go (the policy is always `default`)

const BASELINE: Conformance[] = [
  {
    shortName: 'CNPBaselineTierEgressTCP',
    goFile: 'baseline-admin-network-policy-standard-egress-tcp-rules.go',
    manifests: ['baseline_tier/standard-egress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected",
        pokes: [poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW), poke('harry-potter-1', 'tcp', 'luna-lovegood-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for TCP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'tcp', 'cedric-diggory-1', 8080, ALLOW), poke('harry-potter-1', 'tcp', 'cedric-diggory-1', 80, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'egress', 0, 1)],
        pokes: [poke('harry-potter-0', 'tcp', 'luna-lovegood-1', 80, DENY), poke('harry-potter-1', 'tcp', 'luna-lovegood-1', 8080, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for TCP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY), poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierIngressTCP',
    goFile: 'baseline-admin-network-policy-standard-ingress-tcp-rules.go',
    manifests: ['baseline_tier/standard-ingress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW), poke('luna-lovegood-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for TCP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'tcp', 'harry-potter-1', 80, ALLOW), poke('cedric-diggory-1', 'tcp', 'harry-potter-1', 8080, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'ingress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'tcp', 'harry-potter-1', 80, DENY), poke('luna-lovegood-1', 'tcp', 'harry-potter-1', 8080, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for TCP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY), poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierEgressUDP',
    goFile: 'baseline-admin-network-policy-standard-egress-udp-rules.go',
    manifests: ['baseline_tier/standard-egress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected",
        pokes: [poke('cedric-diggory-0', 'udp', 'luna-lovegood-0', 53, ALLOW), poke('cedric-diggory-1', 'udp', 'luna-lovegood-0', 5353, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for UDP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'udp', 'harry-potter-1', 53, ALLOW), poke('cedric-diggory-1', 'udp', 'harry-potter-1', 5353, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'egress', 0, 1)],
        pokes: [poke('cedric-diggory-0', 'udp', 'luna-lovegood-1', 53, DENY), poke('cedric-diggory-1', 'udp', 'luna-lovegood-1', 5353, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for UDP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'udp', 'draco-malfoy-0', 5353, DENY), poke('cedric-diggory-1', 'udp', 'draco-malfoy-0', 53, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierIngressUDP',
    goFile: 'baseline-admin-network-policy-standard-ingress-udp-rules.go',
    manifests: ['baseline_tier/standard-ingress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'udp', 'cedric-diggory-0', 53, ALLOW), poke('luna-lovegood-1', 'udp', 'cedric-diggory-0', 5353, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for UDP protocol at the specified port",
        pokes: [poke('harry-potter-0', 'udp', 'cedric-diggory-1', 53, ALLOW), poke('harry-potter-1', 'udp', 'cedric-diggory-1', 5353, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'ingress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'udp', 'cedric-diggory-1', 53, DENY), poke('luna-lovegood-1', 'udp', 'cedric-diggory-1', 5353, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for UDP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'udp', 'cedric-diggory-0', 5353, DENY), poke('draco-malfoy-1', 'udp', 'cedric-diggory-0', 53, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierEgressSCTP',
    goFile: 'baseline-admin-network-policy-standard-egress-sctp-rules.go',
    manifests: ['baseline_tier/standard-egress-sctp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected",
        pokes: [poke('luna-lovegood-0', 'sctp', 'harry-potter-0', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'harry-potter-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'allow-egress' policy for SCTP protocol at the specified port",
        pokes: [poke('luna-lovegood-0', 'sctp', 'cedric-diggory-1', 9003, ALLOW), poke('luna-lovegood-1', 'sctp', 'cedric-diggory-1', 9005, DENY)],
      },
      {
        name: "Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'egress', 0, 1)],
        pokes: [poke('luna-lovegood-0', 'sctp', 'harry-potter-1', 9003, DENY), poke('luna-lovegood-1', 'sctp', 'harry-potter-1', 9005, DENY)],
      },
      {
        name: "Should support a 'deny-egress' policy for SCTP protocol at the specified port",
        pokes: [poke('luna-lovegood-0', 'sctp', 'draco-malfoy-0', 9003, DENY), poke('luna-lovegood-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierIngressSCTP',
    goFile: 'baseline-admin-network-policy-standard-ingress-sctp-rules.go',
    manifests: ['baseline_tier/standard-ingress-sctp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        pokes: [poke('harry-potter-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW), poke('harry-potter-1', 'sctp', 'luna-lovegood-0', 9005, ALLOW)],
      },
      {
        name: "Should support an 'allow-ingress' policy for SCTP protocol at the specified port",
        pokes: [poke('cedric-diggory-0', 'sctp', 'luna-lovegood-1', 9003, ALLOW), poke('cedric-diggory-1', 'sctp', 'luna-lovegood-1', 9005, DENY)],
      },
      {
        name: "Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        patches: [swapRules('default', 'ingress', 0, 1)],
        pokes: [poke('harry-potter-0', 'sctp', 'luna-lovegood-1', 9003, DENY), poke('harry-potter-1', 'sctp', 'luna-lovegood-1', 9005, DENY)],
      },
      {
        name: "Should support a 'deny-ingress' policy for SCTP protocol at the specified port",
        pokes: [poke('draco-malfoy-0', 'sctp', 'luna-lovegood-0', 9003, DENY), poke('draco-malfoy-1', 'sctp', 'luna-lovegood-0', 9005, ALLOW)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierGress',
    goFile: 'baseline-admin-network-policy-standard-gress-rules.go',
    manifests: ['baseline_tier/standard-gress-rules-combined.yaml'],
    runs: [
      {
        name: "Should support an 'allow-gress' policy across different protocols",
        pokes: [
          poke('harry-potter-0', 'tcp', 'luna-lovegood-0', 80, ALLOW),
          poke('harry-potter-1', 'udp', 'luna-lovegood-0', 53, ALLOW),
          poke('harry-potter-0', 'sctp', 'luna-lovegood-0', 9003, ALLOW),
          poke('luna-lovegood-0', 'tcp', 'harry-potter-0', 80, ALLOW),
          poke('luna-lovegood-1', 'udp', 'harry-potter-0', 53, ALLOW),
          poke('luna-lovegood-1', 'sctp', 'harry-potter-0', 9003, ALLOW),
        ],
      },
      {
        name: "Should support an 'allow-gress' policy across different protocols at the specified ports",
        pokes: [
          poke('harry-potter-0', 'tcp', 'cedric-diggory-1', 8080, ALLOW),
          poke('harry-potter-1', 'tcp', 'cedric-diggory-1', 80, DENY),
          poke('harry-potter-0', 'udp', 'cedric-diggory-1', 5353, ALLOW),
          poke('harry-potter-1', 'udp', 'cedric-diggory-1', 53, DENY),
          poke('harry-potter-0', 'sctp', 'cedric-diggory-1', 9003, ALLOW),
          poke('harry-potter-1', 'sctp', 'cedric-diggory-1', 9005, DENY),
          poke('cedric-diggory-0', 'tcp', 'harry-potter-1', 80, ALLOW),
          poke('cedric-diggory-1', 'tcp', 'harry-potter-1', 8080, DENY),
          poke('cedric-diggory-0', 'udp', 'harry-potter-1', 5353, ALLOW),
          poke('cedric-diggory-1', 'udp', 'harry-potter-1', 53, DENY),
          poke('cedric-diggory-0', 'sctp', 'harry-potter-1', 9003, ALLOW),
          poke('cedric-diggory-1', 'sctp', 'harry-potter-1', 9005, DENY),
        ],
      },
      {
        name: "Should support an 'deny-gress' policy across different protocols",
        patches: [swapRules('default', 'egress', 0, 1), swapRules('default', 'ingress', 0, 1)],
        pokes: [
          poke('harry-potter-0', 'tcp', 'luna-lovegood-1', 80, DENY),
          poke('harry-potter-1', 'udp', 'luna-lovegood-1', 53, DENY),
          poke('harry-potter-0', 'sctp', 'luna-lovegood-1', 9003, DENY),
          poke('luna-lovegood-0', 'tcp', 'harry-potter-1', 80, DENY),
          poke('luna-lovegood-1', 'udp', 'harry-potter-1', 53, DENY),
          poke('luna-lovegood-1', 'sctp', 'harry-potter-1', 9003, DENY),
        ],
      },
      {
        name: "Should support a 'deny-gress' policy across different protocols at the specified ports",
        pokes: [
          poke('harry-potter-0', 'tcp', 'draco-malfoy-0', 80, DENY),
          poke('harry-potter-1', 'tcp', 'draco-malfoy-0', 8080, ALLOW),
          poke('harry-potter-0', 'udp', 'draco-malfoy-0', 53, DENY),
          poke('harry-potter-1', 'udp', 'draco-malfoy-0', 5353, ALLOW),
          poke('harry-potter-0', 'sctp', 'draco-malfoy-0', 9003, DENY),
          poke('harry-potter-1', 'sctp', 'draco-malfoy-0', 9005, ALLOW),
          poke('draco-malfoy-0', 'tcp', 'harry-potter-0', 80, DENY),
          poke('draco-malfoy-1', 'tcp', 'harry-potter-0', 8080, ALLOW),
          poke('draco-malfoy-0', 'udp', 'harry-potter-0', 53, DENY),
          poke('draco-malfoy-1', 'udp', 'harry-potter-0', 5353, ALLOW),
          poke('draco-malfoy-0', 'sctp', 'harry-potter-0', 9003, DENY),
          poke('draco-malfoy-1', 'sctp', 'harry-potter-0', 9005, ALLOW),
        ],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierEgressInlineCIDRPeers',
    goFile: 'baseline-admin-network-policy-standard-egress-inline-cidr-rules.go',
    manifests: ['baseline_tier/standard-egress-inline-cidr-rules.yaml'],
    podIps: true,
    runs: cidrRuns('default'),
  },
  // baseline-admin-network-policy-experimental-egress-rules.go
  {
    shortName: 'CNPBaselineTierEgressNamedPort',
    goFile: 'baseline-admin-network-policy-experimental-egress-rules.go',
    manifests: ['baseline_tier/standard-egress-udp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-egress' policy for named port",
        patches: [namedPort('default', 'egress', 3, 'dns')],
        pokes: [poke('cedric-diggory-0', 'udp', 'harry-potter-1', 53, ALLOW), poke('cedric-diggory-1', 'udp', 'harry-potter-1', 5353, DENY)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierEgressNodePeers',
    goFile: 'baseline-admin-network-policy-experimental-egress-rules.go',
    manifests: ['baseline_tier/experimental-egress-selector-rules.yaml'],
    podIps: true, // the nodes and their addresses are in cluster-ipv4/6.yaml only
    runs: [
      {
        name: "Should support an 'allow-egress' rule policy for egress-node-peer",
        pokes: [
          poke('harry-potter-0', 'tcp', 'centaur-1', HOST_NETWORK_PORTS[0], ALLOW),
          poke('harry-potter-1', 'tcp', 'centaur-1', HOST_NETWORK_PORTS[1], ALLOW),
        ],
      },
      {
        name: "Should support a 'deny-egress' rule policy for egress-node-peer",
        pokes: [poke('harry-potter-1', 'udp', 'centaur-1', HOST_NETWORK_PORTS[4], DENY), poke('harry-potter-1', 'sctp', 'centaur-1', HOST_NETWORK_PORTS[6], DENY)],
      },
    ],
  },
  {
    shortName: 'CNPBaselineTierIngressNamedPort',
    goFile: 'baseline-admin-network-policy-experimental-ingress-rules.go',
    manifests: ['baseline_tier/standard-ingress-tcp-rules.yaml'],
    runs: [
      {
        name: "Should support an 'allow-ingress' policy for named port",
        patches: [namedPort('default', 'ingress', 3, 'web')],
        pokes: [poke('cedric-diggory-0', 'tcp', 'harry-potter-1', 80, ALLOW), poke('cedric-diggory-1', 'tcp', 'harry-potter-1', 8080, DENY)],
      },
    ],
  },
];

/**
 * The two `*-egress-inline-cidr-rules.go` tests poke alike (Admin `inline-cidr-as-peers-example`, Baseline
 * `default`: egress of gryffindor Accept to slytherin pods, then Deny to 0.0.0.0/0 and ::/0). The first
 * t.Run relabels namespace slytherin and back between pokes: three Runs.
 */
function cidrRuns(cnp: string): Run[] {
  const each = (server: string, shouldConnect: boolean) => [
    poke('harry-potter-1', 'tcp', server, 80, shouldConnect),
    poke('harry-potter-1', 'udp', server, 53, shouldConnect),
    poke('harry-potter-1', 'sctp', server, 9003, shouldConnect),
  ];
  const deny = "Should support a 'deny-egress' rule policy for egress-cidr-peer";
  return [
    { name: deny, pokes: [...each('luna-lovegood-0', DENY), ...each('cedric-diggory-0', DENY), ...each('draco-malfoy-0', ALLOW)] },
    {
      name: `${deny} (slytherin relabelled conformance-house=denied-namespace-label)`,
      patches: [relabelNamespace(SLYTHERIN, { 'conformance-house': 'denied-namespace-label' })],
      pokes: each('draco-malfoy-0', DENY),
    },
    {
      name: `${deny} (slytherin labelled conformance-house=slytherin again)`,
      patches: [relabelNamespace(SLYTHERIN, { 'conformance-house': 'slytherin' })],
      pokes: each('draco-malfoy-0', ALLOW),
    },
    {
      name: "Should support an 'allow-egress' rule policy for egress-cidr-peer",
      patches: [prependAllowToPodIps(cnp, ['luna-lovegood-0', 'cedric-diggory-0'])],
      pokes: [...each('luna-lovegood-0', ALLOW), ...each('cedric-diggory-0', ALLOW), ...each('luna-lovegood-1', DENY), ...each('cedric-diggory-1', DENY)],
    },
  ];
}

const CONFORMANCE: readonly Conformance[] = [...ADMIN, ...BASELINE];

/**
 * Rows where netproof disagrees with upstream, by `shortName / run / poke label`, each with the minimal case.
 * They run as `test.failing`, so a fix shows up as a failure to remove the entry.
 */
const KNOWN_DISAGREEMENTS: ReadonlyMap<string, string> = new Map([]);

// ---------------------------------------------------------------------------------------------------

/**
 * The cluster models a test runs on: cluster-ipv6.yaml only for the tests that depend on pod IPs (elsewhere the
 * address family changes nothing), manifests.yaml only for the others (its pods have no IP).
 */
function clustersOf(c: Conformance): ClusterKind[] {
  return CLUSTERS.filter((k) => (c.podIps ? k !== 'manifests' : k !== 'ipv6'));
}

describe.each(CONFORMANCE.map((c) => [c.shortName, c] as const))('%s', (_, c) => {
  if (c.todo) {
    for (const r of c.runs) for (const p of r.pokes) test.todo(`${r.name}: ${pokeLabel(p)} (${c.todo})`);
    return;
  }
  for (const cluster of clustersOf(c)) {
    // The state of each Run: the manifests plus the patches of that Run and every Run before it.
    let state = State.initial(c, cluster);
    const states = c.runs.map((r) => (state = state.patched(r.patches ?? [])));
    for (const dataplane of DATAPLANES) {
      describe(`${cluster} cluster, ${dataplane}`, () => {
        c.runs.forEach((r, i) => describeRun(c, r, cluster, answers(states[i], dataplane)));
      });
    }
  }
});

/**
 * Per poke its cell of the `reach` matrix; on cluster-ipv4.yaml also its `explain` verdict, and per Run `verify`
 * with every poke as an intent (each command costs a run; the other cluster models check the matrix).
 */
function describeRun(c: Conformance, r: Run, cluster: ClusterKind, a: Answers): void {
  const known = (p: Poke) => KNOWN_DISAGREEMENTS.get(`${c.shortName} / ${r.name} / ${pokeLabel(p)}`);
  describe(r.name, () => {
    for (const p of r.pokes) {
      (known(p) ? test.failing : test)(pokeLabel(p), async () => {
        const matrix = await a.reach(p.protocol, p.port);
        const verdicts: Record<string, boolean | undefined> = { reach: matrix[endpointId(p.client, cluster)]?.[endpointId(p.server, cluster)] };
        if (cluster === 'ipv4') verdicts.explain = (await a.explain(p)).allowed;
        expect(verdicts).toEqual(Object.fromEntries(Object.keys(verdicts).map((k) => [k, p.shouldConnect])));
      });
    }
    if (cluster !== 'ipv4') return;
    test('verify: every poke as an intent holds', async () => {
      const pokes = r.pokes.filter((p) => !known(p));
      const v = await a.verify(pokes);
      expect({ code: v.code, failing: v.intents.filter((x) => !x.holds).map((x) => x.name) }).toEqual({ code: 0, failing: [] });
      expect(v.intents).toHaveLength(pokes.length);
    });
  });
}

describe('the transcription and its fixtures', () => {
  test('covers every upstream ConformanceTest (24), t.Run (92) and PokeServer call (301)', () => {
    const runs = new Set(CONFORMANCE.flatMap((c) => c.runs.map((r) => `${c.shortName} / ${r.name.replace(/ \(.*\)$/, '')}`)));
    const pokes = CONFORMANCE.flatMap((c) => c.runs.flatMap((r) => r.pokes));
    const tests = new Set(CONFORMANCE.map((c) => c.shortName));
    expect({ tests: tests.size, runs: runs.size, pokes: pokes.length }).toEqual({ tests: 24, runs: 92, pokes: 301 });
  });

  const copies = files(FIXTURES).filter((f) => !/^cluster-ipv[46]\.yaml$/.test(f));
  test.each(copies)('%s carries the header naming its upstream path and commit', (f) => {
    const header = readFileSync(join(FIXTURES, f), 'utf8').split('\n').slice(0, 2);
    expect(header).toEqual([`# Copied from kubernetes-sigs/network-policy-api conformance/base/${f} at commit ${UPSTREAM_COMMIT}`, '# (Apache License 2.0). Unchanged below this header.']);
  });

  test.each(copies.filter((f) => f !== 'manifests.yaml'))('%s is read by netproof as it is (reach exits 0, nothing skipped)', async (f) => {
    const r = await run(['reach', '--cluster', 'cluster.yaml', '--policies', f, '--port', '80', '--format', 'summary'],
      { 'cluster.yaml': fixtureText('cluster-ipv4.yaml'), [f]: fixtureText(f) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test.each(copies.filter((f) => f !== 'manifests.yaml'))('%s: netproof reads the JSON form the tests give it as the YAML (diff: no change)', async (f) => {
    const r = await run(['diff', 'yaml', 'json', '--cluster', 'cluster.yaml', '--format', 'json', '--exit-code'],
      { 'cluster.yaml': fixtureText('cluster-ipv4.yaml'), [`yaml/${f}`]: fixtureText(f), 'json/manifest.json': asJson(documents(fixtureText(f))) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test.each(['cluster-ipv4.yaml', 'cluster-ipv6.yaml', 'manifests.yaml'])('%s: netproof reads the JSON form the tests give it as the YAML', (f) => {
    const text = fixtureText(f);
    const model = (file: string, t: string) => JSON.parse(JSON.stringify(parseCluster(t, file).cluster, (k, v) => (k === 'source' ? undefined : v)));
    expect(model('cluster.json', asJson(documents(text)))).toEqual(model(f, text));
  });

  test.each(['ipv4', 'ipv6'] as const)('cluster-%s.yaml holds the pods netproof reads from manifests.yaml, under their Kubernetes names, with IPs', (family) => {
    const manifests = parseCluster(fixtureText('manifests.yaml'), 'manifests.yaml').cluster;
    const model = parseCluster(fixtureText(`cluster-${family}.yaml`), `cluster-${family}.yaml`).cluster;
    const shape = (id: string, p: PodModel) => ({ id, labels: p.labels, ports: p.ports, networks: p.networks });
    expect(model.namespaces).toEqual(manifests.namespaces);
    expect(model.pods.map((p) => shape(endpointId(p.name, 'manifests'), p))).toEqual(manifests.pods.map((p) => shape(`${p.namespace}/${p.name}`, p)));
    const ips = model.pods.map((p) => p.ip);
    expect(ips.every((ip) => ip !== undefined && ip.includes(':') === (family === 'ipv6'))).toBe(true);
    expect(new Set(ips).size).toBe(ips.length);
  });
});

/** The files under a folder, relative to it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}
