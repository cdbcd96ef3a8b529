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
    // ValidateConfigMapUpdate: immutability first, then everything ValidateConfigMap checks.
    const errs: FieldError[] = [];
    if (old && old.immutable === true) {
      if (o.immutable !== true)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'immutable',
          detail: 'field is immutable when `immutable` is set',
        });
      for (const field of ['data', 'binaryData']) {
        if (JSON.stringify(o[field] ?? null) !== JSON.stringify(old[field] ?? null)) {
          errs.push({ type: 'FieldValueForbidden', field, detail: 'field is immutable when `immutable` is set' });
        }
      }
    }
    const binary = obj(o.binaryData);
    for (const k of Object.keys(obj(o.data))) {
      for (const m of configMapKeyErrors(k))
        errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: m });
      if (k in binary)
        errs.push({
          type: 'FieldValueInvalid',
          field: `data[${k}]`,
          value: k,
          detail: 'duplicate of key present in binaryData',
        });
    }
    for (const k of Object.keys(binary))
      for (const m of configMapKeyErrors(k))
        errs.push({ type: 'FieldValueInvalid', field: `binaryData[${k}]`, value: k, detail: m });
    let size = 0;
    for (const v of Object.values(obj(o.data))) size += Buffer.byteLength(String(v), 'utf8');
    for (const v of Object.values(binary)) size += Buffer.byteLength(String(v), 'base64');
    if (size > MAX_DATA_BYTES)
      errs.push({ type: 'FieldValueTooLong', field: '[]', detail: `may not be more than ${MAX_DATA_BYTES} bytes` });
    return errs;
  },
};
