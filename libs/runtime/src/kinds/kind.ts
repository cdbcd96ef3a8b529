import { Type, type Static, type TSchema } from '@sinclair/typebox';

export { Type, type Static, type TSchema };

/** Metadata every object carries. Timestamps stay RFC 3339 strings: objects are plain JSON. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** The shape shared by every Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/**
 * A kind as a value: everything a client, informer, controller or manifest generator needs to
 * address objects of one resource. `T` is phantom (the object type) so that
 * `client.resource(Tuple)` and `cache.reader(Tuple)` are typed without casts.
 */
export interface Kind<T extends KubeObject = KubeObject> {
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly listKind: string;
  readonly apiVersion: string; // 'v1' or 'group/version'
  readonly namespaced: boolean;
  /**
   * Custom kinds are served by CRDs. The API server answers strategic-merge patches on them with
   * 415, so the client refuses those before sending.
   */
  readonly custom: boolean;
  /** Phantom marker carrying the object type; never set at run time. */
  readonly __object?: T;
}

export type ObjectOf<K> = K extends Kind<infer T> ? T : never;

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface KindDefinition<Spec extends TSchema, Status extends TSchema | undefined> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  categories?: string[];
  description?: string;
  spec: Spec;
  /** Its presence enables the /status subresource: status is then written only through it. */
  status?: Status;
  printerColumns?: PrinterColumn[];
  scale?: ScaleSubresource;
  /**
   * The CRD's `api-approved.kubernetes.io` annotation: required in the groups the Kubernetes
   * project protects (`k8s.io`, `kubernetes.io` and their subdomains), where kube-apiserver
   * refuses a CRD without it. The URL of the API review that approved the group, or a reason
   * starting with `unapproved` (e.g. {@link UNAPPROVED_EXPERIMENTAL}) for a group that never
   * went through one, such as the sample-controller's `samplecontroller.k8s.io`.
   */
  apiApproval?: string;
}

/** The approval value upstream's sample-controller CRD carries: accepted, reported as not conformant. */
export const UNAPPROVED_EXPERIMENTAL =
  "unapproved, experimental-only; please get an approval from Kubernetes API reviewers if you're trying to develop a CRD in the *.k8s.io or *.kubernetes.io groups";

/** The groups kube-apiserver keeps for the Kubernetes project: a CRD there needs `apiApproval`. */
export function isProtectedGroup(group: string): boolean {
  return (
    group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io')
  );
}

/** What kube-apiserver accepts as an approval: a URL with scheme and host, or a reason starting with `unapproved`. */
const APPROVAL = /^(unapproved|[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#\s]*@)?[^@/?#\s]+(?:[/?#]\S*)?$)/;

type StatusOf<S> = S extends TSchema ? { status?: Static<S> } : { status?: undefined };

export type CustomObject<Spec extends TSchema, Status extends TSchema | undefined> = KubeObject & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Static<Spec>;
} & StatusOf<Status>;

export interface CustomKind<T extends KubeObject = KubeObject> extends Kind<T> {
  readonly custom: true;
  readonly definition: KindDefinition<TSchema, TSchema | undefined>;
}

export class InvalidKindError extends Error {
  readonly code = 'InvalidKind';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKindError';
  }
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Declares a custom kind once: its API identity, its schema (TypeBox, so the TS type and the
 * CRD's openAPIV3Schema come from the same source) and its printer columns. The group must be
 * a DNS subdomain with a dot, as the API server requires for CRDs.
 */
export function defineKind<Spec extends TSchema, Status extends TSchema | undefined = undefined>(
  def: KindDefinition<Spec, Status>,
): CustomKind<CustomObject<Spec, Status>> {
  if (!def.group.includes('.')) {
    throw new InvalidKindError(
      `kind ${def.kind}: group "${def.group}" must contain a dot (CRD groups are DNS subdomains)`,
    );
  }
  if (isProtectedGroup(def.group) && !APPROVAL.test(def.apiApproval ?? '')) {
    throw new InvalidKindError(
      `kind ${def.kind}: group "${def.group}" is protected by the Kubernetes project: set apiApproval to the URL of its API review, or to a reason starting with "unapproved" (UNAPPROVED_EXPERIMENTAL); kube-apiserver refuses the CRD otherwise`,
    );
  }
  if (def.apiApproval !== undefined && !isProtectedGroup(def.group)) {
    throw new InvalidKindError(
      `kind ${def.kind}: apiApproval is only for the k8s.io and kubernetes.io groups, not "${def.group}"`,
    );
  }
  if (!DNS_LABEL.test(def.plural)) {
    throw new InvalidKindError(`kind ${def.kind}: plural "${def.plural}" must be a lowercase DNS label`);
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(def.kind)) {
    throw new InvalidKindError(`kind "${def.kind}" must be CamelCase starting with an upper-case letter`);
  }
  return Object.freeze({
    group: def.group,
    version: def.version,
    kind: def.kind,
    plural: def.plural,
    singular: def.singular ?? def.kind.toLowerCase(),
    listKind: def.listKind ?? `${def.kind}List`,
    apiVersion: `${def.group}/${def.version}`,
    namespaced: def.scope === 'Namespaced',
    custom: true as const,
    definition: def,
  });
}

export interface BuiltinKindOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  singular?: string;
}

/** A kind compiled into the API server (core or built-in groups); typed by a plain interface. */
export function builtinKind<T extends KubeObject>(opts: BuiltinKindOptions): Kind<T> {
  return Object.freeze({
    group: opts.group,
    version: opts.version,
    kind: opts.kind,
    plural: opts.plural,
    singular: opts.singular ?? opts.kind.toLowerCase(),
    listKind: `${opts.kind}List`,
    apiVersion: opts.group === '' ? opts.version : `${opts.group}/${opts.version}`,
    namespaced: opts.namespaced,
    custom: false,
  });
}

export function isCustomKind(kind: Kind<KubeObject>): kind is CustomKind {
  return kind.custom && 'definition' in kind;
}

/** `plural.group` (or just `plural` for the core group): how RBAC and error messages name it. */
export function resourceName(kind: Kind<KubeObject>): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}
