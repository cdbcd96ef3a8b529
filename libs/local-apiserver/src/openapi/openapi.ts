/**
 * OpenAPI v3 documents generated from the served resource types (§1.8 OAPI-2…OAPI-4, CRD-O-1).
 *
 * kubectl needs them for two things. `create`/`apply`/`replace` look for a PATCH operation with
 * the object's GVK and a `fieldValidation` parameter, and if they find one they let the server
 * validate (`?fieldValidation=Strict`) instead of failing with "failed to download openapi".
 * `kubectl explain` walks `components.schemas`, which for CRDs are their openAPIV3Schema.
 *
 * Deliberately absent: `application/strategic-merge-patch+json` in PATCH request bodies. If it
 * were listed, kubectl would compute client-side-apply patches from these schemas, which carry
 * no patch-merge keys, and replace whole lists (containers, env) — OAPI-4. Without it kubectl
 * falls back to its compiled-in types, which know every merge key.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../types.ts';
import { gvPath, schemaName, type Json } from './schema-names.ts';
import { resourcePaths } from './paths.ts';
import { builtinSchema, customSchema, listSchema, metaSchemas, scaleSchema } from './schemas.ts';

/** Main resources of one group-version (subresource types are folded into their resource). */
function typesOf(gv: string, types: readonly ResourceType[]): ResourceType[] {
  return types.filter((t) => gvPath(t.group, t.version) === gv && !t.plural.includes('/'));
}

/** Body of GET /openapi/v3/{gv}; undefined when nothing is served there (→ 404). */
export function openApiDocument(gv: string, types: readonly ResourceType[]): Json | undefined {
  const served = typesOf(gv, types).sort((a, b) => a.plural.localeCompare(b.plural));
  if (served.length === 0) return undefined;
  const paths: Json = {};
  const schemas: Json = metaSchemas();
  for (const rt of served) {
    resourcePaths(rt, paths);
    schemas[schemaName(rt)] = rt.origin === 'custom' ? customSchema(rt) : builtinSchema(rt);
    schemas[schemaName(rt, `${rt.kind}List`)] = listSchema(rt);
    if (rt.subresources.scale) schemas['io.k8s.api.autoscaling.v1.Scale'] = scaleSchema;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

/** Hash of a document, used in the index URL so clients re-fetch when a CRD changes. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** Body of GET /openapi/v3 (OAPI-2): keys without a leading slash, hashed URLs. */
export function openApiIndex(types: readonly ResourceType[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const gvs = [...new Set(types.filter((t) => !t.plural.includes('/')).map((t) => gvPath(t.group, t.version)))].sort();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of gvs) {
    const doc = openApiDocument(gv, types);
    if (doc) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${documentHash(doc)}` };
  }
  return { paths };
}
