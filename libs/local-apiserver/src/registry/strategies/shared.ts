/** Small pieces every built-in strategy uses: tolerant object access, SetDefaults-style setters, the status split. */
import type { KubeObject, Obj } from '../../types.ts';
import { clone } from '../../store/object-store.ts';

export type { Obj };

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

export function ensureObj(parent: Obj, key: string): Obj {
  if (parent[key] === null || typeof parent[key] !== 'object' || Array.isArray(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

export const noGeneration = {
  generation: 'none' as const,
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain' as const,
};

export function keepStatus(o: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete o.status;
  else o.status = clone(old.status);
}

export function takeStatus(o: KubeObject, old: KubeObject): KubeObject {
  const out = clone(old) as KubeObject;
  if (o.status === undefined) delete out.status;
  else out.status = clone(o.status);
  out.metadata!.resourceVersion = o.metadata?.resourceVersion;
  return out;
}

/** Plain status split (UPD-7, ST-2 shape) used by most built-ins with a status subresource. */
export const statusSplit = {
  prepareForCreate: (o: KubeObject) => {
    delete o.status;
  },
  prepareForUpdate: (o: KubeObject, old: KubeObject) => keepStatus(o, old),
  prepareForStatusUpdate: takeStatus,
};

/** Go's encoding of `int32 ... ,omitempty` fields: a zero is not written. */
export function dropZeros(status: unknown, fields: readonly string[]): void {
  const o = obj(status);
  for (const f of fields) if (o[f] === 0) delete o[f];
}
