import type { KubeObject, StoreEvent } from '../types.ts';
import { StatusError } from '../errors.ts';

/** Thrown by eventsSince when the requested RV is older than the retained history. */
export class HistoryExpiredError extends Error {
  readonly code = 'HistoryExpired';
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/**
 * Deepest nesting local-apiserver stores. kube-apiserver decodes up to 10000 levels (its JSON
 * limit, checked when a body is read); here copies, freezing, patches and JSON.stringify recurse,
 * and V8's stack runs out between 4000 and 5000 levels. Anything deeper is refused before it is
 * stored, so it can never turn every later list and watch into a 500.
 */
export const MAX_STORED_DEPTH = 1000;

/** A value the store cannot hold as JSON data: too deep, not finite, or not plain data. */
export class UnstorableValueError extends StatusError {
  constructor(detail: string) {
    super(400, 'BadRequest', `the object cannot be stored: ${detail}`);
    this.name = 'UnstorableValueError';
  }
}

/**
 * Freezes a value after proving it is JSON data (plain objects, arrays, strings, finite
 * numbers, booleans, null) no deeper than MAX_STORED_DEPTH. Iterative: no value, however deep,
 * can overflow the stack here. Throws UnstorableValueError and freezes nothing when it is not.
 */
export function freezeStorable<T>(root: T): T {
  const seen: object[] = [];
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new UnstorableValueError(`${v} is not a JSON number`);
      continue;
    }
    if (typeof v !== 'object') throw new UnstorableValueError(`a ${typeof v} is not JSON data`);
    if (depth > MAX_STORED_DEPTH)
      throw new UnstorableValueError(
        `it is nested more than ${MAX_STORED_DEPTH} levels deep (local-apiserver's limit; kube-apiserver's is 10000)`,
      );
    if (Object.isFrozen(v)) continue;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null)
      throw new UnstorableValueError(`a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON data`);
    seen.push(v);
    for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
  for (const o of seen) Object.freeze(o);
  return root;
}

/**
 * Refuses a request body or patch nested deeper than the store keeps, before anything recursive
 * (copies, pruning, patch algorithms) walks it. Iterative.
 */
export function assertStorableDepth(root: unknown): void {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_STORED_DEPTH)
      throw new UnstorableValueError(
        `it is nested more than ${MAX_STORED_DEPTH} levels deep (local-apiserver's limit; kube-apiserver's is 10000)`,
      );
    for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
}

export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Deep copy of JSON-shaped data (what every stored object and request body is). A plain
 * recursive copy is ~8x faster than structuredClone on a typical object, and copies run on every
 * read, write and watch event; anything that is not a plain object or array still goes through
 * structuredClone.
 */
export function clone<T>(o: T): T {
  return copyValue(o) as T;
}

function copyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = copyValue(v[i]);
    return a;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = copyValue((v as Record<string, unknown>)[k]);
    // A "__proto__" key from JSON.parse is an own property; plain assignment would set the prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

/**
 * One storage key's objects and their keys in order. Lists page through `sorted` by binary search,
 * so a page costs O(log N + limit) instead of a copy and sort of the whole collection. Writes keep
 * it cheap too: creates only append to `added` and deletes only count, and the next read merges
 * (O(N + k log k) once per batch of k writes, not per write or per page).
 */
interface Collection {
  readonly objects: Map<string, KubeObject>;
  /** Keys in order; may still hold deleted keys while `removed` > 0. Replaced, never mutated. */
  sorted: string[];
  /** Keys created since `sorted` was built (unordered, may repeat). */
  added: string[];
  removed: number;
}

/** A contiguous run of keys in order: `keys[start..end)`, a snapshot callers must not modify. */
export interface KeyRange {
  readonly keys: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly objects: ReadonlyMap<string, KubeObject>;
}

function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function upperBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a committed change is written before the store applies it (the state directory's log,
 * store/state-dir.ts). It throws to refuse the write: then nothing changes in memory either, so
 * no client can ever see a change that a restart would lose.
 */
export interface StoreJournal {
  put(storageKey: string, obj: KubeObject, rv: number): void;
  remove(storageKey: string, namespace: string, name: string, rv: number): void;
  drop(storageKey: string): void;
}

