import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { configMapKeyErrors } from '../../validation/names.ts';
import { badRequest } from '../../errors.ts';
import { noGeneration, obj, type Obj } from './shared.ts';
import { textOf } from '../../engine/object-values.ts';
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
    // ValidateSecretUpdate: immutability first, then everything ValidateSecret checks.
    const errs: FieldError[] = [];
    if (old && old.type !== o.type)
      errs.push({ type: 'FieldValueInvalid', field: 'type', value: o.type, detail: 'field is immutable' });
    if (old && old.immutable === true) {
      if (o.immutable !== true)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'immutable',
          detail: 'field is immutable when `immutable` is set',
        });
      if (JSON.stringify(o.data ?? null) !== JSON.stringify(old.data ?? null))
        errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
    }
    const data = obj(o.data);
    for (const k of Object.keys(data)) {
      for (const m of configMapKeyErrors(k))
        errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: m });
    }
    let size = 0;
    for (const v of Object.values(data)) size += Buffer.byteLength(String(v), 'base64');
    if (size > MAX_DATA_BYTES)
      errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `may not be more than ${MAX_DATA_BYTES} bytes` });
    errs.push(...typeErrors(o.type as string, data, obj(o.metadata?.annotations)));
    return errs;
  },
};

const required = (field: string): FieldError => ({ type: 'FieldValueRequired', field });

/** The keys each well-known Secret type must carry (ValidateSecret's switch on the type). */
function typeErrors(type: string, data: Obj, annotations: Obj): FieldError[] {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (type) {
    case 'kubernetes.io/service-account-token':
      return annotations['kubernetes.io/service-account.name']
        ? []
        : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return has('.dockercfg') ? jsonErrors(data, '.dockercfg') : [required('data[.dockercfg]')];
    case 'kubernetes.io/dockerconfigjson':
      return has('.dockerconfigjson') ? jsonErrors(data, '.dockerconfigjson') : [required('data[.dockerconfigjson]')];
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required('data[username]'), required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return textOf(data['ssh-privatekey']).length ? [] : [required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return [
        ...(has('tls.crt') ? [] : [required('data[tls.crt]')]),
        ...(has('tls.key') ? [] : [required('data[tls.key]')]),
      ];
    default:
      return [];
  }
}

function jsonErrors(data: Obj, key: string): FieldError[] {
  const text = Buffer.from(String(data[key]), 'base64').toString('utf8');
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return [];
    throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
  } catch (e) {
    return [
      {
        type: 'FieldValueInvalid',
        field: `data[${key}]`,
        value: '<secret contents redacted>',
        detail: (e as Error).message,
      },
    ];
  }
}
