import type { FieldError } from '../types.ts';
import { StatusError, badRequest, invalid } from '../errors.ts';
import type { ListQuery } from './request-options.ts';

/**
 * A resourceVersion parameter (etcd's uint64). A bad one is a 400 `invalid resource version: ...`
 * for lists; a watch answers the bare storage error with a 500, as the real watch cache does.
 */
export function parseRv(s: string | undefined, use: 'list' | 'watch' = 'list'): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (!/^\d+$/.test(s)) {
    const why = `resourceVersion: Invalid value: ${JSON.stringify(s)}: strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
    if (use === 'watch') throw new StatusError(500, '', why);
    throw badRequest(`invalid resource version: ${why}`);
  }
  return Number(s);
}

function listFieldErrors(kind: 'ListOptions' | 'DeleteOptions' | 'PatchOptions', errs: FieldError[]): StatusError {
  return invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

export function validateListOptions(q: ListQuery, isWatch: boolean): void {
  const errs: FieldError[] = [];
  const match = q.resourceVersionMatch ?? '';
  const forbidden = (detail: string): FieldError => ({
    type: 'FieldValueForbidden',
    field: 'resourceVersionMatch',
    detail,
  });
  if (isWatch) {
    // validateWatchOptions: "provided" means set, to true or false.
    if (q.sendInitialEvents !== undefined && match !== 'NotOlderThan')
      errs.push(forbidden('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (match) {
      if (q.sendInitialEvents === undefined)
        errs.push(forbidden('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan')
        errs.push({
          type: 'FieldValueNotSupported',
          field: 'resourceVersionMatch',
          value: match,
          detail: 'supported values: "NotOlderThan"',
        });
      if (q.continue) errs.push(forbidden('resourceVersionMatch is forbidden when continue is provided'));
    }
  } else if (match) {
    if (q.resourceVersion === undefined || q.resourceVersion === '')
      errs.push(forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (q.continue) errs.push(forbidden('resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'resourceVersionMatch',
        value: match,
        detail: 'supported values: "Exact", "NotOlderThan", ""',
      });
    }
    if (match === 'Exact' && q.resourceVersion === '0')
      errs.push(forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (!isWatch && q.sendInitialEvents !== undefined) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'sendInitialEvents',
      detail: 'sendInitialEvents is forbidden for list',
    });
  }
  if (errs.length) throw listFieldErrors('ListOptions', errs);
}