/**
 * The etcd of local-apiserver: objects per storage key, one cluster-wide revision counter and a
 * bounded log of committed changes. Watches resume from the log; an RV older than the log gives
 * HistoryExpiredError (the 410 of WATCH-6). Stored objects are deep-frozen, so readers never
 * need to copy and writers must.
 */
export class ObjectStore {
  private rv = 0;
  private readonly data = new Map<string, Collection>();
  private log: StoreEvent[] = [];
  /**
   * The retained history is log[head..]; dropped events are cut off in bulk once head reaches the
   * history size, so a write costs O(1) instead of a splice of the whole log.
   */
  private head = 0;
  /** Every event with rv > floor is still in the log. */
  private floor = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** Told when a listener throws; the write and the other listeners go on regardless. */
  onListenerError: (error: unknown, event: StoreEvent) => void = (error) =>
    console.error('local-apiserver: a store listener failed', error);
  private readonly dropListeners = new Set<(storageKey: string, dropped: KubeObject[]) => void>();
  /** Set when the server keeps a state directory: every change is journaled before it applies. */
  journal: StoreJournal | undefined;

  constructor(private readonly historySize: number) {}

  /**
   * Loads persisted objects (before anything subscribes) and moves the RV counter to `rv`.
   * History before `rv` is gone: a watch or an exact list from an older RV gets 410 Expired and
   * its client relists, as after an etcd compaction.
   */
  restore(objects: Iterable<[storageKey: string, obj: KubeObject]>, rv: number): void {
    if (this.rv !== 0 || this.data.size !== 0) throw new Error('restore() needs an empty store');
    for (const [storageKey, obj] of objects) {
      freezeStorable(obj);
      let c = this.data.get(storageKey);
      if (!c) this.data.set(storageKey, (c = { objects: new Map(), sorted: [], added: [], removed: 0 }));
      const key = objectKey(obj.metadata!.namespace ?? '', obj.metadata!.name!);
      if (!c.objects.has(key)) c.added.push(key);
      c.objects.set(key, obj);
    }
    this.rv = rv;
    this.floor = rv;
  }

  /** Every stored object with its storage key (for snapshots). */
  *entries(): Generator<[storageKey: string, obj: KubeObject]> {
    for (const [storageKey, c] of this.data) for (const o of c.objects.values()) yield [storageKey, o];
  }

  get currentRv(): number {
    return this.rv;
  }

  get oldestRetainedRv(): number {
    return this.floor;
  }

  get(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    return this.data.get(storageKey)?.objects.get(objectKey(namespace, name));
  }

  /** Objects ordered by key (namespace, then name), optionally in one namespace. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const r = this.keyRange(storageKey, namespace);
    const out = new Array<KubeObject>(r.end - r.start);
    for (let i = r.start; i < r.end; i++) out[i - r.start] = r.objects.get(r.keys[i])!;
    return out;
  }

  /** Number of objects under a storage key, optionally in one namespace, without copying them. */
  count(storageKey: string, namespace?: string): number {
    if (!namespace) return this.data.get(storageKey)?.objects.size ?? 0;
    const r = this.keyRange(storageKey, namespace);
    return r.end - r.start;
  }

  /**
   * The keys in order (namespace, then name), optionally only one namespace's and only those
   * after `after` (a continue token's last key). Names never contain '/', so a namespace's keys
   * are exactly the run from `ns/` up to (not including) `ns0` ('0' follows '/').
   */
  keyRange(storageKey: string, namespace?: string, after?: string): KeyRange {
    const c = this.data.get(storageKey);
    if (!c) return { keys: [], start: 0, end: 0, objects: new Map() };
    const keys = this.sortedKeys(c);
    let start = namespace ? lowerBound(keys, `${namespace}/`) : 0;
    const end = namespace ? lowerBound(keys, `${namespace}0`) : keys.length;
    if (after !== undefined && after !== '') start = Math.max(start, upperBound(keys, after));
    return { keys, start, end: Math.max(start, end), objects: c.objects };
  }

  private sortedKeys(c: Collection): string[] {
    if (c.added.length === 0 && c.removed === 0) return c.sorted;
    const added = c.added.sort();
    const live = c.objects;
    const out: string[] = [];
    const a = c.sorted;
    let i = 0;
    let j = 0;
    let last: string | undefined;
    // Merge two ordered runs, dropping deleted keys and the repeats of deleted-then-recreated ones.
    while (i < a.length || j < added.length) {
      const k = j >= added.length || (i < a.length && a[i] < added[j]) ? a[i++] : added[j++];
      if (k === last || !live.has(k)) continue;
      out.push(k);
      last = k;
    }
    c.sorted = out;
    c.added = [];
    c.removed = 0;
    return out;
  }

