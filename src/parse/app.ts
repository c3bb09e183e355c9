/**
 * Policy input from a cdk8s App: every chart's manifests, parsed as files are, with the construct path of
 * the ApiObject that produced each policy. Apart from `policies.ts` so that reading files never loads cdk8s.
 */
import { ApiObject, App } from 'cdk8s';
import { ManifestDocument, objectDocuments } from './_documents';
import { PolicyInput, PolicyParseOptions, policiesFromDocuments } from './policies';

/**
 * Parses every chart of a cdk8s App (`chart.toJson()`, charts in app order). Sources carry the
 * construct path of the ApiObject that produced each policy.
 */
export function policiesFromApp(app: App, options: PolicyParseOptions = {}): PolicyInput {
  const docs: ManifestDocument[] = [];
  const paths = new Map<string, string>();
  for (const chart of app.charts) {
    for (const c of chart.node.findAll()) {
      if (c instanceof ApiObject) paths.set(objectKey(c.kind, c.metadata.namespace ?? chart.namespace, c.name), c.node.path);
    }
    for (const doc of objectDocuments(chart.toJson(), `chart ${chart.node.path}`)) docs.push(doc);
  }
  const input = policiesFromDocuments(docs, options);
  return {
    skipped: input.skipped,
    policies: input.policies.map((p) => {
      const namespace = p.kind === 'ClusterNetworkPolicy' ? undefined : p.namespace;
      const path = paths.get(objectKey(p.kind, namespace, p.name)) ?? paths.get(objectKey(p.kind, undefined, p.name));
      return path ? { ...p, source: { constructPath: path } } : p;
    }),
  };
}

function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}
