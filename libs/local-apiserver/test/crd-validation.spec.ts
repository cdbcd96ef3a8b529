import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetSchema } from '../src/crd-schema/crd-schema.test-helpers.ts';
import { TestServer } from './helpers.ts';

describe('CRD-VAL / CRD-P through HTTP', () => {
  let t: TestServer;
  const widgets = '/apis/h2probe.example.com/v1/namespaces/default/widgets';
  const widget = (name: string, spec: object) => ({
    apiVersion: 'h2probe.example.com/v1',
    kind: 'Widget',
    metadata: { name },
    spec,
  });

  beforeAll(async () => {
    t = await TestServer.start();
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.h2probe.example.com' },
      spec: {
        group: 'h2probe.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: widgetSchema },
            additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
          },
        ],
      },
    };
    expect((await t.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    await t.eventually(async () => expect((await t.get(widgets)).status).toBe(200));
  });
  afterAll(() => t?.stop());

  it("CRD-VAL-2 the 422 body is exactly the real server's", async () => {
    const r = await t.post(widgets, widget('w1', { name: 'abc', replicas: 100 }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Widget.h2probe.example.com "w1" is invalid: spec.replicas: Invalid value: 100: spec.replicas in body should be less than or equal to 5',
      reason: 'Invalid',
      details: {
        name: 'w1',
        group: 'h2probe.example.com',
        kind: 'Widget',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 100: spec.replicas in body should be less than or equal to 5',
            field: 'spec.replicas',
          },
        ],
      },
      code: 422,
    });
  });

  it('CRD-P-1 / FV-1 unknown fields are pruned with Warning headers by default', async () => {
    const r = await t.post(widgets, widget('w2', { name: 'abc', unk: 1 }));
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toContain('299 - "unknown field \\"spec.unk\\""');
    expect(r.body.spec).toEqual({ name: 'abc', replicas: 1, mode: 'a', defobj: { x: 7 } });
  });

  it('CRD-P-2 defaults are visible on GET', async () => {
    const r = await t.get(`${widgets}/w2`);
    expect(r.body.spec.replicas).toBe(1);
  });

  it('CRD-9 a non-structural CRD is a 422 on the CRD', async () => {
    const bad = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.h2probe.example.com' },
      spec: {
        group: 'h2probe.example.com',
        scope: 'Namespaced',
        names: { plural: 'things', kind: 'Thing' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'integer' } } }],
      },
    };
    const r = await t.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "things.h2probe.example.com" is invalid: spec.validation.openAPIV3Schema.type: Invalid value: "integer": must be object at the root',
    );
  });

  it('CRD-4 scope and kind of an Established CRD are immutable, group and plural always', async () => {
    const crd = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.h2probe.example.com';
    const r = await t.patch(crd, { spec: { scope: 'Cluster', names: { kind: 'Gizmo' } } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "Cluster": field is immutable', field: 'spec.scope' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: "Gizmo": field is immutable', field: 'spec.names.kind' },
    ]);
    expect((await t.get(crd)).body.spec.scope).toBe('Namespaced');
  });

  it('OAPI-2 / CRD-O-1 the CRD group-version is in the OpenAPI v3 index', async () => {
    const idx = await t.get('/openapi/v3');
    const url = idx.body.paths['apis/h2probe.example.com/v1'].serverRelativeURL;
    const doc = await t.get(url);
    expect(doc.body.components.schemas['com.example.h2probe.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'h2probe.example.com', version: 'v1', kind: 'Widget' },
    ]);
  });

  it('TBL-1 kubectl get asks for a Table and gets the printer columns', async () => {
    const r = await t.get(widgets, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    const table = r.body;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Replicas']);
    expect(table.rows.map((row: { cells: unknown[] }) => row.cells)).toEqual([['w2', 1]]);
  });
});
