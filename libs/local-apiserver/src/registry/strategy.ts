import type { FieldError, KubeObject, ResourceType } from '../types.ts';
import type { ObjectStore } from '../store/object-store.ts';

/** What a strategy may consult besides the objects themselves. */
export interface StrategyContext {
  store: ObjectStore;
  now: Date;
}

/**
 * Per-type behaviour the real server keeps in its registry strategies (rest.RESTCreateStrategy
 * and friends): defaulting, what create/update may change, validation, generation tracking.
 */
export interface Strategy {
  /**
   * How generation moves on update: `none` (no generation field), `spec` (spec changes),
   * `specAndAnnotations` (Deployment, DEP-3), `nonMetadata` (any change outside metadata, CRs).
   */
  generation: 'none' | 'spec' | 'specAndAnnotations' | 'nonMetadata';
  /** PUT without resourceVersion overwrites (UPD-4); false for CRs. */
  allowUnconditionalUpdate: boolean;
  /** DELETE answers with the object instead of a Status (DEL-1). */
  returnDeletedObject: boolean;
  /**
   * The group of the internal type the registry validates, when it is not the API's own: an
   * events.k8s.io/v1 Event is validated as the core Event it is stored as, so its 422 names
   * `Event "n"` without a group (EV-2).
   */
  validationGroup?: string;
  /** Name rule (NAME-1). */
  nameValidation: 'subdomain' | 'label' | 'dns1035' | 'pathSegment';
  /** Version-level defaulting (SetDefaults_*), run on every decode of a write. */
  defaults?(obj: KubeObject, rt: ResourceType): void;
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Main-resource update: keep what the main endpoint may not change (status, allocations). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** /status update: start from the stored object and take only what the status endpoint may change. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): KubeObject;
  validate?(obj: KubeObject, old: KubeObject | undefined, rt: ResourceType): FieldError[];
  /** The strategy's validate checks ObjectMeta itself, or not at all (core Events: legacy rules only). */
  ownsObjectMetaValidation?: boolean;
  /** /status writes: what the status endpoint checks (Job status rules, JOB-3). */
  validateStatus?(obj: KubeObject, old: KubeObject, rt: ResourceType): FieldError[];
  /** Request version → storage form (events.k8s.io Events are stored as core Events). */
  toStorage?(obj: KubeObject): KubeObject;
  /** Storage form → the request version. */
  fromStorage?(obj: KubeObject, rt: ResourceType): KubeObject;
}
