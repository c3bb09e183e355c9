/**
 * `netproof/analysis`: the analyzer API, for tools built on netproof's verifier. Read policies, clusters
 * and intents from YAML or JSON; ask the verifier who reaches whom and why; run the one pipeline, a
 * diff, a graph or the lints; and render any result in the CLI's formats. The user API (constructs,
 * values, `verifyApp`) is the package root.
 */

// The model (plain data, every Kubernetes default explicit)
export * from './model/cluster';
export * from './model/policy';
export * from './model/port';
export * from './model/intent';
export {
  describeSelector, isSelectAll, LabelRequirementModel, LabelSelectorModel, Labels, makeSelector, matchesLabels, SELECT_ALL, SelectorOperator,
} from './model/selector';
export { IpFamily, parseCidr, ParsedCidr, parseIp } from './model/cidr';
export { EXTERNAL_NAMES, KUBE_DNS_POD, LB_HEALTH_CHECK_CIDRS, LB_HEALTH_CHECK_CIDRS_IPV6, METADATA_SERVER } from './model/gke';

// Reading inputs
export { ClusterInput, clusterFromFiles, clusterFromManifests, parseCluster } from './parse/cluster';
export { PolicyInput, PolicyParseOptions, parsePolicies, policiesFromFiles, policiesFromManifests } from './parse/policies';
export { policiesFromApp } from './parse/app';
export { IntentFileOptions, NamedIntent, parseIntents } from './parse/intents';
export { manifestFactsFromObjects } from './parse/manifests';
export { MergedCluster, mergeClusters, MergeOptions } from './parse/merge';
export { collectFiles, FileSystemReader, FileText } from './parse/files';
export { describeSkipped, SkippedObject } from './parse/skipped';

// The verifier
export * from './verify/api';
export { EXTERNALS_GROUP, podsWithoutIp, Verifier } from './verify/verifier';
export { withAddressRepresentatives } from './verify/addresses';
export { PortRange } from './verify/ports';

// Analyses
export { PipelineInput, PipelineResult, runPipeline, VerificationModel } from './analysis/pipeline';
export { checkIntents, IntentCheckInput, IntentResult, MAX_COUNTEREXAMPLES } from './analysis/intents';
export { explainSets, ExplainInput } from './analysis/explain';
export { DiffInput, diffReachability, DiffStats, ReachChange, ReachDiff, SideChange } from './analysis/diff';
export {
  buildGraph, ConnectivityGraph, GraphEdge, GraphGroup, GraphInput, GraphNode, openMarker, portsLabel, ProtocolPortRange,
} from './analysis/graph';
export { lint, LINT_RULES, LintFinding, LintInput, LintRule, LintSeverity } from './analysis/lint';

// Formats
export { Formatter, Formatters, render, Sink } from './report/formatter';
export { REACH_FORMATS, REACH_FORMATTERS, ReachFormat, renderReach } from './report/reach';
export { VERIFY_FORMATS, VERIFY_FORMATTERS, VerifyFormat } from './report/verify';
export { NamedIntentResult, VerifyReport } from './report/verify/report';
export { renderSarif, SarifLog } from './report/verify/sarif';
export { renderJunit } from './report/verify/junit';
export { formatFindings, formatIntentResults } from './report/verify/text';
export { DIFF_FORMATS, DIFF_FORMATTERS, DiffClusterSource, DiffContext, DiffFormat, DiffReport, formatDiff, NO_CHANGE } from './report/diff';
export { GRAPH_FORMATS, GRAPH_FORMATTERS, GraphFormat } from './report/graph';
export { EXPLAIN_FORMATS, EXPLAIN_FORMATTERS, ExplainFormat } from './report/explain';
export { describePolicyRef, describeRule, formatVerdict } from './report/words';
