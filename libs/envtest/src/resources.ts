import type { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from './api-request.ts';
import { ApiRequestError, InvalidManifestError, UnknownKindError } from './errors.ts';

/** Where a kind lives on the server, as discovery reports it. */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** The discovery path of a group/version: `v1` is the legacy core group under /api. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * Maps apiVersion/kind to plural and scope by asking the server's discovery, the way kubectl
 * does, so manifests of any kind (including CRDs installed a moment ago) can be applied without
 * a built-in table. One mapper caches per group/version; `forget` drops an entry after the set of
 * served kinds changed (a CRD was installed).
 */
export class ResourceMapper {
  private readonly cache = new Map<string, Promise<ApiResourceList | undefined>>();
  constructor(private readonly kc: KubeConfig) {}

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const list = await this.discover(apiVersion);
    const found = list?.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) {
      this.forget(apiVersion);
      throw new UnknownKindError(apiVersion, kind);
    }
    return { plural: found.name, namespaced: found.namespaced };
  }

  /** The plurals a group/version serves right now (fresh, not cached). */
  async servedPlurals(apiVersion: string): Promise<string[]> {
    this.forget(apiVersion);
    const list = await this.discover(apiVersion);
    return (list?.resources ?? []).map((r) => r.name).filter((n) => !n.includes('/'));
  }

  forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
  }

  private discover(apiVersion: string): Promise<ApiResourceList | undefined> {
    let entry = this.cache.get(apiVersion);
    if (!entry) {
      const path = groupVersionPath(apiVersion);
      entry = apiRequest(this.kc, 'GET', path).then((res) => {
        if (res.status === 404) return undefined;
        if (res.status !== 200) throw new ApiRequestError('GET', path, res.status, res.body);
        return res.body as ApiResourceList;
      });
      entry.catch(() => this.cache.delete(apiVersion));
      this.cache.set(apiVersion, entry);
    }
    return entry;
  }
}

/** A Kubernetes object as envtest handles it: plain JSON with the fields we need typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    resourceVersion?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** Checks the fields every manifest needs and names the offending document when one is missing. */
export function asKubeObject(value: unknown, where: string): KubeObject {
  const o = value as Partial<KubeObject> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new InvalidManifestError(`${where}: not an object`);
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    throw new InvalidManifestError(`${where}: apiVersion and kind are required`);
  }
  if (!o.metadata || typeof o.metadata !== 'object' || typeof o.metadata.name !== 'string' || !o.metadata.name) {
    throw new InvalidManifestError(`${where}: ${o.kind} without metadata.name`);
  }
  return o as KubeObject;
}

/** Collection path of a kind: `/apis/g/v/namespaces/ns/plural` or `/apis/g/v/plural`. */
export function collectionPath(apiVersion: string, info: ResourceInfo, namespace: string | undefined): string {
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(namespace || 'default')}` : '';
  return `${groupVersionPath(apiVersion)}${ns}/${info.plural}`;
}
