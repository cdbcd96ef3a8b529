import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { configMapKeyErrors } from '../../validation/names.ts';
import { noGeneration, obj } from './shared.ts';

/** kube's MaxSecretSize, which bounds ConfigMaps too: the sum of value bytes (keys not counted). */
export const MAX_DATA_BYTES = 1024 * 1024;

// ---------------------------------------------------------------- ConfigMap (CM-1)
export const configMapStrategy: Strategy = {
  ...noGeneration,
  validate(o, old) {
    const errs: FieldError[] = [];
    for (const field of ['data', 'binaryData']) {
      for (const k of Object.keys(obj(o[field]))) {
        for (const m of configMapKeyErrors(k))
          errs.push({ type: 'FieldValueInvalid', field: `${field}[${k}]`, value: k, detail: m });
      }
    }
    let size = 0;
    for (const v of Object.values(obj(o.data))) size += Buffer.byteLength(String(v), 'utf8');
    for (const v of Object.values(obj(o.binaryData))) size += Buffer.byteLength(String(v), 'base64');
    if (size > MAX_DATA_BYTES)
      errs.push({ type: 'FieldValueTooLong', field: '[]', detail: `may not be more than ${MAX_DATA_BYTES} bytes` });
    if (old && old.immutable === true) {
      for (const field of ['data', 'binaryData']) {
        if (JSON.stringify(o[field] ?? null) !== JSON.stringify(old[field] ?? null)) {
          errs.push({ type: 'FieldValueForbidden', field, detail: 'field is immutable when `immutable` is set' });
        }
      }
      if (o.immutable !== true)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'immutable',
          detail: 'field is immutable when `immutable` is set',
        });
    }
    return errs;
  },
};
