import { hostname } from 'node:os';
import type { Client, ResourceClient } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import { Event as EventKind, type Event } from '../kinds/builtin.ts';
import type { KubeObject } from '../kinds/kind.ts';
import { realClock, type Clock } from '../queue/clock.ts';
import { silentLogger, type Logger } from '../logging.ts';

export interface EventRecorderOptions {
  /** The manager's name: `source.component` and `reportingComponent`. */
  component: string;
  /** `reportingInstance` / `source.host`; default: the pod name (HOSTNAME) or host name. */
  instance?: string;
  logger?: Logger;
  clock?: Clock;
  /** A repeat within this window bumps `count` instead of creating an Event. Default 10 min. */
  aggregationWindowMs?: number;
  /** Remembered event keys (LRU). Default 4096, as client-go's cache. */
  maxKeys?: number;
  /**
   * Event writes in flight. Default 1, as client-go's broadcaster (one sink goroutine writes them
   * in order): Events then queue behind each other instead of competing with the controllers'
   * object writes for the API server, and repeats queued meanwhile fold into one write.
   */
  maxInFlight?: number;
}

interface Queued {
  key: string;
  namespace: string;
  ref: Event['involvedObject'];
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Occurrences folded into this one write (repeats recorded before it started). */
  times: number;
  /** Clock times of the first and the last occurrence: the Event tells when it happened, not when the queue got to it. */
  first: number;
  last: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
}

/**
 * Records core/v1 Events about objects, as `kubectl describe` shows them. Aggregates like
 * client-go: the same object+type+reason+message again within the window PATCHes `count` and
 * `lastTimestamp` of the existing Event. Never blocks and never throws into a reconcile — an
 * Event is a courtesy to humans; failures are logged and dropped.
 *
 * Cheap by construction: Events go out in the background, `maxInFlight` at a time in the order
 * they were recorded (one write per distinct event at a time, so a create precedes the patches
 * of its repeats), and a repeat recorded while the same event still waits in the queue only bumps
 * the count that write will carry. Nothing is dropped: under a burst the queue grows (an entry is
 * a few hundred bytes) and drains behind the object writes that matter more.
 */
export class EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly seen = new Map<string, Seen>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly window: number;
  private readonly maxKeys: number;
  private readonly maxInFlight: number;
  private readonly instance: string;
  /** Sub-millisecond part of Event names (client-go uses UnixNano) so names never collide. */
  private seq = 0;
  /** Waiting writes, in record order; `head` is the next to look at. */
  private queue: (Queued | undefined)[] = [];
  private head = 0;
  /** The waiting entry per key, so repeats fold into it. */
  private readonly waiting = new Map<string, Queued>();
  /** Keys being written now: their next write waits (POST before PATCH). */
  private readonly writing = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    client: Client,
    private readonly opts: EventRecorderOptions,
  ) {
    this.events = client.resource(EventKind);
    this.log = (opts.logger ?? silentLogger()).child({ component: 'events' });
    this.clock = opts.clock ?? realClock;
    this.window = opts.aggregationWindowMs ?? 10 * 60_000;
    this.maxKeys = opts.maxKeys ?? 4096;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
    this.instance = opts.instance ?? process.env.HOSTNAME ?? hostname();
  }

  normal(obj: KubeObject, reason: string, message: string): void {
    this.record(obj, 'Normal', reason, message);
  }

  warning(obj: KubeObject, reason: string, message: string): void {
    this.record(obj, 'Warning', reason, message);
  }

  /** Events recorded and not yet written (or given up): queued plus in flight. */
  get pending(): number {
    return this.waiting.size + this.writing.size;
  }

  /** Resolves when every Event recorded so far has been written (or given up): tests, shutdown. */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const meta = obj.metadata;
    if (!meta?.name) {
      this.log.warn({ reason }, 'event for an object without a name dropped');
      return;
    }
    const ref = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
    };
    // Events about cluster-scoped objects live in "default", as client-go does.
    const namespace = meta.namespace || 'default';
    const key = [ref.apiVersion, ref.kind, namespace, ref.name, ref.uid, type, reason, message].join('\u0000');
    const folded = this.waiting.get(key);
    const at = this.clock.now();
    if (folded) {
      folded.times++;
      folded.last = at;
      return;
    }
    const entry: Queued = { key, namespace, ref, type, reason, message, times: 1, first: at, last: at };
    this.waiting.set(key, entry);
    this.queue.push(entry);
    this.pump();
  }

  /** Starts queued writes up to the limit, skipping (for now) keys that are being written. */
  private pump(): void {
    let i = this.head;
    while (this.writing.size < this.maxInFlight && i < this.queue.length) {
      const entry = this.queue[i];
      if (entry === undefined || this.writing.has(entry.key)) {
        i++;
        continue;
      }
      this.queue[i] = undefined;
      this.waiting.delete(entry.key);
      this.writing.add(entry.key);
      const task = this.write(entry)
        .catch((err: Error) => {
          this.log.warn(
            {
              err: err.message,
              reason: entry.reason,
              kind: entry.ref.kind,
              name: entry.ref.name,
              namespace: entry.ref.namespace,
            },
            'could not record event',
          );
        })
        .finally(() => {
          this.writing.delete(entry.key);
          this.running.delete(task);
          this.pump();
        });
      this.running.add(task);
      i++;
    }
    while (this.head < this.queue.length && this.queue[this.head] === undefined) this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async write(entry: Queued): Promise<void> {
    const { key, namespace, ref, type, reason, message, times } = entry;
    const now = entry.last;
    const stamp = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const timestamp = stamp(now);
    const seen = this.seen.get(key);
    if (seen && entry.first - seen.lastSeen < this.window) {
      try {
        await this.events.patch(
          seen.namespace,
          seen.name,
          { count: seen.count + times, lastTimestamp: timestamp },
          'merge',
        );
        seen.count += times;
        seen.lastSeen = now;
        this.touch(key, seen);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // Somebody deleted (or TTL expired) the Event: start a new one.
      }
    }
    const name = `${ref.name}.${(BigInt(entry.first) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined)),
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      type,
      source: { component: this.opts.component, host: this.instance },
      firstTimestamp: stamp(entry.first),
      lastTimestamp: timestamp,
      count: times,
      reportingComponent: this.opts.component,
      reportingInstance: this.instance,
    };
    const created = await this.events.create(event);
    this.touch(key, {
      namespace,
      name: created.metadata.name ?? name,
      count: times,
      firstTimestamp: stamp(entry.first),
      lastSeen: now,
    });
  }

  private touch(key: string, seen: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, seen);
    if (this.seen.size > this.maxKeys) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
