import {
  OWNER_UID_INDEX,
  type CacheReader,
  type DeleteOptions,
  type HelperContext,
  type KindRef,
  type Writer,
} from './context.ts';
import { ApiError } from '@kubeloop/runtime';
import { cloneJson, type KubeObject } from './object.ts';
import { controllerOf } from './owner-references.ts';

/**
 * An in-memory stand-in for the runtime's client and cache, for unit tests of the helpers only:
 * it implements resourceVersion conflicts, uid preconditions and status isolation, and lets a
 * test make the cache lag behind the server. Integration tests use envtest instead.
 */
export class FakeCluster {
  readonly store = new Map<string, KubeObject>();
  /** What the cache shows; `sync()` copies the store into it. */
  cacheStore = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  private rv = 1;
  private uid = 1;
  /** Simulates server-side defaulting on create/update. */
  defaulter: (obj: KubeObject) => void = () => {};
  /** Simulates validation: a message here refuses the create/update with 422 Invalid, as the server does. */
  validator: (obj: KubeObject) => string | undefined = () => undefined;

  private validate(obj: KubeObject): void {
    const message = this.validator(obj);
    if (message !== undefined)
      throw new ApiError(422, { kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422, message });
  }

  private key(kind: KindRef, ns: string | undefined, name: string) {
    return `${kind.kind}/${ns ?? ''}/${name}`;
  }

  /** Cache reads by name (reader.get), to tell a walk of every child from a look at the changed ones. */
  reads = 0;
  private readonly readers = new Map<string, CacheReader<KubeObject>>();
  private readonly handlers = new Map<string, Parameters<NonNullable<CacheReader<KubeObject>['addHandler']>>[0][]>();

