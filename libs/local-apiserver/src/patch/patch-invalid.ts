import { StatusError } from '../errors.ts';
import type { Obj } from '../types.ts';
import { OBJECT_META_ORDER } from '../crd-schema/prune.ts';
import { goJson, goQuote } from '../crd-schema/go-format.ts';
import { PATCH_TYPES } from '../engine/request-options.ts';
import type { JsonPatchOperation } from './json-patch.ts';

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * kube-apiserver's 422 for a patch whose result does not decode (PATCH-7):
 * `errors.NewInvalid(schema.GroupKind{}, "", field.Invalid(field.NewPath("patch"), value, detail))`,
 * so the message starts ` "" is invalid: patch:` and the details carry only the cause.
 */
export function patchInvalid(value: string, detail: string): StatusError {
  const body = `Invalid value: ${goQuote(value)}: ${detail}`;
  return new StatusError(422, 'Invalid', ` "" is invalid: patch: ${body}`, {
    causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }],
  });
}

function metaRank(k: string): number {
  const i = OBJECT_META_ORDER.indexOf(k);
  return i < 0 ? OBJECT_META_ORDER.length : i;
}

/**
 * A copy of v whose objects listed in `touched` (by identity) have their keys sorted, and whose
 * untouched metadata has ObjectMeta's order.
 */
function sortTouched(v: unknown, touched: Set<unknown>, root = true, isMeta = false): unknown {
  if (Array.isArray(v)) return v.map((x) => sortTouched(x, touched, false));
  if (!isObj(v)) return v;
  const keys = touched.has(v)
    ? Object.keys(v).sort()
    : isMeta
      ? Object.keys(v).sort((a, b) => metaRank(a) - metaRank(b))
      : Object.keys(v);
  const out: Obj = {};
  for (const k of keys) out[k] = sortTouched(v[k], touched, false, root && k === 'metadata');
  return out;
}

/**
 * The patched object as kube-apiserver prints it in patchInvalid: the JSON the patch library
 * produced. json-patch and the merge-patch code decode into Go maps only what the patch reaches
 * (those objects come out with sorted keys), the rest stays as the stored object encoded it.
 */
export function patchedObjectText(patched: Obj, contentType: string, patch: unknown): string {
  const touched = new Set<unknown>([patched]);
  if (contentType === PATCH_TYPES.merge) {
    const walk = (target: unknown, p: unknown) => {
      if (!isObj(target) || !isObj(p)) return;
      touched.add(target);
      for (const [k, pv] of Object.entries(p)) walk(target[k], pv);
    };
    walk(patched, patch);
  } else if (contentType === PATCH_TYPES.json && Array.isArray(patch)) {
    for (const op of patch as JsonPatchOperation[]) {
      for (const pointer of [op['path'], op['from']]) {
        if (typeof pointer !== 'string') continue;
        let cur: unknown = patched;
        for (const seg of pointer.split('/').slice(1, -1)) {
          const key = seg.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
          if (isObj(cur)) touched.add(cur);
          cur = isObj(cur) ? cur[key] : Array.isArray(cur) ? cur[Number(key)] : undefined;
        }
        if (isObj(cur)) touched.add(cur);
      }
    }
  }
  return goJson(sortTouched(patched, touched));
}
