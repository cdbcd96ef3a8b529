import { clone } from '../store/object-store.ts';
import type { Obj } from '../types.ts';
/**
 * Strategic merge patch (PATCH-6) for built-in kinds. Go derives list strategies from struct
 * tags; here a small schema tree per kind says which lists merge and by which key. Lists not in
 * the tree are replaced atomically, exactly as untagged Go lists are.
 */

export interface SmpNode {
  /** For a map/struct: its known fields. */
  fields?: Record<string, SmpNode>;
  /** For a list: merge semantics (absent = atomic replace). */
  merge?: { key?: string };
  /** For a list of objects: the item schema. */
  items?: SmpNode;
  /** `retainKeys` patch strategy on a struct (e.g. DeploymentSpec.strategy). */
  retainKeys?: boolean;
}

export class StrategicMergePatchError extends Error {
  readonly code = 'StrategicMergePatchError';
}

const ObjectMeta: SmpNode = {
  fields: {
    finalizers: { merge: {} },
    ownerReferences: { merge: { key: 'uid' } },
  },
};

const Container: SmpNode = {
  fields: {
    env: { merge: { key: 'name' } },
    ports: { merge: { key: 'containerPort' } },
    volumeMounts: { merge: { key: 'mountPath' } },
    volumeDevices: { merge: { key: 'devicePath' } },
  },
};

const PodSpec: SmpNode = {
  fields: {
    containers: { merge: { key: 'name' }, items: Container },
    initContainers: { merge: { key: 'name' }, items: Container },
    ephemeralContainers: { merge: { key: 'name' }, items: Container },
    volumes: { merge: { key: 'name' }, items: { retainKeys: true } },
    imagePullSecrets: { merge: { key: 'name' } },
    hostAliases: { merge: { key: 'ip' } },
    topologySpreadConstraints: { merge: { key: 'topologyKey' } },
    resourceClaims: { merge: { key: 'name' } },
    schedulingGates: { merge: { key: 'name' } },
  },
};

const PodTemplateSpec: SmpNode = { fields: { metadata: ObjectMeta, spec: PodSpec } };

const withMeta = (fields: Record<string, SmpNode> = {}): SmpNode => ({ fields: { metadata: ObjectMeta, ...fields } });

const conditionsByType: SmpNode = { merge: { key: 'type' } };

/** admissionregistration/v1 `webhooks` and each webhook's `matchConditions` merge by name. */
const webhooksByName: SmpNode = {
  merge: { key: 'name' },
  items: { fields: { matchConditions: { merge: { key: 'name' } } } },
};

/** Schema trees by `<group>/<Kind>`; unknown kinds get metadata-only semantics. */
export const SMP_SCHEMAS: Record<string, SmpNode> = {
  '/Pod': withMeta({ spec: PodSpec, status: { fields: { conditions: conditionsByType } } }),
  'apps/Deployment': withMeta({
    spec: { fields: { template: PodTemplateSpec, strategy: { retainKeys: true } } },
    status: { fields: { conditions: conditionsByType } },
  }),
  'apps/ReplicaSet': withMeta({
    spec: { fields: { template: PodTemplateSpec } },
    status: { fields: { conditions: conditionsByType } },
  }),
  '/Service': withMeta({
    spec: { fields: { ports: { merge: { key: 'port' } } } },
  }),
  '/ServiceAccount': withMeta({ secrets: { merge: { key: 'name' } } }),
  'batch/Job': withMeta({
    spec: { fields: { template: PodTemplateSpec } },
    status: { fields: { conditions: conditionsByType } },
  }),
  'batch/CronJob': withMeta({
    spec: { fields: { jobTemplate: { fields: { spec: { fields: { template: PodTemplateSpec } } } } } },
  }),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': withMeta({ webhooks: webhooksByName }),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': withMeta({ webhooks: webhooksByName }),
  '/Namespace': withMeta({ status: { fields: { conditions: conditionsByType } } }),
};

