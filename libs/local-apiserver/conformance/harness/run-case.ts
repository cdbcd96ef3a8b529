import type { Case, CaseContext, Dyn, Fixture, Step, StepResult } from './case.ts';
import type { Answer, RecordedCase, RecordedRequest, RecordedStep } from './golden.ts';
import type { KubeClient, OpenStream, RawResponse } from './kube-client.ts';
import { Normalizer, normalizeContentType, warningText } from './normalize.ts';
import { removePath } from './json-path.ts';
import { parse as parseYaml } from 'yaml';

/** What one run of the suite shares between its cases. */
export interface RunEnv {
  client: KubeClient;
  /** Suffix of every name this run creates outside its namespaces (`{{run}}`). */
  run: string;
  /** Fixtures set up so far (torn down by `finishRun`). */
  fixtures: Map<string, Fixture>;
  /** Namespaces created so far (a counter names the next). */
  namespaces: number;
  /**
   * `record` (from kube-apiserver) or `replay` (local-apiserver). A replay polls `until` for at
   * most REPLAY_UNTIL_MS (local controllers act in-process), and not at all for a step excused
   * whole by a deviation (its answer is not compared).
   */
  mode: 'record' | 'replay';
  log?: (line: string) => void;
}

export interface CaseOutcome extends RecordedCase {
  /** Harness failures (a fixture that would not come up, a step that threw). */
  errors: string[];
}

const POLL_MS = 100;
const DEFAULT_UNTIL_MS = 30_000;
const DEFAULT_WATCH_MS = 5_000;
const REPLAY_UNTIL_MS = 10_000;

/** A fresh run suffix: letters only, so it never collides with numbers or uid fragments. */
export function newRunId(): string {
  const letters = 'abcdefghijkmnpqrstuvwxyz';
  let s = 'q';
  for (let i = 0; i < 5; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return s;
}

function subst(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === 'string') return v.replace(/\{\{(ns|run)\}\}/g, (_m, k: string) => vars[k]!);
  if (Array.isArray(v)) return v.map((x) => subst(x, vars));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[subst(k, vars) as string] = subst(x, vars);
    return out;
  }
  return v;
}

