/** Objects of an input that a parser does not model: reported to the user, never dropped silently. */

/** A Kubernetes object found in an input that the parser does not model. */
export interface SkippedObject {
  readonly file: string;
  /** Zero-based document index within the file (object index for in-memory input). */
  readonly index: number;
  /** Zero-based item index when the object was inside a `List`. */
  readonly item?: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Why a kind the parser otherwise reads was left out (e.g. a host-network pod). */
  readonly reason?: string;
}

/** `policies/app.yaml#2 Deployment/shop/web` (`...#0 items[3] ...` inside a List; the reason in parentheses). */
export function describeSkipped(s: SkippedObject): string {
  const ns = s.namespace ? `${s.namespace}/` : '';
  const item = s.item !== undefined ? ` items[${s.item}]` : '';
  return `${s.file}#${s.index}${item} ${s.kind}/${ns}${s.name}${s.reason !== undefined ? ` (${s.reason})` : ''}`;
}
