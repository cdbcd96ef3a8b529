import type { Kind, KubeObject } from '@kubeloop/runtime';

/**
 * What the helpers need from a reconcile context: the runtime's `ReconcileContext` satisfies
 * these role interfaces structurally, and unit tests pass small fakes. Reads come from the
 * cache (cheap, possibly a little stale); writes go to the API server with the object's
 * resourceVersion, so a stale read ends in a 409 and a retry rather than a lost update.
 */
export type KindRef<T extends KubeObject = KubeObject> = Kind<T>;

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface Writer<T extends KubeObject> {
  get(namespace: string | undefined, name: string): Promise<T | undefined>;
  create(obj: T): Promise<T>;
  update(obj: T): Promise<T>;
  updateStatus(obj: T): Promise<T>;
  patchStatus(namespace: string | undefined, name: string, patch: unknown, type?: 'merge' | 'json'): Promise<T>;
  delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<boolean>;
}

export interface CacheReader<T extends KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  byIndex(indexName: string, value: string): T[];
  /**
   * The cache's change notifications (the runtime's Informer.addHandler): with them,
   * syncOwnedChildren looks only at the children that changed since a parent's last sync.
   */
  addHandler?(handler: {
    add?(obj: T, isInitialList: boolean): void;
    update?(before: T, after: T): void;
    delete?(obj: T, finalStateUnknown: boolean): void;
  }): () => void;
}

export interface HelperContext {
  client: { resource<T extends KubeObject>(kind: KindRef<T>): Writer<T> };
  cache: { reader<T extends KubeObject>(kind: KindRef<T>): CacheReader<T> };
}

export { OWNER_UID_INDEX } from '@kubeloop/runtime';

/** Errors from the runtime's client carry the HTTP status as `code`. */
export function httpCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Where the helpers record Kubernetes Events: the runtime's EventRecorder (never throws, never blocks). */
export interface EventSink {
  normal(obj: KubeObject, reason: string, message: string): void;
  warning(obj: KubeObject, reason: string, message: string): void;
}

/** What the helpers log through: the reconcile's pino child logger. */
export interface LogSink {
  info(fields: object, message: string): void;
}

/** The runtime's WorkInLine: whether an object still waits for its controller's turn in this process. */
export interface WorkSink {
  inLine(kind: KindRef, obj: KubeObject, withinMs: number): boolean;
}

/** A HelperContext that can also record Events (and log): what syncOwnedChildren and reportStatus need. */
export interface ReportingContext extends HelperContext {
  events: EventSink;
  log?: LogSink;
  /** Without it (a test's fake) reportStatus's hold is a fixed time. */
  work?: WorkSink;
}
