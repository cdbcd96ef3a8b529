/**
 * Scenario 4 — latency: `rate` spec edits per second spread over the converged Tuples for
 * `durationSeconds`; for each, the time from the edit's write (its response, i.e. committed) to
 * the manager's write of the child Number (its response), taken from the manager's RequestMeter
 * with epoch timestamps comparable across processes.
 *
 *   npm run bench -- --scenario latency --tuples 200 --rate 100 --duration-seconds 30
 *
 * Edits are open-loop (scheduled by the clock, not after the previous one) so a slow manager
 * cannot slow the load down and hide its own latency. Edit k goes to Tuple k mod N, item
 * ⌊k/N⌋ mod numbersPerTuple, so the same child is edited again only after N·numbersPerTuple edits.
 */
import { fmt, judge, type RunContext, type Row } from '../lib/report.ts';
import { epochMs, type RequestEvent } from '../lib/request-meter.ts';
import { percentile } from '../lib/stats.ts';
import { Tuple, tupleName } from '../lib/math.ts';
import type { BenchOptions } from '../lib/options.ts';
import type { MathSession } from './converge.ts';

interface Edit {
  child: string;
  sentAt: number;
  committedAt?: number;
  childWrittenAt?: number;
}

export async function runLatency(
  o: BenchOptions,
  ctx: RunContext,
  s: MathSession,
): Promise<{ data: Record<string, unknown>; rows: Row[] }> {
  const tuples = s.cluster.client.resource(Tuple);
  const pendingByChild = new Map<string, Edit[]>();
  const edits: Edit[] = [];
  let unmatchedChildWrites = 0;

  await s.manager.resetMeter();
  await s.manager.onWrites(['numbers'], (e: RequestEvent) => {
    if (e.status < 200 || e.status >= 300 || !e.name) return;
    const pending = pendingByChild.get(e.name);
    if (!pending?.length) {
      unmatchedChildWrites++;
      return;
    }
    // One write answers every edit of this child sent before it ended (edits coalesced in one reconcile).
    const answered = pending.filter((x) => x.sentAt <= e.endedAt);
    for (const x of answered) x.childWrittenAt = e.endedAt;
    pendingByChild.set(
      e.name,
      pending.filter((x) => x.sentAt > e.endedAt),
    );
  });

  const total = Math.round(o.rate * o.durationSeconds);
  const intervalMs = 1000 / o.rate;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  let failures = 0;
  let maxScheduleSlipMs = 0;
  for (let k = 0; k < total; k++) {
    const due = start + k * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    maxScheduleSlipMs = Math.max(maxScheduleSlipMs, performance.now() - due);
    const t = k % s.tuples;
    const j = Math.floor(k / s.tuples) % s.numbersPerTuple;
    const value = 1_000_000_000 + k;
    const edit: Edit = { child: `${tupleName(t)}-${j}`, sentAt: epochMs() };
    edits.push(edit);
    let list = pendingByChild.get(edit.child);
    if (!list) pendingByChild.set(edit.child, (list = []));
    list.push(edit);
    inflight.push(
      tuples
        // A JSON patch of one item: two in-flight edits of one Tuple commute, whatever order the server applies them in.
        .patch(s.namespace, tupleName(t), [{ op: 'replace', path: `/spec/numbers/${j}`, value }], 'json')
        .then(() => void (edit.committedAt = epochMs()))
        .catch(() => void failures++),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + Math.max(30_000, o.durationSeconds * 1000);
  while (edits.some((e) => e.childWrittenAt === undefined) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));

  const matched = edits.filter((e) => e.childWrittenAt !== undefined && e.committedAt !== undefined);
  const latencies = matched.map((e) => e.childWrittenAt! - e.committedAt!);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const snap = await s.manager.snapshot();
  const data = {
    rate: o.rate,
    durationSeconds: o.durationSeconds,
    edits: total,
    editFailures: failures,
    matched: matched.length,
    missed: total - matched.length,
    unmatchedChildWrites,
    p50Ms: p50,
    p90Ms: percentile(latencies, 90),
    p99Ms: p99,
    maxMs: latencies.length ? Math.max(...latencies) : NaN,
    maxScheduleSlipMs,
    conflicts: snap.requests.conflicts,
    requests: snap.requests.byKey,
    managerLag: snap.lag,
    server: s.cluster.info.label,
  };
  const local = s.cluster.info.kind === 'local';
  const rows: Row[] = [
    {
      scenario: 'latency',
      metric: `edit → child write, ${o.rate}/s for ${o.durationSeconds} s`,
      value: `p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms`,
      target: 'p99 ≤ 100 ms (local)',
      pass: local ? judge(ctx.smoke, p99 <= 100 && matched.length === total) : undefined,
    },
    { scenario: 'latency', metric: 'edits answered by a child write', value: `${matched.length} / ${total}` },
  ];
  return { data, rows };
}
