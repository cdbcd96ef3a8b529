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
import type { JsonSchemaProps, ResourceType } from '../types.ts';

type Json = Record<string, unknown>;

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

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

function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

function queryParam(name: string, type: 'string' | 'boolean' | 'integer', description: string): Json {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const params = {
  dryRun: queryParam(
    'dryRun',
    'string',
    'When present, indicates that modifications should not be persisted. Valid value: All.',
  ),
  fieldManager: queryParam(
    'fieldManager',
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: queryParam(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.',
  ),
  force: queryParam(
    'force',
    'boolean',
    'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.',
  ),
  pretty: queryParam('pretty', 'string', "If 'true', then the output is pretty printed."),
  labelSelector: queryParam(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  fieldSelector: queryParam(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  limit: queryParam('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  continue: queryParam(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server.',
  ),
  resourceVersion: queryParam(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  resourceVersionMatch: queryParam(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  watch: queryParam(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
  allowWatchBookmarks: queryParam(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  ),
  sendInitialEvents: queryParam(
    'sendInitialEvents',
    'boolean',
    'sendInitialEvents=true may be set together with watch=true.',
  ),
  timeoutSeconds: queryParam('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  gracePeriodSeconds: queryParam(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted.',
  ),
  propagationPolicy: queryParam(
    'propagationPolicy',
    'string',
    'Whether and how garbage collection will be performed: Orphan, Background or Foreground.',
  ),
};

function pathParam(name: string, description: string): Json {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

const jsonContent = (schema: Json): Json => ({ 'application/json': { schema }, 'application/yaml': { schema } });

function gvk(rt: ResourceType, kind = rt.kind): Json {
  return { group: rt.group, version: rt.version, kind };
}

function operation(rt: ResourceType, action: string, opId: string, extra: Json, kind = rt.kind): Json {
  return {
    tags: [rt.group === '' ? `core_${rt.version}` : `${rt.group.replace(/\./g, '_')}_${rt.version}`],
    description: `${action} ${kind}`,
    operationId: opId,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(rt, kind),
    ...extra,
  };
}

function responses(ok: Json, codes: string[] = ['200']): Json {
  const out: Json = {};
  for (const c of codes)
    out[c] = { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', content: jsonContent(ok) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

function patchBody(): Json {
  return {
    content: {
      'application/json-patch+json': { schema: ref(PATCH) },
      'application/merge-patch+json': { schema: ref(PATCH) },
      'application/apply-patch+yaml': { schema: ref(PATCH) },
    },
    required: true,
  };
}

function opName(verb: string, rt: ResourceType, suffix = ''): string {
  const gv = (rt.group === '' ? 'core' : rt.group.split('.')[0]!) + rt.version[0]!.toUpperCase() + rt.version.slice(1);
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  return `${verb}${cap(gv.replace(/-/g, ''))}${rt.namespaced && verb !== 'list' ? 'Namespaced' : ''}${rt.kind}${suffix}`;
}

function resourcePaths(rt: ResourceType, paths: Json): void {
  const prefix = `/${gvPath(rt.group, rt.version)}`;
  const nsPrefix = rt.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const collection = `${nsPrefix}/${rt.plural}`;
  const item = `${collection}/{name}`;
  const objRef = ref(schemaName(rt));
  const listRef = ref(schemaName(rt, `${rt.kind}List`));
  const nsParam = rt.namespaced
    ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')]
    : [];
  const listParams = [
    params.allowWatchBookmarks,
    params.continue,
    params.fieldSelector,
    params.labelSelector,
    params.limit,
    params.resourceVersion,
    params.resourceVersionMatch,
    params.sendInitialEvents,
    params.timeoutSeconds,
    params.watch,
  ];
  const verbs = new Set(rt.verbs);

  const coll: Json = { parameters: [...nsParam, params.pretty] };
  if (verbs.has('list'))
    coll.get = operation(rt, 'list', opName('list', rt), { parameters: listParams, responses: responses(listRef) });
  if (verbs.has('create')) {
    coll.post = operation(rt, 'post', opName('create', rt), {
      parameters: [params.dryRun, params.fieldManager, params.fieldValidation],
      requestBody: { content: { '*/*': { schema: objRef } }, required: true },
      responses: responses(objRef, ['200', '201', '202']),
    });
  }
  if (verbs.has('deletecollection')) {
    coll.delete = operation(rt, 'deletecollection', opName('deleteCollection', rt), {
      parameters: [...listParams, params.dryRun, params.gracePeriodSeconds, params.propagationPolicy],
      requestBody: { content: { '*/*': { schema: ref(DELETE_OPTIONS) } } },
      responses: responses(ref(STATUS)),
    });
  }
  paths[collection] = coll;
  if (rt.namespaced && verbs.has('list')) {
    paths[`${prefix}/${rt.plural}`] = {
      parameters: [params.pretty],
      get: operation(rt, 'list', `${opName('list', rt)}ForAllNamespaces`, {
        parameters: listParams,
        responses: responses(listRef),
      }),
    };
  }

  const itemOps = (suffix: string, kind = rt.kind, schema = objRef): Json => {
    const ops: Json = { parameters: [pathParam('name', `name of the ${kind}`), ...nsParam, params.pretty] };
    if (verbs.has('get'))
      ops.get = operation(rt, 'get', opName('read', rt, suffix), { responses: responses(schema) }, kind);
    if (verbs.has('update')) {
      ops.put = operation(
        rt,
        'put',
        opName('replace', rt, suffix),
        {
          parameters: [params.dryRun, params.fieldManager, params.fieldValidation],
          requestBody: { content: { '*/*': { schema } }, required: true },
          responses: responses(schema, ['200', '201']),
        },
        kind,
      );
    }
    if (verbs.has('patch')) {
      ops.patch = operation(
        rt,
        'patch',
        opName('patch', rt, suffix),
        {
          parameters: [params.dryRun, params.fieldManager, params.fieldValidation, params.force],
          requestBody: patchBody(),
          responses: responses(schema, ['200', '201']),
        },
        kind,
      );
    }
    return ops;
  };
  const main = itemOps('');
  if (verbs.has('delete')) {
    main.delete = operation(rt, 'delete', opName('delete', rt), {
      parameters: [params.dryRun, params.gracePeriodSeconds, params.propagationPolicy],
      requestBody: { content: { '*/*': { schema: ref(DELETE_OPTIONS) } } },
      responses: responses(ref(STATUS), ['200', '202']),
    });
  }
  paths[item] = main;
  if (rt.subresources.status) paths[`${item}/status`] = itemOps('Status');
  if (rt.subresources.scale) {
    const scaleRt: ResourceType = { ...rt, group: 'autoscaling', version: 'v1', origin: 'builtin' };
    const ops = itemOps('Scale', 'Scale', ref(schemaName(scaleRt, 'Scale')));
    for (const m of ['get', 'put', 'patch']) {
      if (ops[m])
        (ops[m] as Json)['x-kubernetes-group-version-kind'] = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    }
    paths[`${item}/scale`] = ops;
  }
}

const TYPE_META = {
  apiVersion: {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  },
  kind: {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  },
};

function metaSchemas(): Json {
  const str = (description: string) => ({ type: 'string', description });
  return {
    [OBJECT_META]: {
      type: 'object',
      description:
        'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      properties: {
        annotations: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Annotations is an unstructured key value map stored with a resource.',
        },
        creationTimestamp: {
          type: 'string',
          format: 'date-time',
          description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
        },
        deletionGracePeriodSeconds: {
          type: 'integer',
          format: 'int64',
          description: 'Number of seconds allowed for this object to gracefully terminate.',
        },
        deletionTimestamp: {
          type: 'string',
          format: 'date-time',
          description: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
        },
        finalizers: {
          type: 'array',
          items: { type: 'string', default: '' },
          'x-kubernetes-list-type': 'set',
          description: 'Must be empty before the object is deleted from the registry.',
        },
        generateName: str(
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
        ),
        generation: {
          type: 'integer',
          format: 'int64',
          description: 'A sequence number representing a specific generation of the desired state.',
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Map of string keys and values that can be used to organize and categorize objects.',
        },
        managedFields: {
          type: 'array',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          description:
            'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
        },
        name: str('Name must be unique within a namespace.'),
        namespace: str('Namespace defines the space within which each name must be unique.'),
        ownerReferences: {
          type: 'array',
          description: 'List of objects depended by this object.',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
          items: {
            type: 'object',
            required: ['apiVersion', 'kind', 'name', 'uid'],
            properties: {
              apiVersion: str('API version of the referent.'),
              kind: str('Kind of the referent.'),
              name: str('Name of the referent.'),
              uid: str('UID of the referent.'),
              controller: {
                type: 'boolean',
                description: 'If true, this reference points to the managing controller.',
              },
              blockOwnerDeletion: {
                type: 'boolean',
                description:
                  'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
              },
            },
          },
        },
        resourceVersion: str('An opaque value that represents the internal version of this object.'),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
        uid: str('UID is the unique in time and space value for this object.'),
      },
    },
    [LIST_META]: {
      type: 'object',
      description:
        'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: { type: 'integer', format: 'int64' },
        resourceVersion: str("String that identifies the server's internal version of this object."),
        selfLink: str('Deprecated.'),
      },
    },
    [STATUS]: {
      type: 'object',
      description: "Status is a return value for calls that don't return other objects.",
      properties: {
        ...TYPE_META,
        code: { type: 'integer', format: 'int32' },
        details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        message: { type: 'string' },
        metadata: { allOf: [ref(LIST_META)], default: {} },
        reason: { type: 'string' },
        status: { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [PATCH]: {
      type: 'object',
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    },
    [DELETE_OPTIONS]: {
      type: 'object',
      description: 'DeleteOptions may be provided when deleting an API object.',
      properties: {
        ...TYPE_META,
        dryRun: { type: 'array', items: { type: 'string', default: '' } },
        gracePeriodSeconds: { type: 'integer', format: 'int64' },
        orphanDependents: { type: 'boolean' },
        preconditions: { type: 'object', properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } } },
        propagationPolicy: { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
    },
  };
}

/** A CRD schema as published: its own properties plus TypeMeta and ObjectMeta (CRD-O-1). */
function customSchema(rt: ResourceType): Json {
  const schema = structuredClone(
    rt.crd?.version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  ) as JsonSchemaProps & Json;
  const properties = { ...(schema.properties ?? {}) } as Json;
  properties.apiVersion = { ...TYPE_META.apiVersion, ...(properties.apiVersion as Json | undefined) };
  properties.kind = { ...TYPE_META.kind, ...(properties.kind as Json | undefined) };
  properties.metadata = {
    allOf: [ref(OBJECT_META)],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  return { ...schema, type: 'object', properties, 'x-kubernetes-group-version-kind': [gvk(rt)] };
}

/**
 * Built-in schemas are open (preserve unknown fields): the server validates built-ins itself and
 * kubectl validates server-side through fieldValidation, so these only name the kind.
 */
function builtinSchema(rt: ResourceType): Json {
  return {
    type: 'object',
    description: `${rt.kind} (${rt.group || 'core'}/${rt.version}).`,
    properties: { ...TYPE_META, metadata: { allOf: [ref(OBJECT_META)], default: {} } },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [gvk(rt)],
  };
}

function listSchema(rt: ResourceType): Json {
  return {
    type: 'object',
    description: `${rt.kind}List is a list of ${rt.kind}`,
    required: ['items'],
    properties: {
      ...TYPE_META,
      items: { type: 'array', items: ref(schemaName(rt)) },
      metadata: { allOf: [ref(LIST_META)], default: {} },
    },
    'x-kubernetes-group-version-kind': [gvk(rt, `${rt.kind}List`)],
  };
}

const scaleSchema: Json = {
  type: 'object',
  description: 'Scale represents a scaling request for a resource.',
  properties: {
    ...TYPE_META,
    metadata: { allOf: [ref(OBJECT_META)], default: {} },
    spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } },
    status: {
      type: 'object',
      required: ['replicas'],
      properties: { replicas: { type: 'integer', format: 'int32', default: 0 }, selector: { type: 'string' } },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};

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