  /** Copies the store into the cache, and tells each kind's handlers what changed, as an informer does. */
  sync(): void {
    const before = this.cacheStore;
    this.cacheStore = new Map([...this.store].map(([k, v]) => [k, Object.freeze(cloneJson(v))]));
    const handlersOf = (key: string) => this.handlers.get(key.slice(0, key.indexOf('/'))) ?? [];
    for (const [key, obj] of this.cacheStore) {
      const old = before.get(key);
      for (const h of handlersOf(key)) {
        if (!old) h.add?.(obj, false);
        else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) h.update?.(old, obj);
      }
    }
    for (const [key, old] of before)
      if (!this.cacheStore.has(key)) for (const h of handlersOf(key)) h.delete?.(old, false);
  }

  seed<T extends KubeObject>(kind: KindRef<T>, obj: T): T {
    const o = cloneJson(obj);
    o.metadata.uid ??= `uid-${this.uid++}`;
    o.metadata.resourceVersion = String(this.rv++);
    o.metadata.generation ??= 1;
    this.defaulter(o);
    this.store.set(this.key(kind, o.metadata.namespace, o.metadata.name!), o);
    this.sync();
    return cloneJson(o);
  }

  context(): HelperContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the Writer's object-literal methods have their own `this`; `self` is the cluster they write to
    const self = this;
    return {
      client: {
        resource<T extends KubeObject>(kind: KindRef<T>): Writer<T> {
          const k = (ns: string | undefined, n: string) => self.key(kind, ns, n);
          const conflict = (msg: string) => Object.assign(new Error(msg), { code: 409 });
          return {
            async get(ns, name) {
              self.calls.push(`get ${name}`);
              const o = self.store.get(k(ns, name));
              return o ? (cloneJson(o) as T) : undefined;
            },
            async create(obj) {
              self.calls.push(`create ${obj.metadata.name}`);
              self.validate(obj);
              if (self.store.has(k(obj.metadata.namespace, obj.metadata.name!))) throw conflict('AlreadyExists');
              const o = cloneJson(obj) as T & { status?: unknown };
              delete o.status;
              o.metadata.uid = `uid-${self.uid++}`;
              o.metadata.resourceVersion = String(self.rv++);
              o.metadata.generation = 1;
              self.defaulter(o);
              self.store.set(k(o.metadata.namespace, o.metadata.name!), o);
              return cloneJson(o);
            },
            async update(obj) {
              self.calls.push(`update ${obj.metadata.name}`);
              self.validate(obj);
              const cur = self.store.get(k(obj.metadata.namespace, obj.metadata.name!)) as
                (T & { status?: unknown; spec?: unknown }) | undefined;
              if (!cur) throw Object.assign(new Error('NotFound'), { code: 404 });
              if (cur.metadata.resourceVersion !== obj.metadata.resourceVersion) throw conflict('Conflict');
              const o = cloneJson(obj) as T & { status?: unknown; spec?: unknown };
              o.status = cur.status; // status subresource: ignored on the main resource
              self.defaulter(o);
              o.metadata.generation =
                JSON.stringify(o.spec) === JSON.stringify(cur.spec)
                  ? cur.metadata.generation
                  : (cur.metadata.generation ?? 1) + 1;
              o.metadata.resourceVersion = String(self.rv++);
              self.store.set(k(o.metadata.namespace, o.metadata.name!), o);
              return cloneJson(o);
            },
            async updateStatus(obj) {
              self.calls.push(`updateStatus ${obj.metadata.name}`);
              const cur = self.store.get(k(obj.metadata.namespace, obj.metadata.name!)) as
                (T & { status?: unknown }) | undefined;
              if (!cur) throw Object.assign(new Error('NotFound'), { code: 404 });
              if (cur.metadata.resourceVersion !== obj.metadata.resourceVersion) throw conflict('Conflict');
              const o = cloneJson(cur);
              o.status = cloneJson((obj as T & { status?: unknown }).status);
              o.metadata.resourceVersion = String(self.rv++);
              self.store.set(k(o.metadata.namespace, o.metadata.name!), o);
              return cloneJson(o);
            },
            async patchStatus(ns, name, patch, type = 'merge') {
              self.calls.push(`patchStatus ${name}`);
              if (type !== 'merge') throw new Error('FakeCluster: only merge patches');
              const cur = self.store.get(k(ns, name)) as (T & { status?: unknown }) | undefined;
              if (!cur) throw Object.assign(new Error('NotFound'), { code: 404 });
              const o = cloneJson(cur);
              o.status = applyMergePatch(o.status, (patch as { status?: unknown }).status);
              o.metadata.resourceVersion = String(self.rv++);
              self.store.set(k(ns, name), o);
              return cloneJson(o);
            },
            async delete(ns, name, opts?: DeleteOptions) {
              self.calls.push(`delete ${name}`);
              const cur = self.store.get(k(ns, name));
              if (!cur) return false;
              if (opts?.preconditions?.uid && opts.preconditions.uid !== cur.metadata.uid)
                throw conflict('Precondition failed: UID');
              if (cur.metadata.finalizers?.length) {
                cur.metadata.deletionTimestamp ??= '2026-01-01T00:00:00Z';
                return true;
              }
              self.store.delete(k(ns, name));
              return true;
            },
          };
        },
      },
      cache: {
        reader<T extends KubeObject>(kind: KindRef<T>): CacheReader<T> {
          const known = self.readers.get(kind.kind);
          if (known) return known as unknown as CacheReader<T>;
          const reader: CacheReader<T> = {
            get: (ns, name) => {
              self.reads++;
              return self.cacheStore.get(self.key(kind, ns, name)) as T | undefined;
            },
            addHandler: (h) => {
              const list = self.handlers.get(kind.kind) ?? [];
              self.handlers.set(kind.kind, [...list, h as never]);
              return () =>
                self.handlers.set(
                  kind.kind,
                  (self.handlers.get(kind.kind) ?? []).filter((x) => x !== h),
                );
            },
            byIndex: (index, value) => {
              if (index !== OWNER_UID_INDEX) throw new Error(`no index ${index}`);
              return [...self.cacheStore.entries()]
                .filter(([key, o]) => key.startsWith(`${kind.kind}/`) && controllerOf(o)?.uid === value)
                .map(([, o]) => o as T);
            },
          };
          self.readers.set(kind.kind, reader as unknown as CacheReader<KubeObject>);
          return reader;
        },
      },
    };
  }
}

/** RFC 7386, as the API server applies `application/merge-patch+json`. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
