import type { ResourceType } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';

const NAMESPACE_SUBRESOURCES = ['status', 'finalize'];

export interface ResourceRequest {
  rt: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  watchPrefix: boolean;
}

/**
 * Resolves `/api/v1/...` and `/apis/{g}/{v}/...` to a resource request (URL-1, URL-4, URL-6),
 * or undefined when the path names no resource (→ the Status 404 of the API handlers).
 */
export function resolveResource(
  engine: ApiEngine,
  group: string,
  version: string,
  parts: string[],
): ResourceRequest | undefined {
  let watchPrefix = false;
  let p = parts;
  if (p[0] === 'watch') {
    watchPrefix = true;
    p = p.slice(1);
  }
  let namespace = '';
  let scoped = false;
  if (p[0] === 'namespaces' && p.length > 1) {
    namespace = p[1];
    if (p.length > 2 && !NAMESPACE_SUBRESOURCES.includes(p[2])) {
      p = p.slice(2);
      scoped = true;
    }
  }
  const [resource, name = '', subresource = '', ...extra] = p;
  if (!resource || extra.length) return undefined;
  const rt = engine.registry.find(group, version, resource);
  if (!rt) return undefined;
  if (rt.storageKey === '/namespaces') {
    // namespaces/{ns}/namespaces: a cluster-scoped resource under a namespace names nothing.
    if (scoped) return undefined;
    // /api/v1/namespaces/{n}[/status|/finalize]: the namespace is the object, not a scope.
    return { rt, namespace: '', name: p[0] === 'namespaces' ? name : '', subresource, watchPrefix };
  }
  if (!rt.namespaced && namespace) return undefined;
  return { rt, namespace, name, subresource, watchPrefix };
}