export function smpSchemaFor(group: string, kind: string): SmpNode {
  return SMP_SCHEMAS[`${group}/${kind}`] ?? withMeta();
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

function keyOf(item: unknown, key: string): unknown {
  return isObj(item) ? item[key] : undefined;
}

function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

function mergeList(
  orig: unknown[] | undefined,
  patch: unknown[],
  node: SmpNode,
  order: unknown[] | undefined,
): unknown[] {
  const key = node.merge!.key;
  const base = Array.isArray(orig) ? orig.slice() : [];
  if (!key) {
    // Primitive list with merge strategy (finalizers): the set union, then the real order.
    const out = base.slice();
    for (const v of patch) if (!out.some((x) => sameKey(x, v))) out.push(v);
    return enforceOrder(out, order ?? patch, base, (x) => x);
  }
  // `{"$patch":"replace"}` as an item replaces the whole list with the other items.
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObj(p) && p.$patch === 'replace')).map((p) => stripDirectives(p));
  }
  let out = base.slice();
  const items: unknown[] = [];
  for (const item of patch) {
    if (!isObj(item)) throw new StrategicMergePatchError(`cannot merge non-object item into list keyed by ${key}`);
    const k = item[key];
    if (item.$patch === 'delete') {
      out = out.filter((x) => !sameKey(keyOf(x, key), k));
      continue;
    }
    if (k === undefined)
      throw new StrategicMergePatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    items.push(item);
    const idx = out.findIndex((x) => sameKey(keyOf(x, key), k));
    if (idx >= 0) out[idx] = mergeValue(out[idx], item, node.items ?? {});
    else out.push(mergeValue(undefined, item, node.items ?? {}));
  }
  return enforceOrder(out, order ?? items, base, (x) => keyOf(x, key));
}

/**
 * The order apimachinery's strategic merge gives a merged list (normalizeElementOrder): the
 * items the patch names (or `$setElementOrder` lists) in that order, the others in their live
 * order, interleaved so that two items of the live list keep their relative order. So a new
 * finalizer lands in front of the existing ones, not after them.
 */
function enforceOrder(
  merged: unknown[],
  orderList: unknown[],
  live: unknown[],
  keyFn: (x: unknown) => unknown,
): unknown[] {
  const orderKeys = orderList.map((o) => keyFn(o));
  const liveKeys = live.map((o) => keyFn(o));
  const indexIn = (keys: unknown[], x: unknown) => keys.findIndex((k) => sameKey(k, keyFn(x)));
  const inPatch = merged.filter((x) => indexIn(orderKeys, x) >= 0);
  const serverOnly = merged.filter((x) => indexIn(orderKeys, x) < 0);
  const byIndex = (keys: unknown[]) => (a: unknown, b: unknown) => {
    const ia = indexIn(keys, a);
    const ib = indexIn(keys, b);
    return ia >= 0 && ib >= 0 ? ia - ib : 0;
  };
  inPatch.sort(byIndex(orderKeys));
  serverOnly.sort(byIndex(liveKeys));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < inPatch.length) {
    if (i >= serverOnly.length) out.push(inPatch[j++]);
    else if (j >= inPatch.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(liveKeys, serverOnly[i]);
      const ri = indexIn(liveKeys, inPatch[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(inPatch[j++]);
    }
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

function mergeValue(orig: unknown, patch: unknown, node: SmpNode): unknown {
  if (isObj(patch)) return mergeMap(isObj(orig) ? orig : undefined, patch, node);
  return stripDirectives(patch);
}

function mergeMap(orig: Obj | undefined, patch: Obj, node: SmpNode): Obj | undefined {
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(patch) as Obj;
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge')
    throw new StrategicMergePatchError(
      `Unknown patch type: ${typeof directive === 'string' ? directive : JSON.stringify(directive)}`,
    );
  const out: Obj = orig ? { ...orig } : {};
  const fields = node.fields ?? {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER)) continue;
    if (k.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = k.slice(DELETE_FROM_PRIMITIVE.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) {
        out[field] = (out[field] as unknown[]).filter((x) => !v.some((d) => sameKey(d, x)));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const child = fields[k] ?? {};
    if (Array.isArray(v) && child.merge) {
      const order = patch[SET_ORDER + k];
      out[k] = mergeList(out[k] as unknown[] | undefined, v, child, Array.isArray(order) ? order : undefined);
    } else if (isObj(v)) {
      const merged = mergeMap(isObj(out[k]) ? (out[k] as Obj) : undefined, v, child);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = stripDirectives(v);
    }
  }
  // `$setElementOrder` alone (no list in the patch) still reorders the live list.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (field in patch || !Array.isArray(out[field]) || !Array.isArray(v)) continue;
    const child = fields[field];
    const key = child?.merge?.key;
    const keyFn = (x: unknown) => (key ? keyOf(x, key) : x);
    out[field] = enforceOrder(out[field] as unknown[], v, out[field] as unknown[], keyFn);
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

/** Applies a strategic merge patch to a copy of the original object. */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SmpNode): unknown {
  if (!isObj(patch)) throw new StrategicMergePatchError('strategic merge patch must be a JSON object');
  const merged = mergeMap(isObj(original) ? clone(original) : {}, patch, schema);
  return merged ?? {};
}
