import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client, ResourceClient } from '../client/client.ts';
import { isAlreadyExists, isConflict } from '../client/errors.ts';
import { Lease } from '../kinds/builtin.ts';
import { silentLogger, type Logger } from '../logging.ts';
import { realClock, type Clock } from '../queue/clock.ts';

type LeaseObject = Lease;

export interface LeaderElectionOptions {
  client: Client;
  namespace: string;
  /** The Lease name (the manager's leaderElectionID). */
  name: string;
  /** Default: $POD_NAME, else `<hostname>_<uuid>`. Must differ between replicas. */
  identity?: string;
  /** How long a lease is valid without renewal; standbys wait this long after the last renewal (default 15 s). */
  leaseDurationMs?: number;
  /** The leader gives up if it could not renew for this long (default 10 s; < leaseDuration). */
  renewDeadlineMs?: number;
  /** Time between attempts (default 2 s). */
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Called with the leader's status for the leader_election_master_status gauge. */
  onStatus?: (isLeader: boolean) => void;
}

export class LeaderElectionError extends Error {
  constructor(
    readonly code: 'LeaderElectionLost' | 'LeaderElectionConfig',
    message: string,
  ) {
    super(message);
    this.name = 'LeaderElectionError';
  }
}

/** `2026-11-23T10:00:00.000000Z`: metav1.MicroTime as the API server formats it. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function defaultIdentity(): string {
  return process.env.POD_NAME || `${hostname()}_${randomUUID()}`;
}

/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go's: a standby takes the
 * lease when the holder has not renewed it for `leaseDuration` as measured on the standby's
 * own clock (it notes when it last saw the record change, so clock skew between nodes does
 * not matter); the leader renews every `retryPeriod` and gives up when renewals have failed
 * for `renewDeadline`. Writes use the Lease's resourceVersion, so two candidates never both
 * win the same term.
 *
 * Leadership is a hint, not a lock: a partitioned old leader may still be finishing a
 * reconcile for up to leaseDuration − renewDeadline after it lost. Keep reconciles idempotent.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly retryMs: number;
  private readonly random: () => number;
  private observed?: { holder: string; renewTime: string; at: number; rv?: string };
  private leading = false;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.identity = opts.identity ?? defaultIdentity();
    this.leases = opts.client.resource(Lease);
    this.clock = opts.clock ?? realClock;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
    this.random = opts.random ?? Math.random;
    if (!(this.leaseMs > this.renewMs && this.renewMs > this.retryMs * 1.2)) {
      throw new LeaderElectionError(
        'LeaderElectionConfig',
        `leader election needs leaseDuration (${this.leaseMs}) > renewDeadline (${this.renewMs}) > 1.2 × retryPeriod (${this.retryMs})`,
      );
    }
    this.log = (opts.logger ?? silentLogger()).child({
      component: 'leader-election',
      lease: `${opts.namespace}/${opts.name}`,
      identity: this.identity,
    });
  }

  isLeader(): boolean {
    return this.leading;
  }

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => {
        this.clock.clearTimeout(handle);
        resolve();
      };
      const handle = this.clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Waits until this candidate holds the lease. Resolves true when it does, false when
   * `signal` aborted first.
   */
  async acquire(signal: AbortSignal): Promise<boolean> {
    this.log.info('attempting to acquire leader lease');
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal)) {
        this.setLeading(true);
        this.log.info('successfully acquired lease');
        return true;
      }
      // Jitter (client-go's JitterFactor 1.2) so standbys do not hit the server in lockstep.
      await this.wait(this.retryMs * (1 + this.random() * 1.2), signal);
    }
    return false;
  }

  /**
   * Keeps renewing until the lease is lost (resolves with the reason) or `signal` aborts
   * (resolves undefined; call `release` then).
   */
  async holdUntilLost(signal: AbortSignal): Promise<LeaderElectionError | undefined> {
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      await this.wait(this.retryMs, signal);
      if (signal.aborted) break;
      let renewed = false;
      try {
        renewed = await this.tryAcquireOrRenew(signal, this.renewMs - (this.clock.now() - lastRenew));
      } catch (err) {
        this.log.warn({ err }, 'failed to renew lease');
      }
      if (renewed) {
        lastRenew = this.clock.now();
        continue;
      }
      if (this.observed && this.observed.holder !== this.identity && this.observed.holder !== '') {
        return this.lose(`lease taken over by ${this.observed.holder}`);
      }
      if (this.clock.now() - lastRenew >= this.renewMs) {
        return this.lose(`could not renew the lease within the renew deadline (${this.renewMs} ms)`);
      }
    }
    return undefined;
  }

  private lose(why: string): LeaderElectionError {
    this.setLeading(false);
    this.log.error({ reason: why }, 'leader election lost');
    return new LeaderElectionError(
      'LeaderElectionLost',
      `leader election lost for ${this.opts.namespace}/${this.opts.name}: ${why}`,
    );
  }

  private setLeading(v: boolean): void {
    this.leading = v;
    this.opts.onStatus?.(v);
  }

  /**
   * Gives the lease up (holderIdentity cleared, duration 1 s) so a standby takes over at once
   * instead of waiting out the lease. Only after this replica has stopped reconciling.
   */
  async release(): Promise<boolean> {
    if (!this.leading) return false;
    this.setLeading(false);
    try {
      const lease = await this.leases.get(this.opts.namespace, this.opts.name);
      if (!lease || lease.spec?.holderIdentity !== this.identity) return false;
      const now = microTime(this.clock.now());
      await this.leases.update({
        ...lease,
        spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
      });
      this.log.info('released leader lease');
      return true;
    } catch (err) {
      this.log.warn({ err }, 'failed to release the lease; standbys take over when it expires');
      return false;
    }
  }

  /** One round of client-go's tryAcquireOrRenew. */
  private async tryAcquireOrRenew(signal: AbortSignal, budgetMs = this.renewMs): Promise<boolean> {
    const timeout = AbortSignal.timeout(Math.max(1, budgetMs));
    const reqSignal = AbortSignal.any([signal, timeout]);
    const nowMs = this.clock.now();
    const now = microTime(nowMs);
    const leaseSeconds = Math.max(1, Math.ceil(this.leaseMs / 1000));
    let lease: LeaseObject | undefined;
    try {
      lease = await this.leases.get(this.opts.namespace, this.opts.name, { signal: reqSignal });
    } catch (err) {
      this.log.warn({ err }, 'error retrieving lease');
      return false;
    }
    if (!lease) {
      try {
        const created = await this.leases.create(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.opts.name, namespace: this.opts.namespace },
            spec: {
              holderIdentity: this.identity,
              leaseDurationSeconds: leaseSeconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
          { signal: reqSignal },
        );
        this.observe(created, this.clock.now());
        return true;
      } catch (err) {
        if (!isAlreadyExists(err)) this.log.warn({ err }, 'error creating lease');
        return false;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.observe(lease, nowMs);
    const durationMs = (spec.leaseDurationSeconds ?? leaseSeconds) * 1000;
    if (holder !== '' && holder !== this.identity && this.observed!.at + durationMs > nowMs) {
      return false; // held by someone else and not expired (on our clock)
    }
    const mine = holder === this.identity;
    try {
      const updated = await this.leases.update(
        {
          ...lease,
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: leaseSeconds,
            acquireTime: mine && spec.acquireTime ? spec.acquireTime : now,
            renewTime: now,
            leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
          },
        },
        { signal: reqSignal },
      );
      this.observe(updated, this.clock.now());
      return true;
    } catch (err) {
      if (!isConflict(err)) this.log.warn({ err }, 'error updating lease');
      return false;
    }
  }

  /** Notes when (on our clock) the record last changed; expiry is measured from then. */
  private observe(lease: LeaseObject, at: number): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const renewTime = lease.spec?.renewTime ?? '';
    if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== renewTime) {
      this.observed = { holder, renewTime, at, rv: lease.metadata.resourceVersion };
    }
  }
}