  storageKeys(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object: assigns the next RV. The object passed in must not be used afterwards. */
  create(storageKey: string, obj: KubeObject): KubeObject {
    obj.metadata!.resourceVersion = String(this.rv + 1);
    freezeStorable(obj);
    this.journal?.put(storageKey, obj, this.rv + 1);
    const rv = ++this.rv;
    let c = this.data.get(storageKey);
    if (!c) this.data.set(storageKey, (c = { objects: new Map(), sorted: [], added: [], removed: 0 }));
    const key = objectKey(obj.metadata!.namespace ?? '', obj.metadata!.name!);
    if (!c.objects.has(key)) c.added.push(key);
    c.objects.set(key, obj);
    this.emit({ type: 'ADDED', rv, storageKey, object: obj });
    return obj;
  }

  update(storageKey: string, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata!.namespace ?? '', obj.metadata!.name!);
    const m = this.data.get(storageKey)!.objects;
    const old = m.get(key)!;
    obj.metadata!.resourceVersion = String(this.rv + 1);
    freezeStorable(obj);
    this.journal?.put(storageKey, obj, this.rv + 1);
    const rv = ++this.rv;
    m.set(key, obj);
    this.emit({ type: 'MODIFIED', rv, storageKey, object: obj, oldObject: old });
    return obj;
  }

  /** Removes an object; the DELETED event carries its last state with the deletion RV (WATCH-9). */
  delete(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    const c = this.data.get(storageKey);
    const key = objectKey(namespace, name);
    const old = c?.objects.get(key);
    if (!c || !old) return undefined;
    this.journal?.remove(storageKey, namespace, name, this.rv + 1);
    c.objects.delete(key);
    c.removed++;
    const rv = ++this.rv;
    const last = clone(old);
    last.metadata!.resourceVersion = String(rv);
    deepFreeze(last);
    this.emit({ type: 'DELETED', rv, storageKey, object: last, oldObject: old });
    return last;
  }

  /** Drops a whole storage key without events (a CRD's data after the CRD is gone). */
  dropStorage(storageKey: string): void {
    const c = this.data.get(storageKey);
    if (c) this.journal?.drop(storageKey);
    this.data.delete(storageKey);
    if (!c || c.objects.size === 0) return;
    const dropped = [...c.objects.values()];
    for (const l of [...this.dropListeners]) l(storageKey, dropped);
  }

  /** Told about objects that vanish through dropStorage, which emits no events (for indexes kept from events). */
  subscribeDrops(listener: (storageKey: string, dropped: KubeObject[]) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** Committed events with rv > since, oldest first. */
  eventsSince(since: number): StoreEvent[] {
    if (since < this.floor) throw new HistoryExpiredError(since, this.floor);
    // The log is ordered by rv; find the first index with rv > since.
    let lo = this.head;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid].rv <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  /** Forget the history: every RV older than now is expired for watches and exact lists. */
  compact(): void {
    this.log = [];
    this.head = 0;
    this.floor = this.rv;
  }

  /**
   * Resolves true once the store has reached `rv` (at once when it has), or false after
   * `timeoutMs`: how kube-apiserver's watch cache makes a read from a future RV wait.
   */
  whenReached(rv: number, timeoutMs: number): Promise<boolean> {
    if (this.rv >= rv) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(false);
      }, timeoutMs);
      const unsubscribe = this.subscribe((e) => {
        if (e.rv < rv) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(true);
      });
    });
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    this.log.push(e);
    if (this.log.length - this.head > this.historySize) {
      const from = this.head;
      this.head = this.log.length - this.historySize;
      this.floor = this.log[this.head - 1].rv;
      // Dropped events are released now, not at the next bulk cut.
      for (let i = from; i < this.head; i++) (this.log as (StoreEvent | undefined)[])[i] = undefined;
      if (this.head >= this.historySize) {
        this.log = this.log.slice(this.head);
        this.head = 0;
      }
    }
    // One broken watcher or controller must not keep the change from the others.
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (error) {
        this.onListenerError(error, e);
      }
    }
  }
}
