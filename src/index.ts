/**
 * netproof: Kubernetes NetworkPolicies as typed cdk8s constructs, proven by a reachability verifier
 * before synth. The package root is the user API (constructs, values, intents, app verification and the
 * synth helpers); the analyzer API (parsers, the verifier, analyses and formatters) is `netproof/analysis`.
 */
// Loading the app layer registers the synth-time checks of the charts.
import './app';

export { NetproofError } from './errors';

// Values
export { Port } from './values/port';
export { Cidr } from './values/cidr';
export { IPodSelector, LabelExpression, PodSelectorConfig, Selector } from './values/selector';
export { CidrPeerOptions, Peer, PodsInOptions } from './values/peer';
export { ClusterProfile, ClusterProfileOptions } from './values/cluster-profile';
export { GkeVersion } from './values/gke-version';
export { MetadataServerEndpoint, metadataServerEndpoint } from './values/metadata-endpoint';
export { Endpoints, Externals } from './values/endpoints';
export { ILoadBalancedObject, ILoadBalancedService, LoadBalancerKind } from './values/load-balancer-kind';
export { ServicePods } from './values/service';
export { ClusterPeer, ClusterPods, IClusterPeer } from './values/cluster-peer';
export { ClusterProtocol } from './values/cluster-protocol';
export { ClusterRule, ClusterRuleOptions } from './values/cluster-rule';

// Constructs
export { ImpliedExternal, impliedExternalsOf, PolicyChart, PolicyChartProps, policiesOf } from './constructs/policy-chart';
export { DefaultDeny, DefaultDenyProps } from './constructs/default-deny';
export { AllowFrom, AllowFromProps } from './constructs/allow-from';
export { AllowTo, AllowToProps } from './constructs/allow-to';
export { Allow, Flow, FlowOptions, FlowSide, SelectedPods, SelectedPodsProps } from './constructs/allow';
export { AllowDns, AllowDnsProps } from './constructs/allow-dns';
export { PodNetworkScoped, PodNetworkScopedProps } from './constructs/pod-network-scoped';
export { PolicyLogging, PolicyLoggingProps } from './constructs/policy-logging';
export { NetworkLogging, NetworkLoggingAction, NetworkLoggingProps } from './constructs/network-logging';
export { AllowMetadataServer, AllowMetadataServerProps } from './constructs/allow-metadata-server';
export { AllowLbHealthChecks, AllowLbHealthChecksProps } from './constructs/allow-lb-health-checks';
export { NamespaceIsolation, NamespaceIsolationProps } from './constructs/namespace-isolation';
export { BASELINE_POLICY_NAMES, NamespaceBaseline, NamespaceBaselineProps } from './constructs/namespace-baseline';
export { AllowFqdn, AllowFqdnProps } from './constructs/allow-fqdn';
export { AllowControlPlane, AllowControlPlaneProps } from './constructs/allow-control-plane';
export { ClusterPolicyChart, ClusterPolicyChartProps } from './constructs/cluster-policy-chart';
export { ClusterNetworkPolicy, ClusterNetworkPolicyProps, ClusterTier } from './constructs/cluster-network-policy';
export { TenantIsolation, TenantIsolationProps } from './constructs/tenant-isolation';
export { AlwaysAllow, AlwaysAllowProps } from './constructs/always-allow';
export { BaselineDefaultDeny, BaselineDefaultDenyProps } from './constructs/baseline-default-deny';
export { DeclaredPort, DeclaredWorkload, DeclaredWorkloadProps } from './constructs/declared-workload';
export { DeclaredExternal, DeclaredExternalProps } from './constructs/declared-external';
export { Inventory, InventoryProps } from './constructs/inventory';
export { EndpointsLike, Expectation, ExplainOptions, IntentOptions } from './constructs/expect';

// Verification of an app, and the synth helpers
export { AppModel, AppVerification, explainApp, modelOfApp, verifyApp } from './app';
export { SynthesizeResult, synthesizeAtomically } from './emit/synth';
export { formatFindings, formatIntentResults } from './report/verify/text';
export { formatVerdict } from './report/words';

// The data those return
export type { IntentResult } from './analysis/intents';
export type { LintFinding, LintSeverity } from './analysis/lint';
export type { ClusterModel, Dataplane, ExternalModel, PodModel, ProfileModel } from './model/cluster';
export type { EndpointSetModel, IntentModel } from './model/intent';
export type { ClusterNetworkPolicyModel, PolicyModel } from './model/policy';
export type { EndpointId, PolicyRef, RuleRef, SideVerdict, Verdict } from './verify/api';
