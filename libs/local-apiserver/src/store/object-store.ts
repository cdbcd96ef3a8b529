import type { KubeObject, StoreEvent } from '../types.ts';

/** Thrown by eventsSince when the requested RV is older than the retained history. */
export class HistoryExpiredError extends Error {
  readonly code = 'HistoryExpired';
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
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

export function clone<T>(o: T): T {
  return structuredClone(o);
}

/**
 * The etcd of local-apiserver: objects per storage key, one cluster-wide revision counter and a
 * bounded log of committed changes. Watches resume from the log; an RV older than the log gives
 * HistoryExpiredError (the 410 of WATCH-6). Stored objects are deep-frozen, so readers never
 * need to copy and writers must.
 */
export class ObjectStore {
  private rv = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private log: StoreEvent[] = [];
  /** Every event with rv > floor is still in the log. */
  private floor = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(private readonly historySize: number) {}

  get currentRv(): number {
    return this.rv;
  }

  get oldestRetainedRv(): number {
    return this.floor;
  }

  get(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    return this.data.get(storageKey)?.get(objectKey(namespace, name));
  }

  /** Objects ordered by key (namespace, then name), optionally in one namespace. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const m = this.data.get(storageKey);
    if (!m) return [];
    const out: [string, KubeObject][] = [];
    for (const [k, o] of m) {
      if (namespace && o.metadata?.namespace !== namespace) continue;
      out.push([k, o]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map((e) => e[1]);
  }

  storageKeys(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object: assigns the next RV. The object passed in must not be used afterwards. */
  create(storageKey: string, obj: KubeObject): KubeObject {
    const rv = ++this.rv;
    obj.metadata!.resourceVersion = String(rv);
    deepFreeze(obj);
    let m = this.data.get(storageKey);
    if (!m) this.data.set(storageKey, (m = new Map()));
    m.set(objectKey(obj.metadata!.namespace ?? '', obj.metadata!.name!), obj);
    this.emit({ type: 'ADDED', rv, storageKey, object: obj });
    return obj;
  }

  update(storageKey: string, obj: KubeObject): KubeObject {
    const key = objectKey(obj.metadata!.namespace ?? '', obj.metadata!.name!);
    const m = this.data.get(storageKey)!;
    const old = m.get(key)!;
    const rv = ++this.rv;
    obj.metadata!.resourceVersion = String(rv);
    deepFreeze(obj);
    m.set(key, obj);
    this.emit({ type: 'MODIFIED', rv, storageKey, object: obj, oldObject: old });
    return obj;
  }

  /** Removes an object; the DELETED event carries its last state with the deletion RV (WATCH-9). */
  delete(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    const m = this.data.get(storageKey);
    const key = objectKey(namespace, name);
    const old = m?.get(key);
    if (!m || !old) return undefined;
    m.delete(key);
    const rv = ++this.rv;
    const last = clone(old);
    last.metadata!.resourceVersion = String(rv);
    deepFreeze(last);
    this.emit({ type: 'DELETED', rv, storageKey, object: last, oldObject: old });
    return last;
  }

  /** Drops a whole storage key without events (a CRD's data after the CRD is gone). */
  dropStorage(storageKey: string): void {
    this.data.delete(storageKey);
  }

  /** Committed events with rv > since, oldest first. */
  eventsSince(since: number): StoreEvent[] {
    if (since < this.floor) throw new HistoryExpiredError(since, this.floor);
    // The log is ordered by rv; find the first index with rv > since.
    let lo = 0;
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
    this.floor = this.rv;
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    this.log.push(e);
    if (this.log.length > this.historySize) {
      const drop = this.log.length - this.historySize;
      this.floor = this.log[drop - 1].rv;
      this.log.splice(0, drop);
    }
    for (const l of [...this.listeners]) l(e);
  }
}
