import type { KubeConfig } from '@kubernetes/client-node';
import { resourceName, type Kind, type KubeObject, type ListMeta } from '../kinds/kind.ts';
import { silentLogger, type Logger } from '../logging.ts';
import {
  InvalidRequestError,
  isNotFound,
  UnsupportedPatchError,
  type RequestDescription,
  type Status,
} from './errors.ts';
import { Transport, type TransportOptions } from './transport.ts';
import { watchStream, type WatchEvent } from './watch.ts';

export type PatchType = 'merge' | 'json' | 'strategic';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface ClientOptions extends TransportOptions {
  /** Sent as `fieldManager` on every write so server-side field ownership names this manager. */
  fieldManager?: string;
  logger?: Logger;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  signal?: AbortSignal;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
  /** Called for every chunk of bytes received (events, bookmarks, partial lines): liveness. */
  onActivity?: () => void;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  signal?: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Live API access over a kubeconfig. Reads here go to the API server; in a reconciler read
 * from the cache instead (`ctx.cache.reader(kind)`) and use the client for writes.
 */
export class Client {
  readonly transport: Transport;
  readonly fieldManager?: string;
  readonly logger: Logger;
  private readonly handles = new Map<Kind<KubeObject>, ResourceClient<KubeObject>>();

  constructor(
    readonly kubeConfig: KubeConfig,
    opts: ClientOptions = {},
  ) {
    this.logger = opts.logger ?? silentLogger();
    this.transport = new Transport(kubeConfig, { ...opts, logger: this.logger });
    this.fieldManager = opts.fieldManager;
  }

  /** The kubeconfig context's namespace (or the in-cluster pod namespace); 'default' when unset. */
  get defaultNamespace(): string {
    return this.transport.defaultNamespace;
  }

  resource<T extends KubeObject>(kind: Kind<T>): ResourceClient<T> {
    let handle = this.handles.get(kind);
    if (!handle) {
      handle = new ResourceClient<KubeObject>(this, kind);
      this.handles.set(kind, handle);
    }
    return handle as unknown as ResourceClient<T>;
  }

  /** A client sharing this one's connection but writing under another field manager. */
  withFieldManager(fieldManager: string): Client {
    const c = Object.create(Client.prototype) as Client;
    Object.assign(c, this, { fieldManager, handles: new Map() });
    return c;
  }

  close(): void {
    this.transport.close();
  }
}

/** Typed operations on one kind. Cluster-scoped kinds take '' (or undefined) as namespace. */
export class ResourceClient<T extends KubeObject> {
  readonly resource: string;

  constructor(
    private readonly client: Client,
    readonly kind: Kind<T>,
  ) {
    this.resource = resourceName(kind);
  }

  /** Path of the collection or of one object (and subresource). */
  path(namespace: string | undefined, name?: string, subresource?: string): string {
    const k = this.kind;
    let p = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
    if (k.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${k.plural}`;
    if (name !== undefined) {
      if (name === '') throw new InvalidRequestError(`${k.kind}: empty name`);
      if (k.namespaced && !namespace)
        throw new InvalidRequestError(`${k.kind} "${name}" is namespaced: pass its namespace`);
      p += `/${encodeURIComponent(name)}`;
    }
    if (subresource) p += `/${subresource}`;
    return p;
  }

  private describe(verb: string, namespace?: string, name?: string, subresource?: string): RequestDescription {
    return {
      verb,
      resource: this.resource,
      namespace: this.kind.namespaced ? namespace || undefined : undefined,
      name,
      subresource,
    };
  }

  private writeQuery(opts?: WriteOptions) {
    return { fieldManager: this.client.fieldManager, dryRun: opts?.dryRun ? 'All' : undefined };
  }

  /** One object from the API server, or undefined when it does not exist. */
  async get(namespace: string | undefined, name: string, opts: { signal?: AbortSignal } = {}): Promise<T | undefined> {
    try {
      return await this.client.transport.request<T>({
        method: 'GET',
        path: this.path(namespace, name),
        describe: this.describe('get', namespace, name),
        idempotent: true,
        signal: opts.signal,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const list = await this.client.transport.request<ObjectList<T>>({
      method: 'GET',
      path: this.path(opts.namespace),
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
      },
      describe: this.describe('list', opts.namespace),
      idempotent: true,
      signal: opts.signal,
    });
    list.items ??= [];
    list.metadata ??= {};
    // Items in a list carry no apiVersion/kind; fill them so list and watch objects look alike.
    for (const item of list.items) {
      item.apiVersion ??= this.kind.apiVersion;
      item.kind ??= this.kind.kind;
    }
    return list;
  }

  async create(obj: T, opts?: WriteOptions): Promise<T> {
    const ns = this.namespaceOf(obj);
    return this.client.transport.request<T>({
      method: 'POST',
      path: this.path(ns),
      query: this.writeQuery(opts),
      body: { ...obj, apiVersion: this.kind.apiVersion, kind: this.kind.kind },
      describe: this.describe('create', ns, obj.metadata?.name),
      idempotent: false,
      replaySafe: Boolean(obj.metadata?.name),
      signal: opts?.signal,
    });
  }

  /** Full replace; carries metadata.resourceVersion, so a stale object fails with 409 Conflict. */
  async update(obj: T, opts?: WriteOptions): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  /** Writes only `.status` (the /status subresource ignores everything else). */
  async updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.put(obj, 'status', opts);
  }

  private put(obj: T, subresource: string | undefined, opts?: WriteOptions): Promise<T> {
    const ns = this.namespaceOf(obj);
    const name = obj.metadata?.name;
    if (!name) throw new InvalidRequestError(`${this.kind.kind}: update needs metadata.name`);
    return this.client.transport.request<T>({
      method: 'PUT',
      path: this.path(ns, name, subresource),
      query: this.writeQuery(opts),
      body: { ...obj, apiVersion: this.kind.apiVersion, kind: this.kind.kind },
      describe: this.describe('update', ns, name, subresource),
      idempotent: false,
      replaySafe: true,
      signal: opts?.signal,
    });
  }

  async patch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType = 'merge',
    opts?: WriteOptions,
  ): Promise<T> {
    return this.sendPatch(namespace, name, patch, type, undefined, opts);
  }

  async patchStatus(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: 'merge' | 'json' = 'merge',
    opts?: WriteOptions,
  ): Promise<T> {
    return this.sendPatch(namespace, name, patch, type, 'status', opts);
  }

  private sendPatch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType,
    subresource?: string,
    opts?: WriteOptions,
  ): Promise<T> {
    if (type === 'strategic' && this.kind.custom) {
      throw new UnsupportedPatchError(
        `${this.kind.kind} is a custom resource: the API server does not support strategic merge patch on it (415); use 'merge' or 'json'`,
      );
    }
    if (!(type in PATCH_CONTENT_TYPES)) throw new UnsupportedPatchError(`unknown patch type "${String(type)}"`);
    return this.client.transport.request<T>({
      method: 'PATCH',
      path: this.path(namespace, name, subresource),
      query: this.writeQuery(opts),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      describe: this.describe('patch', namespace, name, subresource),
      idempotent: false,
      replaySafe: type !== 'json',
      signal: opts?.signal,
    });
  }

  /**
   * Deletes (or starts deleting, when finalizers are set) one object. Returns false when it was
   * already gone, so cleanup code can be idempotent without catching 404.
   */
  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<boolean> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    try {
      await this.client.transport.request<Status | T>({
        method: 'DELETE',
        path: this.path(namespace, name),
        body,
        describe: this.describe('delete', namespace, name),
        idempotent: false,
        replaySafe: true,
        signal: opts.signal,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Streams watch events until the server ends the watch (timeoutSeconds), the connection
   * breaks (the iterator throws ConnectionError) or `signal` aborts (the iterator just ends).
   * An expired resourceVersion arrives as an ERROR event with a 410 Status, or as ApiError 410.
   */
  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    return watchStream<T>(this.client.transport, {
      path: this.path(opts.namespace),
      query: {
        watch: 'true',
        resourceVersion: opts.resourceVersion,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        timeoutSeconds: opts.timeoutSeconds,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      },
      describe: this.describe('watch', opts.namespace),
      signal: opts.signal,
      onActivity: opts.onActivity,
    });
  }

  private namespaceOf(obj: T): string | undefined {
    if (!this.kind.namespaced) return undefined;
    const ns = obj.metadata?.namespace;
    if (!ns)
      throw new InvalidRequestError(
        `${this.kind.kind} "${obj.metadata?.name ?? obj.metadata?.generateName}" is namespaced: set metadata.namespace`,
      );
    return ns;
  }
}
