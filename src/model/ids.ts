/**
 * Endpoint ids, in one place: a pod is `namespace/name`, an external is its name (which never contains
 * "/"), a policy is `namespace/name`. Every layer builds and reads ids through these helpers.
 */

/** `namespace/name`. */
export function idOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The id of a pod, a policy, or any namespaced object. */
export function objectId(o: { readonly namespace: string; readonly name: string }): string {
  return `${o.namespace}/${o.name}`;
}

/** Pod ids are `namespace/name`; external names never contain "/". */
export function isPodId(id: string): boolean {
  return id.includes('/');
}