function resolve<T>(d: Dyn<T> | undefined, ctx: CaseContext): T | undefined {
  return typeof d === 'function' ? (d as (c: CaseContext) => T)(ctx) : d;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A YAML answer is compared as the data it holds (the content type says it was YAML). */
function parseYamlBody(body: Buffer): unknown {
  try {
    return parseYaml(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isPrintable(buf: Buffer): boolean {
  return !buf.subarray(0, 512).some((b) => b < 9 || (b > 13 && b < 32));
}

interface BuiltRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  body?: Buffer;
  /** The body as the golden shows it (parsed JSON, or the raw string). */
  shownBody?: unknown;
}

function buildRequest(step: Step, ctx: CaseContext): BuiltRequest {
  const vars = { ns: ctx.ns, run: ctx.run };
  const path = subst(resolve(step.path, ctx) ?? '/', vars) as string;
  const rawQuery = (subst(resolve(step.query, ctx) ?? {}, vars) ?? {}) as Record<string, string | string[] | undefined>;
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(rawQuery)) {
    if (v === undefined) continue;
    query[k] = Array.isArray(v) ? v : [v];
  }
  const bodyValue = subst(resolve(step.body, ctx), vars);
  const headers: Record<string, string> = { Accept: step.accept ?? 'application/json' };
  let body: Buffer | undefined;
  if (bodyValue !== undefined) {
    body = Buffer.from(typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue));
  }
  const ct = step.contentType === null ? undefined : (step.contentType ?? (body ? 'application/json' : undefined));
  if (ct) headers['Content-Type'] = ct;
  return {
    method: step.method ?? 'GET',
    path,
    query,
    headers,
    ...(body ? { body } : {}),
    ...(bodyValue !== undefined ? { shownBody: bodyValue } : {}),
  };
}

function fullPath(r: BuiltRequest): string {
  const qs = new URLSearchParams();
  for (const [k, vs] of Object.entries(r.query)) for (const v of vs) qs.append(k, v);
  const s = qs.toString();
  return s ? `${r.path}?${s}` : r.path;
}

function resultOf(status: number, headers: Record<string, string[]>, body: Buffer, events: unknown[] = []): StepResult {
  const text = body.toString('utf8');
  return { status, headers, body: parseJson(text), text, events };
}

/** The answer before normalisation: status, content type, warnings, body or events. */
function rawAnswer(status: number, headers: Record<string, string[]>, body: Buffer | undefined): Answer {
  const a: Answer = { status };
  const ct = normalizeContentType(headers['content-type']?.[0]);
  if (ct) a.contentType = ct;
  const warnings = (headers.warning ?? []).map(warningText);
  if (warnings.length) a.warnings = warnings;
  if (body && body.length) {
    const parsed = ct?.startsWith('application/yaml') ? parseYamlBody(body) : parseJson(body.toString('utf8'));
    if (parsed !== undefined) a.body = parsed;
    else if (isPrintable(body)) a.text = body.toString('utf8').slice(0, 2000);
    else a.text = '<binary>';
  }
  return a;
}

function parseEvents(lines: string[]): unknown[] {
  return lines.filter((l) => l.trim()).map((l) => parseJson(l) ?? { unparsed: l });
}

class CaseRunner {
  private readonly results = new Map<string, StepResult>();
  private readonly streams = new Map<string, OpenStream>();
  readonly ctx: CaseContext;
  readonly norm: Normalizer;

  constructor(
    private readonly env: RunEnv,
    readonly ns: string,
  ) {
    const results = this.results;
    this.ctx = {
      ns,
      run: env.run,
      step(id) {
        const r = results.get(id);
        if (!r) throw new Error(`no answer of step ${JSON.stringify(id)} yet`);
        return r;
      },
    };
    this.norm = new Normalizer([
      [ns, '{{ns}}'],
      [env.run, '{{run}}'],
      [env.client.serverAddress, '{{server}}'],
    ]);
  }

  private shownRequest(r: BuiltRequest): RecordedRequest {
    const n = this.norm.request({ path: r.path, query: r.query, body: r.shownBody });
    const ct = r.headers['Content-Type'];
    return {
      method: r.method,
      path: n.path,
      ...(Object.keys(n.query).length ? { query: n.query } : {}),
      ...(ct ? { contentType: ct } : {}),
      ...(r.headers.Accept !== 'application/json' ? { accept: r.headers.Accept! } : {}),
      ...(r.shownBody !== undefined ? { body: n.body } : {}),
    };
  }

  private finish(step: Step, raw: Answer, query: Record<string, string[]>): Answer {
    if (step.select && raw.body !== undefined && raw.status < 300) raw.body = step.select(raw.body);
    if (step.selectEvents && Array.isArray(raw.events)) raw.events = step.selectEvents(raw.events);
    // `body.status` of an object is what a controller writes; of a Status answer it is "Failure".
    const isStatus = (raw.body as { kind?: unknown } | null | undefined)?.kind === 'Status';
    for (const p of step.racy ?? []) if (!(isStatus && p === 'body.status')) removePath(raw, p, true);
    return this.norm.answer(raw, query) as Answer;
  }

  async send(r: BuiltRequest): Promise<RawResponse> {
    return this.env.client.request({
      method: r.method,
      path: fullPath(r),
      headers: r.headers,
      ...(r.body ? { body: r.body } : {}),
    });
  }

  async step(step: Step): Promise<RecordedStep> {
    if (step.read) return this.read(step);
    const req = buildRequest(step, this.ctx);
    const shown = this.shownRequest(req);
    if (step.watch) return { request: shown, answer: await this.openWatch(step, req) };
    let res = await this.send(req);
    let result = resultOf(res.status, res.headers, res.body);
    const excused = !!step.deviation && !step.deviation.paths;
    if (step.until && !(this.env.mode === 'replay' && excused)) {
      const bound = step.untilMs ?? DEFAULT_UNTIL_MS;
      const deadline = Date.now() + (this.env.mode === 'replay' ? Math.min(bound, REPLAY_UNTIL_MS) : bound);
      while (!step.until(result) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        res = await this.send(req);
        result = resultOf(res.status, res.headers, res.body);
      }
    }
    if (step.id) this.results.set(step.id, result);
    const raw = rawAnswer(res.status, res.headers, step.method === 'HEAD' ? undefined : res.body);
    return { request: shown, answer: this.finish(step, raw, req.query) };
  }

  private async openWatch(step: Step, req: BuiltRequest): Promise<Answer> {
    const s = await this.env.client.stream({ method: req.method, path: fullPath(req), headers: req.headers });
    const w = step.watch!;
    if (s.status !== 200 || 'background' in w) {
      if (s.status !== 200) {
        await s.waitFor(() => false, DEFAULT_WATCH_MS);
        s.close();
        const body = Buffer.from(s.lines.join('\n'));
        if (step.id) this.results.set(step.id, resultOf(s.status, s.headers, body));
        return this.finish(step, rawAnswer(s.status, s.headers, body), req.query);
      }
      this.streams.set(step.id!, s);
      if (step.id) this.results.set(step.id, resultOf(s.status, s.headers, Buffer.alloc(0)));
      return this.finish(step, rawAnswer(s.status, s.headers, undefined), req.query);
    }
    return this.collect(step, s, w.events, w.timeoutMs, false, req.query);
  }

  private async read(step: Step): Promise<RecordedStep> {
    const r = step.read!;
    const s = this.streams.get(r.from);
    if (!s) throw new Error(`no open watch ${JSON.stringify(r.from)}`);
    const answer = await this.collect(step, s, r.events, r.timeoutMs, !!r.keepOpen, {});
    return { read: r.from, answer };
  }

  /** Events already taken from each open watch by earlier reads. */
  private readonly taken = new Map<OpenStream, number>();

  private async collect(
    step: Step,
    s: OpenStream,
    events: number | 'end',
    timeoutMs = DEFAULT_WATCH_MS,
    keepOpen: boolean,
    query: Record<string, string[]>,
  ): Promise<Answer> {
    const from = this.taken.get(s) ?? 0;
    const want = events === 'end' ? Infinity : from + events;
    const done = await s.waitFor(() => s.lines.filter((l) => l.trim()).length >= want, timeoutMs);
    const all = parseEvents(s.lines);
    const got = all.slice(from, want === Infinity ? undefined : want);
    // `timeout` only when the bound passed first (timers may fire a millisecond early by Date.now()).
    const end: Answer['end'] = events !== 'end' && all.length >= want ? 'count' : done ? 'closed' : 'timeout';
    this.taken.set(s, from + got.length);
    if (!keepOpen) {
      s.close();
      for (const [id, open] of this.streams) if (open === s) this.streams.delete(id);
    }
    if (step.id)
      this.results.set(step.id, { status: s.status, headers: s.headers, body: undefined, text: '', events: got });
    const raw = { status: s.status, ...rawAnswerHeaders(s.headers), events: got, end };
    return this.finish(step, raw, query);
  }

  closeAll(): void {
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
  }
}

function rawAnswerHeaders(headers: Record<string, string[]>): Omit<Answer, 'status'> {
  const { status: _s, ...rest } = rawAnswer(0, headers, undefined);
  return rest;
}

async function setUpFixture(env: RunEnv, f: Fixture): Promise<void> {
  const runner = new CaseRunner(env, '');
  for (const step of f.setup) {
    const rec = await runner.step(step);
    if (rec.answer.status >= 400 || rec.answer.status === 0) {
      throw new Error(
        `fixture ${f.id}: ${step.method ?? 'GET'} ${rec.request?.path} answered ${rec.answer.status}: ${JSON.stringify(rec.answer.body ?? rec.answer.text)}`,
      );
    }
  }
  runner.closeAll();
}

/** Runs one case: its namespace, its fixtures, its steps in order; records every normalised answer. */
export async function runCase(env: RunEnv, c: Case): Promise<CaseOutcome> {
  const errors: string[] = [];
  for (const f of c.fixtures ?? []) {
    if (env.fixtures.has(f.id)) continue;
    await setUpFixture(env, f);
    env.fixtures.set(f.id, f);
  }
  const ns = c.namespace === false ? '' : `cf-${env.run}-${++env.namespaces}`;
  if (ns) {
    const r = await env.client.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: Buffer.from(
        JSON.stringify({ metadata: { name: ns, labels: { 'conformance.kubeloop.dev/run': env.run } } }),
      ),
    });
    if (r.status !== 201)
      throw new Error(`case ${c.id}: creating namespace ${ns} answered ${r.status}: ${r.body.toString('utf8')}`);
  }
  const runner = new CaseRunner(env, ns);
  const steps: RecordedStep[] = [];
  try {
    for (const [i, step] of c.steps.entries()) {
      try {
        steps.push(await runner.step(step));
      } catch (e) {
        const msg = `step ${i + 1}: ${(e as Error).message}`;
        errors.push(msg);
        steps.push({ answer: { status: 0, text: `harness error: ${(e as Error).message}` } });
      }
    }
  } finally {
    runner.closeAll();
    const cleanup = [...(c.cleanup ?? []).map((p) => subst(p, { ns, run: env.run }) as string)];
    if (ns) cleanup.push(`/api/v1/namespaces/${ns}`);
    for (const p of cleanup) await env.client.request({ method: 'DELETE', path: p }).catch(() => undefined);
  }
  return { title: c.title, steps, errors };
}

/** Tears down the run's fixtures (best effort: the server may be going away). */
export async function finishRun(env: RunEnv): Promise<void> {
  for (const f of [...env.fixtures.values()].reverse()) {
    const runner = new CaseRunner(env, '');
    for (const step of f.teardown) await runner.step(step).catch(() => undefined);
  }
  env.fixtures.clear();
}
