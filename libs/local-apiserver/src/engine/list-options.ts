import type { FieldError } from '../types.ts';
import { StatusError, badRequest, invalid } from '../errors.ts';
import type { ListQuery } from './request-options.ts';

export function parseRv(s: string | undefined, what = 'resource version'): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (!/^\d+$/.test(s)) throw badRequest(`invalid ${what}: ${s}`);
  return Number(s);
}

function listFieldErrors(kind: 'ListOptions' | 'DeleteOptions' | 'PatchOptions', errs: FieldError[]): StatusError {
  return invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

export function validateListOptions(q: ListQuery, isWatch: boolean): void {
  const errs: FieldError[] = [];
  if (q.resourceVersionMatch !== undefined && q.resourceVersionMatch !== '') {
    if (isWatch) {
      if (!q.sendInitialEvents) {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'resourceVersionMatch',
          detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        });
      } else if (q.resourceVersionMatch !== 'NotOlderThan') {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'resourceVersionMatch',
          detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        });
      }
    } else {
      if (q.resourceVersion === undefined || q.resourceVersion === '') {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'resourceVersionMatch',
          detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided',
        });
      }
      if (q.continue)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'resourceVersionMatch',
          detail: 'resourceVersionMatch is forbidden when continue is provided',
        });
      if (q.resourceVersionMatch !== 'Exact' && q.resourceVersionMatch !== 'NotOlderThan') {
        errs.push({
          type: 'FieldValueNotSupported',
          field: 'resourceVersionMatch',
          value: q.resourceVersionMatch,
          detail: 'supported values: "Exact", "NotOlderThan", ""',
        });
      }
      if (q.resourceVersionMatch === 'Exact' && q.resourceVersion === '0') {
        errs.push({
          type: 'FieldValueForbidden',
          field: 'resourceVersionMatch',
          detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        });
      }
    }
  } else if (isWatch && q.sendInitialEvents) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'resourceVersionMatch',
      detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    });
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
