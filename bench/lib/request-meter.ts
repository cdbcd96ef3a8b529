import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isWriteVerb, requestInfo, type RequestInfo } from './request-info.ts';

/** Counts for one `verb resource` pair. */
export interface RequestCount {
  count: number;
  /** HTTP status → answers (watches count when their stream ends). */
  codes: Record<string, number>;
  /** Sum of request→response-end milliseconds over answered non-watch requests. */
  totalMs: number;
}

export interface MeterSnapshot {
  /** `"create numbers"` → counts. */
  byKey: Record<string, RequestCount>;
  /** `"create"` → requests. */
  byVerb: Record<string, number>;
  total: number;
  writes: number;
  /** Writes answered 409 Conflict. */
  conflicts: number;
  /** Most writes ever in flight at once. */
  peakWritesInFlight: number;
}

/** A finished request, for scenarios that time individual writes (latency). */
export interface RequestEvent extends RequestInfo {
  status: number;
  /** Epoch milliseconds (sub-ms precision) when the response ended: comparable across processes. */
  endedAt: number;
}

const START = 'http.client.request.start';
const FINISH = 'http.client.response.finish';
const ERROR = 'http.client.request.error';

interface Pending {
  info: RequestInfo;
  key: string;
  started: number;
  write: boolean;
}

export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Counts every HTTP request this process sends, by verb and resource, through Node's
 * `diagnostics_channel` hooks in node:http (https rides on the same ClientRequest). It sees what
 * the client really put on the wire — retries, relists, watches — against any server, local or
 * real, without a proxy hop that would add latency and a third busy process on a small machine,
 * and without hooks into the server.
 */
export class RequestMeter {
  private byKey = new Map<string, RequestCount>();
  private pending = new WeakMap<ClientRequest, Pending>();
  private writesInFlight = 0;
  private peakWrites = 0;
  private listeners = new Set<(e: RequestEvent) => void>();
  private active = false;

  private readonly onStart = (msg: unknown) => {
    const { request } = msg as { request: ClientRequest };
    const info = requestInfo(request.method, request.path);
    const key = `${info.verb} ${info.resource}`;
    const write = isWriteVerb(info.verb);
    this.pending.set(request, { info, key, started: performance.now(), write });
    this.entry(key).count++;
    if (write) {
      this.writesInFlight++;
      this.peakWrites = Math.max(this.peakWrites, this.writesInFlight);
    }
  };

  private readonly onFinish = (msg: unknown) => {
    const { request, response } = msg as { request: ClientRequest; response: IncomingMessage };
    this.settle(request, response.statusCode ?? 0);
  };

  private readonly onError = (msg: unknown) => {
    this.settle((msg as { request: ClientRequest }).request, 0);
  };

  start(): this {
    if (this.active) return this;
    this.active = true;
    dc.subscribe(START, this.onStart);
    dc.subscribe(FINISH, this.onFinish);
    dc.subscribe(ERROR, this.onError);
    return this;
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    dc.unsubscribe(START, this.onStart);
    dc.unsubscribe(FINISH, this.onFinish);
    dc.unsubscribe(ERROR, this.onError);
  }

  /** Forget the counts (in-flight requests still settle, their codes land in the new period). */
  reset(): void {
    this.byKey = new Map();
    this.peakWrites = this.writesInFlight;
  }

  /** Called for every answered request while subscribed; returns an unsubscribe function. */
  onRequest(fn: (e: RequestEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): MeterSnapshot {
    const byKey: Record<string, RequestCount> = {};
    const byVerb: Record<string, number> = {};
    let total = 0;
    let writes = 0;
    let conflicts = 0;
    for (const [key, c] of [...this.byKey].sort(([a], [b]) => a.localeCompare(b))) {
      byKey[key] = { count: c.count, codes: { ...c.codes }, totalMs: Math.round(c.totalMs) };
      const verb = key.slice(0, key.indexOf(' '));
      byVerb[verb] = (byVerb[verb] ?? 0) + c.count;
      total += c.count;
      if (isWriteVerb(verb)) {
        writes += c.count;
        conflicts += c.codes['409'] ?? 0;
      }
    }
    return { byKey, byVerb, total, writes, conflicts, peakWritesInFlight: this.peakWrites };
  }

  private settle(request: ClientRequest, status: number): void {
    const p = this.pending.get(request);
    if (!p) return;
    this.pending.delete(request);
    if (p.write) this.writesInFlight--;
    const c = this.entry(p.key);
    c.codes[String(status)] = (c.codes[String(status)] ?? 0) + 1;
    if (p.info.verb !== 'watch') c.totalMs += performance.now() - p.started;
    if (this.listeners.size > 0) {
      const event: RequestEvent = { ...p.info, status, endedAt: epochMs() };
      for (const fn of this.listeners) fn(event);
    }
  }

  private entry(key: string): RequestCount {
    let c = this.byKey.get(key);
    if (!c) this.byKey.set(key, (c = { count: 0, codes: {}, totalMs: 0 }));
    return c;
  }
}

/** Writes to `resource` (e.g. `numbers`, `numbers/status`) in a snapshot, any write verb. */
export function writesTo(
  s: MeterSnapshot,
  resource: string,
  verbs: string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'],
): number {
  return verbs.reduce((sum, v) => sum + (s.byKey[`${v} ${resource}`]?.count ?? 0), 0);
}
