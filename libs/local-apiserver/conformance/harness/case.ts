/**
 * The shape of a conformance case: a named sequence of HTTP requests (and watch reads) whose
 * answers, normalised, must be the same from local-apiserver as from kube-apiserver. Cases are
 * TypeScript so that a step can compute its request from earlier answers (a resourceVersion, a
 * uid, a continue token) and so that deviations carry their reason next to the step they excuse.
 */

import type { ObjectMeta } from '../../src/types.ts';

/** What a step sees of the case so far, to build its request. */
export interface CaseContext {
  /** The case's own namespace (fresh per run; `{{ns}}` in strings). */
  ns: string;
  /** A per-run suffix for cluster-scoped names (`{{run}}` in strings). */
  run: string;
  /** The raw answer of an earlier step, by id. */
  step(id: string): StepResult;
}

/** The raw (not normalised) answer of a step, as later steps see it. */
export interface StepResult {
  status: number;
  headers: Record<string, string[]>;
  /** Parsed JSON body (undefined when the body is not JSON); read it with metaOf, conditionOf or a typed select. */
  body: unknown;
  text: string;
  /** Watch steps: parsed events, in order. */
  events: unknown[];
}

export type Dyn<T> = T | ((c: CaseContext) => T);

/** A request body: an object or array (sent as JSON) or a string (sent as is). */
export type BodyValue = string | readonly unknown[] | { readonly [k: string]: unknown };
/** A body, or a function of the case so far that returns one. */
export type DynBody = BodyValue | ((c: CaseContext) => BodyValue);

/** Why local-apiserver answers differently on purpose (README "Deviations"). */
export interface Deviation {
  reason: string;
  /**
   * Only these paths of the answer are excused (e.g. `body.metadata.managedFields`); without
   * paths the whole answer is, and the replay fails if it stops differing (a stale deviation).
   */
  paths?: string[];
}

export interface WatchRead {
  /** Read until this many events arrived (or 'end': until the server ends the stream). */
  events: number | 'end';
  /** Bound on the wait (default 5000 ms); the answer records what arrived until then. */
  timeoutMs?: number;
}

export interface Step {
  /** Name for `ctx.step(id)` and for watch steps that are read later. */
  id?: string;
  /** What the step shows, printed with its diff. */
  note?: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Path without query; `{{ns}}` and `{{run}}` are substituted. */
  path?: Dyn<string>;
  query?: Dyn<Record<string, string | string[] | undefined>>;
  /** An object is sent as JSON; a string as is. `{{ns}}`/`{{run}}` are substituted in both. */
  body?: DynBody;
  /** Default: application/json when there is a body; null sends no Content-Type. */
  contentType?: string | null;
  /** Accept header (default application/json). */
  accept?: string;
  /** Repeat the request (every 100 ms) until this holds or `untilMs` passes; the last answer counts. */
  until?: (r: StepResult) => boolean;
  untilMs?: number;
  /** Open a watch: read now (`events`), or leave it open (`background`) for a later `read` step. */
  watch?: WatchRead | { background: true };
  /** Read events from a background watch opened by an earlier step (by id); closes it unless `keepOpen`. */
  read?: { from: string; keepOpen?: boolean } & WatchRead;
  /** Paths whose values the real server itself does not fix (a controller writes concurrently). */
  racy?: string[];
  /** Arrays (by path) whose order the real server does not fix; compared sorted. */
  unordered?: string[];
  /**
   * Keep only part of the answer (both servers alike), e.g. the discovery entries local-apiserver
   * serves. It gets the parsed body of a successful answer and declares the shape it reads (a
   * method, so a select typed for its own body fits).
   */
  select?(body: unknown): unknown;
  /** The same for a watch step's events (both servers alike), e.g. a bookmark the real server repeats at random. */
  selectEvents?(events: unknown[]): unknown[];
  deviation?: Deviation;
}

/** Objects several cases share (a CRD), created once per run before the first case that needs them. */
export interface Fixture {
  id: string;
  setup: Step[];
  teardown: Step[];
}

