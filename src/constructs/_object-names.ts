/**
 * Internal: the names netproof charts give objects, and the checks that keep the objects of an app
 * apart: readable object names (the construct path below the chart, no hash), no two objects of one
 * kind with one name in one namespace, and no readable workload selector that also selects the pods of
 * another workload.
 */
import { ApiObject, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeSelector, matchesLabels } from '../model/selector';
import { ADDRESS_LABEL, NAME_LABEL, podTemplatesOf, readableSelectionsOf, workloadPodLabels } from '../values/selector';

/**
 * The readable name of `apiObject` in the chart `chart`: its construct path below the chart as a DNS
 * label (`checkout`, `checkout-service`), without cdk8s's hash; undefined when nothing of the path is
 * left (an object whose id is `Resource` or `Default`).
 */
export function readableObjectName(chart: IConstruct, apiObject: ApiObject): string | undefined {
  const below = apiObject.node.scopes.slice(chart.node.scopes.length).map((s) => s.node.id);
  const stand = { node: { path: below.join('/') } } as unknown as IConstruct;
  const name = Names.toDnsLabel(stand as any, { includeHash: false, maxLen: apiObject.kind === 'CronJob' ? 52 : undefined });
  return name === '' ? undefined : name;
}

/** `apiVersion kind namespace/name` of an object, or undefined when it has no name yet. */
function objectKey(o: ApiObject): string | undefined {
  const name = o.metadata.name;
  if (name === undefined) return undefined;
  return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${name}`;
}

/**
 * Errors for objects of the app of `root` that share apiVersion, kind, namespace and name with an
 * earlier object (`kubectl apply` would keep only the last one), as `<path>: <message>`.
 */
export function duplicateObjectErrors(root: IConstruct): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const key = objectKey(c);
    if (key === undefined) continue;
    const other = seen.get(key);
    if (other === undefined) { seen.set(key, c.node.path); continue; }
    const ns = c.metadata.namespace;
    errors.push(`${c.node.path}: a ${c.kind} named "${c.metadata.name}"${ns ? ` in namespace "${ns}"` : ''} is also written by ${other}; ` +
      'kubectl apply would keep only one of them. Give one of them another construct id or metadata.name');
  }
  return errors;
}

/**
 * Errors for workloads selected readably (see `Selector.workload`) whose selector also matches the pod
 * template of another workload or Pod of the same namespace: a policy or intent about one would also be
 * about the other.
 */
export function readableSelectionErrors(root: IConstruct): string[] {
  const selections = readableSelectionsOf(root);
  if (selections.length === 0) return [];
  const templates = podTemplatesOf(root).map((w) => {
    const c = w as unknown as IConstruct;
    return { path: c.node.path, name: w.name, namespace: namespaceOf(c) ?? '', labels: workloadPodLabels(w), object: w };
  });
  const errors: string[] = [];
  for (const s of selections) {
    const self = s.workload as unknown as IConstruct;
    const namespace = namespaceOf(self) ?? '';
    const others = templates.filter((t) => t.object !== s.workload && t.namespace === namespace && matchesLabels(s.selector.model, t.labels));
    if (others.length === 0) continue;
    const how = s.added ? `the label ${NAME_LABEL}=${s.workload.name} netproof gave it` : `its pod template labels ${describeSelector(s.selector.model)}`;
    errors.push(`${self.node.path}: the workload ${namespace ? `${namespace}/` : ''}${s.workload.name} is selected by ${how}, ` +
      `which the pods of ${others.map((o) => { const id = `${namespace ? `${namespace}/` : ''}${o.name}`; return o.path === id ? id : `${id} (${o.path})`; }).join(', ')} also carry, so its policies and intents would also be about them. ` +
      `Give it a label only its pods carry (podMetadata: { labels: { app: '${s.workload.name}' } }), or select its pods with Selector.labels(...) on purpose (the ${ADDRESS_LABEL} hash label cdk8s-plus adds is not used, to keep selectors readable)`);
  }
  return errors;
}

function namespaceOf(c: IConstruct): string | undefined {
  try {
    return ApiObject.of(c).metadata.namespace;
  } catch {
    return (c as any).metadata?.namespace;
  }
}
