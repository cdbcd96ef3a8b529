import { StatusError, badRequest, invalid } from '../errors.ts';
import type { DeleteOptions, FieldValidation, ListQuery, WriteOptions } from '../engine/request-options.ts';

type Obj = Record<string, unknown>;

function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  const l = v.toLowerCase();
  return !(l === '0' || l === 'false');
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * An int64 query parameter as Go's strconv.ParseInt reads it; kube-apiserver v1.36.2 answers a
 * bad one with the bare strconv message (checked for limit, timeoutSeconds, gracePeriodSeconds).
 */
function parseIntParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > INT64_MAX || n < -INT64_MAX - 1n)
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

export function listQuery(q: URLSearchParams): ListQuery {
  const out: ListQuery = {};
  const s = (k: string) => q.get(k) ?? undefined;
  if (s('labelSelector') !== undefined) out.labelSelector = s('labelSelector');
  if (s('fieldSelector') !== undefined) out.fieldSelector = s('fieldSelector');
  const limit = parseIntParam(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  if (s('continue')) out.continue = s('continue');
  if (q.has('resourceVersion')) out.resourceVersion = q.get('resourceVersion')!;
  if (q.has('resourceVersionMatch')) out.resourceVersionMatch = q.get('resourceVersionMatch')!;
  const sie = parseBool(q.get('sendInitialEvents'));
  if (sie !== undefined) out.sendInitialEvents = sie;
  const awb = parseBool(q.get('allowWatchBookmarks'));
  if (awb !== undefined) out.allowWatchBookmarks = awb;
  const ts = parseIntParam(q, 'timeoutSeconds');
  if (ts !== undefined) out.timeoutSeconds = ts;
  const w = parseBool(q.get('watch'));
  if (w !== undefined) out.watch = w;
  return out;
}

export function writeOptions(q: URLSearchParams, warnings: string[]): WriteOptions {
  const dry = q.getAll('dryRun');
  for (const d of dry) {
    if (d !== 'All') {
      throw new StatusError(
        422,
        'Invalid',
        `dryRun: Unsupported value: ${JSON.stringify(d)}: supported values: "All"`,
        {
          causes: [
            {
              reason: 'FieldValueNotSupported',
              message: `Unsupported value: ${JSON.stringify(d)}: supported values: "All"`,
              field: 'dryRun',
            },
          ],
        },
      );
    }
  }
  const fv = q.get('fieldValidation');
  if (fv !== null && fv !== '' && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", "Strict", got ${JSON.stringify(fv)}`);
  }
  const fm = q.get('fieldManager') ?? undefined;
  return {
    dryRun: dry.length > 0,
    fieldValidation: (fv || 'Warn') as FieldValidation,
    ...(fm ? { fieldManager: fm } : {}),
    warnings,
  };
}

/**
 * ValidateFieldManager, as the create, update and patch handlers run it on their options before
 * the body is applied: at most 128 bytes (a 422 `<Kind>.meta.k8s.io "" is invalid: fieldManager:
 * Too long: may not be more than 128 bytes`).
 */
export function checkFieldManager(opts: WriteOptions, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): void {
  if (opts.fieldManager !== undefined && Buffer.byteLength(opts.fieldManager) > 128)
    throw invalid({ group: 'meta.k8s.io', kind }, '', [
      { type: 'FieldValueTooLong', field: 'fieldManager', detail: 'may not be more than 128 bytes' },
    ]);
}

export function deleteOptions(buf: Buffer, q: URLSearchParams): DeleteOptions {
  // DEL-8 / §2.8: a body wins; query parameters are read only without one.
  if (buf.length > 0 && buf.toString('utf8').trim() !== '') {
    let o: Obj;
    try {
      o = JSON.parse(buf.toString('utf8')) as Obj;
    } catch (e) {
      throw badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${(e as Error).message}`);
    }
    const out: DeleteOptions = {};
    if (typeof o.propagationPolicy === 'string') out.propagationPolicy = o.propagationPolicy;
    if (typeof o.orphanDependents === 'boolean') out.orphanDependents = o.orphanDependents;
    if (typeof o.gracePeriodSeconds === 'number') out.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.preconditions && typeof o.preconditions === 'object')
      out.preconditions = o.preconditions as DeleteOptions['preconditions'];
    if (Array.isArray(o.dryRun)) out.dryRun = o.dryRun as string[];
    return out;
  }
  const out: DeleteOptions = {};
  const pp = q.get('propagationPolicy');
  if (pp) out.propagationPolicy = pp;
  const od = parseBool(q.get('orphanDependents'));
  if (od !== undefined) out.orphanDependents = od;
  const gp = parseIntParam(q, 'gracePeriodSeconds');
  if (gp !== undefined) out.gracePeriodSeconds = gp;
  const dr = q.getAll('dryRun');
  if (dr.length) out.dryRun = dr;
  return out;
}
