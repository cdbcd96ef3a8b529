import { badRequest, invalid } from '../errors.ts';
import type { FieldError, Obj } from '../types.ts';
import { JsonSyntaxError, parseJsonText } from '../typed/json-text.ts';
import type { DeleteOptions, FieldValidation, ListQuery, WriteOptions } from '../engine/request-options.ts';

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
  const labelSelector = q.get('labelSelector');
  if (labelSelector !== null) out.labelSelector = labelSelector;
  const fieldSelector = q.get('fieldSelector');
  if (fieldSelector !== null) out.fieldSelector = fieldSelector;
  const limit = parseIntParam(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  const cont = q.get('continue');
  if (cont) out.continue = cont;
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

/**
 * The options of a create, update or patch from the query, validated as kube-apiserver validates
 * CreateOptions/UpdateOptions/PatchOptions before the body is read (ValidateCreateOptions &c.):
 * `leading` errors (a patch's force), fieldManager at most 128 bytes, dryRun only `All` (the
 * whole list is the value: `dryRun: Unsupported value: ["Sometimes"]`), fieldValidation one of
 * "", Ignore, Strict, Warn — all in one 422 `<Kind>.meta.k8s.io "" is invalid: ...` (kube-apiserver
 * v1.36.2: conformance cases `request-options/dry-run`, `request-options/field-validation-builtin`,
 * `request-options/field-manager`). DELETE validates its DeleteOptions itself (deleteOptions).
 */
export function writeOptions(
  q: URLSearchParams,
  warnings: string[],
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions',
  leading: FieldError[] = [],
): WriteOptions {
  const dry = q.getAll('dryRun');
  const fv = q.get('fieldValidation');
  const fm = q.get('fieldManager') ?? undefined;
  if (kind !== 'DeleteOptions') {
    const errs = [...leading];
    if (fm !== undefined && Buffer.byteLength(fm) > 128)
      errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: 'may not be more than 128 bytes' });
    if (dry.some((d) => d !== 'All'))
      errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', value: dry, detail: 'supported values: "All"' });
    if (fv !== null && !['', 'Ignore', 'Strict', 'Warn'].includes(fv))
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'fieldValidation',
        value: fv,
        detail: 'supported values: "", "Ignore", "Strict", "Warn"',
      });
    if (errs.length) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
  }
  return {
    dryRun: kind !== 'DeleteOptions' && dry.length > 0,
    fieldValidation: (fv || 'Warn') as FieldValidation,
    ...(fm ? { fieldManager: fm } : {}),
    warnings,
  };
}

export function deleteOptions(buf: Buffer, q: URLSearchParams): DeleteOptions {
  // DEL-8 / §2.8: a body wins; query parameters are read only without one.
  if (buf.length > 0 && buf.toString('utf8').trim() !== '') {
    let o: Obj;
    try {
      o = parseJsonText(buf.toString('utf8')).value as Obj;
    } catch (e) {
      // The body is decoded by the universal decoder, which first looks for apiVersion and kind
      // (kube-apiserver v1.36.2: conformance case `delete/options`).
      if (!(e instanceof JsonSyntaxError)) throw e;
      throw badRequest(`couldn't get version/kind; json parse error: ${e.message}`);
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
