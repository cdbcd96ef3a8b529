import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { configMapKeyErrors } from '../../validation/names.ts';
import { badRequest } from '../../errors.ts';
import { noGeneration, obj, type Obj } from './shared.ts';
import { MAX_DATA_BYTES } from './configmap.ts';

// ---------------------------------------------------------------- Secret (SEC-1)
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const secretStrategy: Strategy = {
  ...noGeneration,
  defaults(o) {
    if (o.type === undefined || o.type === '') o.type = 'Opaque';
    const data = obj(o.data);
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string' || !BASE64.test(v) || v.length % 4 === 1) {
        const s = String(v);
        let idx = s.search(/[^A-Za-z0-9+/=]/);
        if (idx < 0) idx = s.length - (s.length % 4);
        throw badRequest(
          `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${idx}`,
        );
      }
      void k;
    }
    if (o.stringData && typeof o.stringData === 'object') {
      const merged = { ...data };
      for (const [k, v] of Object.entries(o.stringData as Obj))
        merged[k] = Buffer.from(String(v), 'utf8').toString('base64');
      o.data = merged;
    }
    delete o.stringData;
  },
  validate(o, old) {
    const errs: FieldError[] = [];
    for (const k of Object.keys(obj(o.data))) {
      for (const m of configMapKeyErrors(k))
        errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: m });
    }
    let size = 0;
    for (const v of Object.values(obj(o.data))) size += Buffer.byteLength(String(v), 'base64');
    if (size > MAX_DATA_BYTES)
      errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `may not be more than ${MAX_DATA_BYTES} bytes` });
    if (old && old.type !== o.type)
      errs.push({ type: 'FieldValueInvalid', field: 'type', value: o.type, detail: 'field is immutable' });
    if (old && old.immutable === true && JSON.stringify(o.data ?? null) !== JSON.stringify(old.data ?? null)) {
      errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
    }
    return errs;
  },
};
