/** Names shared by the paths and the schemas of a document: schema keys, `$ref`s, GVK extensions. */
import type { ResourceType } from '../types.ts';

export type Json = Record<string, unknown>;

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** `api/v1` or `apis/{group}/{version}`: the key of a group-version in the index. */
export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Schema name: `io.k8s.api.core.v1.ConfigMap` for built-ins, `com.example.v1.Widget` for CRs. */
export function schemaName(rt: Pick<ResourceType, 'group' | 'version' | 'kind' | 'origin'>, kind = rt.kind): string {
  if (rt.origin === 'custom') return `${rt.group.split('.').reverse().join('.')}.${rt.version}.${kind}`;
  if (rt.group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${rt.version}.${kind}`;
  const pkg = rt.group === '' ? 'core' : rt.group.split('.')[0];
  return `io.k8s.api.${pkg}.${rt.version}.${kind}`;
}

export function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

export function gvk(rt: ResourceType, kind = rt.kind): Json {
  return { group: rt.group, version: rt.version, kind };
}
