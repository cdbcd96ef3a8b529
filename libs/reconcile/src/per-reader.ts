import type { CacheReader } from './context.ts';
import type { KubeObject } from './object.ts';

/** A cache reader that can report what it sees: the state kept per reader needs its events. */
export type WatchedReader = Required<Pick<CacheReader<KubeObject>, 'addHandler'>>;

/**
 * One `T` per cache reader, made on first use and kept as long as the reader lives. Undefined
 * for a reader that cannot report what it sees (no addHandler): then nothing is kept.
 */
export function perReader<T>(make: (reader: WatchedReader) => T): (reader: CacheReader<KubeObject>) => T | undefined {
  const byReader = new WeakMap<object, T>();
  return (reader) => {
    if (!reader.addHandler) return undefined;
    let kept = byReader.get(reader);
    if (kept === undefined) byReader.set(reader, (kept = make(reader as WatchedReader)));
    return kept;
  };
}