export interface Case {
  /** Unique across the suite: `<file>/<name>`. */
  id: string;
  title: string;
  steps: Step[];
  fixtures?: Fixture[];
  /** Create a fresh namespace for the case (default true). */
  namespace?: boolean;
  /** Paths deleted after the case whatever happened (cluster-scoped objects it created). */
  cleanup?: string[];
}

// ----------------------------------------------------------------------------- builders

type StepOpts = Omit<Step, 'method' | 'path' | 'body'>;

export const get = (path: Dyn<string>, o: StepOpts = {}): Step => ({ method: 'GET', path, ...o });
export const post = (path: Dyn<string>, body: DynBody, o: StepOpts = {}): Step => ({
  method: 'POST',
  path,
  body,
  ...o,
});
export const put = (path: Dyn<string>, body: DynBody, o: StepOpts = {}): Step => ({
  method: 'PUT',
  path,
  body,
  ...o,
});
export const del = (path: Dyn<string>, body?: DynBody, o: StepOpts = {}): Step => ({
  method: 'DELETE',
  path,
  ...(body !== undefined ? { body } : {}),
  ...o,
});

export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export const patch = (path: Dyn<string>, type: keyof typeof PATCH_TYPES, body: DynBody, o: StepOpts = {}): Step => ({
  method: 'PATCH',
  path,
  body,
  contentType: PATCH_TYPES[type],
  ...o,
});

/** A watch read at once: open, read `events`, close. */
export const watch = (
  path: Dyn<string>,
  query: Dyn<Record<string, string | undefined>>,
  read: WatchRead,
  o: StepOpts = {},
): Step => ({
  method: 'GET',
  path,
  query: typeof query === 'function' ? (c) => ({ watch: 'true', ...query(c) }) : { watch: 'true', ...query },
  watch: read,
  ...o,
});

/** A watch left open for a later `readWatch(id, ...)`. */
export const openWatch = (
  id: string,
  path: Dyn<string>,
  query: Dyn<Record<string, string | undefined>>,
  o: StepOpts = {},
): Step => ({
  id,
  method: 'GET',
  path,
  query: typeof query === 'function' ? (c) => ({ watch: 'true', ...query(c) }) : { watch: 'true', ...query },
  watch: { background: true },
  ...o,
});

export const readWatch = (from: string, read: WatchRead & { keepOpen?: boolean }, o: StepOpts = {}): Step => ({
  read: { from, ...read },
  ...o,
});

/** `/api/v1/namespaces/{{ns}}/<resource>[/name]` */
export const core = (resource: string, name?: string) =>
  `/api/v1/namespaces/{{ns}}/${resource}${name !== undefined ? `/${name}` : ''}`;
/** `/apis/<group>/<version>/namespaces/{{ns}}/<resource>[/name]` */
export const nsd = (gv: string, resource: string, name?: string) =>
  `/apis/${gv}/namespaces/{{ns}}/${resource}${name !== undefined ? `/${name}` : ''}`;
/** `/apis/<group>/<version>/<resource>[/name]` (cluster-scoped) */
export const cluster = (gv: string, resource: string, name?: string) =>
  `${gv === 'v1' ? '/api/v1' : `/apis/${gv}`}/${resource}${name !== undefined ? `/${name}` : ''}`;

/** The metadata of an answer's object or list (empty when it has none: a Status, not JSON). */
export function metaOf(r: StepResult): ObjectMeta & { continue?: string } {
  const body = r.body;
  const md = body !== null && typeof body === 'object' ? (body as { metadata?: unknown }).metadata : undefined;
  return md !== null && typeof md === 'object' ? (md as ObjectMeta) : {};
}

/** The status condition of this type in an answer's object, if it has one. */
export function conditionOf(r: StepResult, type: string): { type: string; status: string } | undefined {
  const body = r.body as { status?: { conditions?: unknown } } | null | undefined;
  const conditions = body?.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as { type: string; status: string }[]).find((c) => c.type === type);
}

/** The RV, uid and continue token of an earlier step's object or list. */
export const rvOf = (c: CaseContext, id: string) => metaOf(c.step(id)).resourceVersion;
export const uidOf = (c: CaseContext, id: string) => metaOf(c.step(id)).uid;
export const continueOf = (c: CaseContext, id: string) => metaOf(c.step(id)).continue;
