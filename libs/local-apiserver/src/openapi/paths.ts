/** The `paths` of a group-version document: list/item/status/scale operations kubectl looks for (OAPI-3, OAPI-4). */
import type { ResourceType } from '../types.ts';
import { DELETE_OPTIONS, PATCH, STATUS, gvPath, gvk, ref, schemaName, type Json } from './schema-names.ts';

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

export function resourcePaths(rt: ResourceType, paths: Json): void {
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
