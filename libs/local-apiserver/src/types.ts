/**
 * Shared shapes of local-apiserver: the objects it stores, the resource types its registry
 * serves, and the hook points where the CRD-schema, OpenAPI, Table and admission modules plug
 * into the request pipeline. Everything here is plain data or plain functions so that the
 * modules can be unit-tested without a server.
 */

/**
 * Any JSON object, its shape checked as the code reads it (request bodies, patches, objects of
 * kinds the server knows only by their schema).
 */
export type Obj = Record<string, unknown>;

/** A Kubernetes object exactly as JSON carries it (never class instances, never Date objects). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** One entry of a CRD's `spec.versions` (apiextensions.k8s.io/v1), as stored. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: ScaleSubresource;
  };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

/** A CRD's `spec.names` or `status.acceptedNames` (apiextensions.k8s.io/v1), as stored. */
export interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** OpenAPI v3 schema node as written in a CRD (loosely typed on purpose: it is user input). */
export interface JsonSchemaProps {
  type?: string;
  properties?: Record<string, JsonSchemaProps>;
  items?: JsonSchemaProps;
  additionalProperties?: JsonSchemaProps | boolean;
  required?: string[];
  [key: string]: unknown;
}

/**
 * A resource the server serves at one group/version. Built-ins come from a fixed table; CRD
 * versions are added when their CRD has accepted names and removed when it goes away.
 */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Discovery verbs of the main resource, in the order discovery lists them. */
  verbs: string[];
  subresources: {
    status: boolean;
    scale?: ScaleSubresource;
    /** Namespace only: PUT namespaces/{n}/finalize. */
    finalize?: boolean;
  };
  /**
   * Identity of the underlying storage. Several resource types can share it (every version of a
   * CRD; core/v1 and events.k8s.io/v1 Events). Format: `<group>/<plural>` of the storage owner.
   */
  storageKey: string;
  /** `custom` = a CR served from a CRD; `builtin` = from the built-in table. */
  origin: 'builtin' | 'custom';
  /** For custom resources: the CRD object and the spec.versions entry of this version. */
  crd?: { object: KubeObject; version: CrdVersion };
  /** Field selector labels supported beyond metadata.name/metadata.namespace (FS-2). */
  selectableFields: string[];
}

export type GroupVersionResource = { group: string; version: string; resource: string };

/** `reason` values of a StatusCause produced from field errors (STAT-4). */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

/**
 * One validation failure, rendered exactly like apimachinery's field.Error:
 * `<field>: <Type string>[: <value>][: <detail>]`. `value` is printed for the types that print
 * one (see errors.ts renderFieldError); set `omitValue` when the real server omits it
 * (CEL errors on object nodes). `bodyOverride` replaces the whole body after the field when
 * the real text does not follow the template (e.g. `Too many: 4: must have at most 3 items`).
 */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
  omitValue?: boolean;
  bodyOverride?: string;
}

/** The Status envelope (§10). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}
export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

// ---------------------------------------------------------------------------------------------
// Hook points implemented by the CRD-schema, OpenAPI, Table and admission modules.
// ---------------------------------------------------------------------------------------------

/** A CRD version's openAPIV3Schema prepared for repeated use (src/crd-schema). */
export interface CompiledSchema {
  /**
   * Validate a whole CR (`subresource: 'status'` validates only `.status`, with messages
   * relative to status as in CRD-VAL-3). `old` enables ratcheting when supported.
   */
  validate(
    obj: KubeObject,
    ctx: { kind: string; group: string; name: string; subresource?: 'status'; old?: KubeObject },
  ): FieldError[];
  /** Apply schema defaults in place (CRD-P-2, CRD-P-3). */
  applyDefaults(obj: KubeObject): void;
  /** Drop unknown fields in place and return their paths, e.g. `spec.foo` (CRD-P-1). */
  prune(obj: KubeObject): string[];
}

export interface CrdSchemaModule {
  compileSchema(openAPIV3Schema: JsonSchemaProps | undefined): CompiledSchema;
  /** Structural checks on a CRD create/update (CRD-1, CRD-9); empty when valid. */
  validateStructural(crd: KubeObject, old?: KubeObject): FieldError[];
}

export interface OpenApiModule {
  /** Body of GET /openapi/v3 (OAPI-2). */
  openApiIndex(types: readonly ResourceType[]): unknown;
  /** Body of GET /openapi/v3/{gvPath} where gvPath is `api/v1` or `apis/{g}/{v}`; undefined → 404. */
  openApiDocument(gvPath: string, types: readonly ResourceType[]): object | undefined;
}

export interface TableOptions {
  includeObject: 'None' | 'Metadata' | 'Object';
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  now?: Date;
}

export interface TableModule {
  /** A meta.k8s.io/v1 Table of the given objects (TBL-1…TBL-4); undefined = no table for this type (fall back to JSON). */
  toTable(rt: ResourceType, objects: readonly KubeObject[], opts: TableOptions): object | undefined;
}

export interface AdmissionRequestAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: ResourceType;
  subresource: string;
  name: string;
  namespace: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
  options: KubeObject;
  /** Labels of the request's namespace (for namespaceSelector); undefined for cluster-scoped. */
  namespaceLabels?: Record<string, string>;
}

export interface AdmissionModule {
  /**
   * Run matching mutating webhooks serially; returns the possibly patched object and warnings.
   * Throws a StatusError (src/errors.ts) when a webhook denies or fails under failurePolicy Fail.
   */
  mutate(
    attrs: AdmissionRequestAttributes,
    configurations: readonly KubeObject[],
  ): Promise<{ object?: KubeObject; warnings: string[] }>;
  /** Run matching validating webhooks in parallel; throws a StatusError on denial. */
  validate(attrs: AdmissionRequestAttributes, configurations: readonly KubeObject[]): Promise<{ warnings: string[] }>;
}

// ---------------------------------------------------------------------------------------------
// What an in-process controller (GC, namespace, CRD, deployment simulation) can use.
// Writes go through the same code path as HTTP requests: they bump RVs and emit watch events.
// ---------------------------------------------------------------------------------------------

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A committed change in storage form (storage version, e.g. core/v1 for Events). */
export interface StoreEvent {
  type: WatchEventType;
  rv: number;
  storageKey: string;
  object: KubeObject;
  /** State before the change (MODIFIED, DELETED). */
  oldObject?: KubeObject;
}

export interface ControllerDeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ControllerApi {
  /** Resource types currently served (built-ins and established CRD versions). */
  resourceTypes(): readonly ResourceType[];
  get(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined;
  list(gvr: GroupVersionResource, namespace?: string): KubeObject[];
  create(gvr: GroupVersionResource, obj: KubeObject): Promise<KubeObject>;
  update(gvr: GroupVersionResource, obj: KubeObject, opts?: { subresource?: 'status' }): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386). */
  mergePatch(
    gvr: GroupVersionResource,
    namespace: string,
    name: string,
    patch: unknown,
    opts?: { subresource?: 'status' },
  ): Promise<KubeObject>;
  delete(gvr: GroupVersionResource, namespace: string, name: string, opts?: ControllerDeleteOptions): Promise<void>;
  /** Every committed change of every resource; returns an unsubscribe function. */
  onChange(listener: (e: StoreEvent) => void): () => void;
}

/** A long-running in-process controller started by the server. */
export interface InProcessController {
  stop(): void;
}
