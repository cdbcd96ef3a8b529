import type { KubeObject } from '../kinds/kind.ts';

export type IndexFunc<T> = (obj: T) => string[];

/** The built-in index on every informer: UID of the controller ownerReference → objects. */
export const OWNER_UID_INDEX = 'controllerOwnerUID';

export const controllerOwnerUID: IndexFunc<KubeObject> = (obj) => {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  return ref ? [ref.uid] : [];
};

export class IndexNotFoundError extends Error {
  readonly code = 'IndexNotFound';
  constructor(name: string) {
    super(`no index named "${name}" on this informer; add it with informer.addIndex(name, fn) before cache.start()`);
    this.name = 'IndexNotFoundError';
  }
}

export class IndexConflictError extends Error {
  readonly code = 'IndexConflict';
  constructor(name: string) {
    super(`an index named "${name}" already exists with a different function`);
    this.name = 'IndexConflictError';
  }
}

export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name!;
}

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * Objects by namespace/name plus secondary indexes. Objects are stored as given (the informer
 * freezes them first); replace() builds the new contents completely before swapping them in,
 * so a reader never sees a half-filled store during a relist.
 */
export class Store<T extends KubeObject> {
  private items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private indices = new Map<string, Map<string, Set<string>>>();

  get size(): number {
    return this.items.size;
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    const existing = this.indexers.get(name);
    if (existing) {
      if (existing === fn) return;
      throw new IndexConflictError(name);
    }
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    for (const [key, obj] of this.items) addToIndex(index, fn(obj), key);
    this.indices.set(name, index);
  }

  hasIndex(name: string): boolean {
    return this.indexers.has(name);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new IndexNotFoundError(name);
    const keys = index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const obj = this.items.get(k);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** Inserts or replaces; returns the previous object. */
  set(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) addToIndex(this.indices.get(name)!, fn(obj), key);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Swaps in a complete new content; returns the previous content for diffing. */
  replace(objs: T[]): Map<string, T> {
    const items = new Map<string, T>();
    for (const obj of objs) items.set(keyOf(obj), obj);
    const indices = new Map<string, Map<string, Set<string>>>();
    for (const [name, fn] of this.indexers) {
      const index = new Map<string, Set<string>>();
      for (const [key, obj] of items) addToIndex(index, fn(obj), key);
      indices.set(name, index);
    }
    const old = this.items;
    this.items = items;
    this.indices = indices;
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const set = index.get(value);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) index.delete(value);
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const value of values) {
    let set = index.get(value);
    if (!set) index.set(value, (set = new Set()));
    set.add(key);
  }
}
