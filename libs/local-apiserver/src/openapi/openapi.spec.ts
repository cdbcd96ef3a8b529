import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../types.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';

const verbs8 = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
function rt(over: Partial<ResourceType>): ResourceType {
  return {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: verbs8,
    subresources: { status: false },
    storageKey: '/configmaps',
    origin: 'builtin',
    selectableFields: [],
    ...over,
  };
}
const widgetSchema = {
  type: 'object',
  description: 'A widget.',
  properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', maximum: 5 } } } },
};
const types: ResourceType[] = [
  rt({}),
  rt({
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: { status: true },
  }),
  rt({
    group: 'apps',
    kind: 'Deployment',
    plural: 'deployments',
    subresources: {
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    },
  }),
  rt({ group: 'apps', kind: 'Deployment', plural: 'deployments/status' }),
  rt({
    group: 'h2probe.example.com',
    kind: 'Widget',
    plural: 'widgets',
    origin: 'custom',
    subresources: { status: true },
    crd: {
      object: {},
      version: { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } },
    },
  }),
];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}
/** The parts of an OpenAPI v3 document these tests read. */
interface OpenApiDoc {
  paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: Gvk; parameters?: Parameter[] }>>;
  components: { schemas: Record<string, Schema> };
}
interface Parameter {
  name: string;
  in: string;
}
interface Schema {
  description?: string;
  type?: string;
  $ref?: string;
  properties: Record<string, Schema>;
  allOf: Schema[];
  'x-kubernetes-group-version-kind'?: Gvk[];
}
/** The document of one group-version, read as the tests read it (openApiDocument types it as plain JSON). */
const docOf = (gv: string) => openApiDocument(gv, types) as unknown as OpenApiDoc;

/** cli-runtime's query_param_verifier_v3: a PATCH with the GVK and a fieldValidation parameter. */
function supportsFieldValidation(doc: OpenApiDoc, gvk: Gvk): boolean {
  return Object.values(doc.paths).some((p) => {
    const op = p.patch;
    if (!op) return false;
    const g = op['x-kubernetes-group-version-kind'];
    if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) return false;
    return (op.parameters ?? []).some((x) => x.name === 'fieldValidation' && x.in === 'query');
  });
}

describe('OAPI-2 index', () => {
  it('OAPI-2 keys have no leading slash and URLs carry a hash', () => {
    const idx = openApiIndex(types);
    expect(Object.keys(idx.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/h2probe.example.com/v1']);
    expect(idx.paths['api/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('CRD-O-1 the hash changes when a CRD schema changes', () => {
    const before = openApiIndex(types).paths['apis/h2probe.example.com/v1']!.serverRelativeURL;
    const changed = types.map((t) =>
      t.kind === 'Widget'
        ? {
            ...t,
            crd: {
              object: {},
              version: { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
            },
          }
        : t,
    );
    expect(openApiIndex(changed).paths['apis/h2probe.example.com/v1']!.serverRelativeURL).not.toBe(before);
    expect(openApiIndex(types).paths['apis/h2probe.example.com/v1']!.serverRelativeURL).toBe(before);
  });
});

describe('OAPI-3 / OAPI-4 group-version documents', () => {
  it('OAPI-3 PATCH operations carry the GVK object and fieldValidation, for built-ins and CRs', () => {
    expect(supportsFieldValidation(docOf('api/v1'), { group: '', version: 'v1', kind: 'ConfigMap' })).toBe(true);
    expect(supportsFieldValidation(docOf('api/v1'), { group: '', version: 'v1', kind: 'Namespace' })).toBe(true);
    expect(
      supportsFieldValidation(docOf('apis/apps/v1'), {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
      }),
    ).toBe(true);
    expect(
      supportsFieldValidation(docOf('apis/h2probe.example.com/v1'), {
        group: 'h2probe.example.com',
        version: 'v1',
        kind: 'Widget',
      }),
    ).toBe(true);
  });

  it('OAPI-4 paths for namespaced and cluster-scoped resources, status and scale subresources', () => {
    const apps = docOf('apis/apps/v1');
    expect(Object.keys(apps.paths).sort()).toEqual([
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/namespaces/{namespace}/deployments',
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}',
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status',
    ]);
    expect(
      apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch[
        'x-kubernetes-group-version-kind'
      ],
    ).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const core = docOf('api/v1');
    expect(core.paths['/api/v1/namespaces/{name}'].get['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      version: 'v1',
      kind: 'Namespace',
    });
  });

  it('OAPI-4 PATCH never advertises strategic-merge-patch', () => {
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/h2probe.example.com/v1']) {
      expect(JSON.stringify(openApiDocument(gv, types))).not.toContain('strategic-merge-patch');
    }
  });

  it('CRD-O-1 component schema is the openAPIV3Schema plus TypeMeta/ObjectMeta, with a GVK array (kubectl explain)', () => {
    const doc = docOf('apis/h2probe.example.com/v1');
    const s = doc.components.schemas['com.example.h2probe.v1.Widget'];
    expect(s['x-kubernetes-group-version-kind']).toEqual([
      { group: 'h2probe.example.com', version: 'v1', kind: 'Widget' },
    ]);
    expect(s.description).toBe('A widget.');
    expect(s.properties.spec.properties.replicas).toEqual({ type: 'integer', maximum: 5 });
    expect(s.properties.apiVersion.type).toBe('string');
    expect(s.properties.metadata.allOf[0].$ref).toBe(
      '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(doc.components.schemas['com.example.h2probe.v1.WidgetList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'h2probe.example.com', version: 'v1', kind: 'WidgetList' },
    ]);
    // every $ref resolves
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? [];
    for (const r of refs) expect(doc.components.schemas[r.slice('#/components/schemas/'.length)], r).toBeDefined();
  });

  it('OAPI-2 unknown group-version → undefined (404)', () => {
    expect(openApiDocument('apis/nope.io/v1', types)).toBeUndefined();
  });
});
