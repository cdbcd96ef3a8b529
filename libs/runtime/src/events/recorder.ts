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
 */
export class EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly seen = new Map<string, Seen>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly window: number;
  private readonly maxKeys: number;
  private readonly instance: string;
  private pending = new Set<Promise<void>>();
  /** Sub-millisecond part of Event names (client-go uses UnixNano) so names never collide. */
  private seq = 0;
  /** Serialise per key so a burst of repeats becomes one create and then patches. */
  private chains = new Map<string, Promise<void>>();

  constructor(
    client: Client,
    private readonly opts: EventRecorderOptions,
  ) {
    this.events = client.resource(EventKind);
    this.log = (opts.logger ?? silentLogger()).child({ component: 'events' });
    this.clock = opts.clock ?? realClock;
    this.window = opts.aggregationWindowMs ?? 10 * 60_000;
    this.maxKeys = opts.maxKeys ?? 4096;
    this.instance = opts.instance ?? process.env.HOSTNAME ?? hostname();
  }

  normal(obj: KubeObject, reason: string, message: string): void {
    this.record(obj, 'Normal', reason, message);
  }

  warning(obj: KubeObject, reason: string, message: string): void {
    this.record(obj, 'Warning', reason, message);
  }

  /** Resolves when every Event recorded so far has been written (or given up): tests, shutdown. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
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
    const previous = this.chains.get(key) ?? Promise.resolve();
    const task = previous
      .then(() => this.write(key, namespace, ref, type, reason, message))
      .catch((err: Error) => {
        this.log.warn({ err: err.message, reason, kind: ref.kind, name: ref.name, namespace: ref.namespace }, 'could not record event');
      });
    this.chains.set(key, task);
    this.pending.add(task);
    void task.finally(() => {
      this.pending.delete(task);
      if (this.chains.get(key) === task) this.chains.delete(key);
    });
  }

  private async write(key: string, namespace: string, ref: Event['involvedObject'], type: 'Normal' | 'Warning', reason: string, message: string) {
    const now = this.clock.now();
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const seen = this.seen.get(key);
    if (seen && now - seen.lastSeen < this.window) {
      try {
        await this.events.patch(seen.namespace, seen.name, { count: seen.count + 1, lastTimestamp: timestamp }, 'merge');
        seen.count++;
        seen.lastSeen = now;
        this.touch(key, seen);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // Somebody deleted (or TTL expired) the Event: start a new one.
      }
    }
    const name = `${ref.name}.${(BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined)),
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      type,
      source: { component: this.opts.component, host: this.instance },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      reportingComponent: this.opts.component,
      reportingInstance: this.instance,
    };
    const created = await this.events.create(event);
    this.touch(key, { namespace, name: created.metadata.name ?? name, count: 1, firstTimestamp: timestamp, lastSeen: now });
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
