import type { KubeObject } from '../kinds/kind.ts';
import { ConnectionError, type RequestDescription, type Status } from './errors.ts';
import { JsonLineDecoder, MalformedStreamError } from './json-lines.ts';
import type { Transport } from './transport.ts';

export type WatchEvent<T> =
  { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T } | { type: 'ERROR'; object: Status };

export interface WatchRequest {
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  describe: RequestDescription;
  signal?: AbortSignal;
  onActivity?: () => void;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Validates one decoded line as a watch event. */
export function toWatchEvent<T extends KubeObject>(value: unknown): WatchEvent<T> {
  const v = value as { type?: unknown; object?: unknown };
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.type !== 'string' ||
    !EVENT_TYPES.has(v.type) ||
    !v.object ||
    typeof v.object !== 'object'
  ) {
    throw new MalformedStreamError(`watch stream: not a watch event: ${JSON.stringify(value).slice(0, 200)}`);
  }
  return v as WatchEvent<T>;
}

export async function* watchStream<T extends KubeObject>(
  transport: Transport,
  req: WatchRequest,
): AsyncGenerator<WatchEvent<T>> {
  if (req.signal?.aborted) return;
  let res;
  try {
    res = await transport.stream({ path: req.path, query: req.query, describe: req.describe, signal: req.signal });
  } catch (err) {
    if (req.signal?.aborted) return;
    throw err;
  }
  req.onActivity?.();
  const decoder = new JsonLineDecoder();
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      req.onActivity?.();
      for (const value of decoder.push(chunk)) yield toWatchEvent<T>(value);
    }
    // A response that ends without its final chunk (connection reset) is a break, not a close.
    if (!res.complete) {
      if (req.signal?.aborted) return;
      throw new ConnectionError(`watch ${req.describe.resource}: stream cut`);
    }
    for (const value of decoder.end()) yield toWatchEvent<T>(value);
  } catch (err) {
    if (req.signal?.aborted) return;
    if (err instanceof MalformedStreamError || err instanceof ConnectionError) throw err;
    throw new ConnectionError(`watch ${req.describe.resource}: ${(err as Error).message}`, { cause: err });
  } finally {
    res.destroy();
  }
}
