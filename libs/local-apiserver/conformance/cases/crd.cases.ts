import {
  cluster,
  del,
  get,
  patch,
  post,
  put,
  rvOf,
  watch,
  conditionOf,
  type Case,
  type Fixture,
  type Step,
  type StepResult,
} from '../harness/case.ts';
import type { CrdVersion, KubeObject } from '../../src/types.ts';
import type { CaseFile } from '../harness/suite.ts';

const CRD_GV = 'apiextensions.k8s.io/v1';
/** The group of the run's Widget CRD (unique per run: CRDs are cluster-scoped). */
export const WIDGET_GROUP = 'c{{run}}.example.com';
export const WGV = `${WIDGET_GROUP}/v1`;
/** `/apis/<group>/v1/namespaces/{{ns}}/widgets[/name]` */
export const widgets = (name?: string) =>
  `/apis/${WGV}/namespaces/{{ns}}/widgets${name !== undefined ? `/${name}` : ''}`;

export const widget = (
  name: string,
  spec: Record<string, unknown> = { replicas: 1 },
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: WGV,
  kind: 'Widget',
  metadata: { name, ...((extra.metadata as object) ?? {}) },
  spec,
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'metadata')),
});

const widgetCrd = {
  apiVersion: CRD_GV,
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${WIDGET_GROUP}` },
  spec: {
    group: WIDGET_GROUP,
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
      categories: ['cf'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        additionalPrinterColumns: [
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
          { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.color' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['replicas'],
                properties: {
                  replicas: { type: 'integer', minimum: 0, maximum: 5 },
                  color: { type: 'string', enum: ['red', 'green', 'blue'], default: 'red' },
                  size: { type: 'string', maxLength: 5 },
                  tags: { type: 'array', maxItems: 3, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                  settings: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'auto' } } },
                  free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  port: { 'x-kubernetes-int-or-string': true },
                  email: { type: 'string', format: 'email' },
                  count: { type: 'integer', format: 'int32' },
                  nullable: { type: 'string', nullable: true },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  ready: { type: 'boolean' },
                  selector: { type: 'string' },
                  observedGeneration: { type: 'integer' },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const established = (r: StepResult) => conditionOf(r, 'Established')?.status === 'True';

/** The Widget CRD every custom-resource case uses: created once per run, deleted at its end. */
export const widgetFixture: Fixture = {
  id: 'widget-crd',
  setup: [
    post(cluster(CRD_GV, 'customresourcedefinitions'), widgetCrd),
    get(cluster(CRD_GV, 'customresourcedefinitions', `widgets.${WIDGET_GROUP}`), { until: established }),
    get(`/apis/${WGV}/widgets`, { until: (r) => r.status === 200 }),
  ],
  teardown: [del(cluster(CRD_GV, 'customresourcedefinitions', `widgets.${WIDGET_GROUP}`))],
};

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `crd/${name}`,
  title,
  steps,
  ...more,
});

const crdOf = (
  plural: string,
  group: string,
  version: Record<string, unknown>,
  spec: Record<string, unknown> = {},
) => ({
  apiVersion: CRD_GV,
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: plural.replace(/s$/, ''), kind: plural[0]!.toUpperCase() + plural.slice(1, -1) },
    versions: [{ name: 'v1', served: true, storage: true, ...version }],
    ...spec,
  },
});

const openSchema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };

export const crdCases: CaseFile = {
  file: 'crd',
  cases: [
    C(
      'lifecycle',
      'a CRD: create, accepted names, Established, served, deleted with its instances',
      [
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('gadgets', 'g{{run}}.example.com', { schema: openSchema }),
        ),
        get(cluster(CRD_GV, 'customresourcedefinitions', 'gadgets.g{{run}}.example.com'), { until: established }),
        get('/apis/g{{run}}.example.com/v1', { until: (r) => r.status === 200 }),
        post(
          '/apis/g{{run}}.example.com/v1/namespaces/{{ns}}/gadgets',
          { apiVersion: 'g{{run}}.example.com/v1', kind: 'Gadget', metadata: { name: 'one' }, anything: { goes: 1 } },
          { until: (r) => r.status !== 404 },
        ),
        del(cluster(CRD_GV, 'customresourcedefinitions', 'gadgets.g{{run}}.example.com'), undefined, {
          racy: ['body.metadata.resourceVersion', 'body.status.conditions'],
          note: 'the CRD is Terminating while its instances go',
        }),
        get(cluster(CRD_GV, 'customresourcedefinitions', 'gadgets.g{{run}}.example.com'), {
          until: (r) => r.status === 404,
          untilMs: 60_000,
        }),
        get('/apis/g{{run}}.example.com/v1/namespaces/{{ns}}/gadgets/one', {
          note: 'the CRD is gone: its resource path is unknown',
          until: (r) => r.status === 404 && !r.body,
        }),
      ],
      { cleanup: ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.g{{run}}.example.com'] },
    ),
    C(
      'names-conflict',
      'a second CRD for the same group and plural, and bad names',
      [
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('things', 'n{{run}}.example.com', { schema: openSchema }),
          {
            id: 'c',
          },
        ),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          {
            ...crdOf('things', 'n{{run}}.example.com', { schema: openSchema }),
            metadata: { name: 'wrong.n{{run}}.example.com' },
          },
          { note: 'the name must be <plural>.<group>' },
        ),
        post(cluster(CRD_GV, 'customresourcedefinitions'), crdOf('things', 'nodot', { schema: openSchema }), {
          note: 'the group needs a dot',
        }),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('others', 'n{{run}}.example.com', { schema: openSchema }, { scope: 'Galactic' }),
        ),
        del(cluster(CRD_GV, 'customresourcedefinitions', 'things.n{{run}}.example.com'), undefined, {
          racy: ['body.metadata.resourceVersion', 'body.status'],
        }),
      ],
      { cleanup: ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.n{{run}}.example.com'] },
    ),
    C(
      'structural-schema',
      'non-structural schemas and bad versions are refused with the real causes',
      [
        post(cluster(CRD_GV, 'customresourcedefinitions'), crdOf('s1s', 's{{run}}.example.com', {}), {
          note: 'no schema',
        }),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('s2s', 's{{run}}.example.com', {
            schema: {
              openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } },
            },
          }),
          { note: 'a property without a type' },
        ),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('s3s', 's{{run}}.example.com', {
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'array' } } } },
          }),
          { note: 'an array without items' },
        ),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('s4s', 's{{run}}.example.com', { storage: false, schema: openSchema }),
          { note: 'no storage version' },
        ),
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('s5s', 's{{run}}.example.com', {
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { n: { type: 'integer', default: 'x' } } } },
              },
            },
          }),
          { note: 'a default that does not validate' },
        ),
      ],
      {
        cleanup: [1, 2, 3, 4, 5].map(
          (i) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/s${i}s.s{{run}}.example.com`,
        ),
      },
    ),
    C(
      'widget-crd',
      'the Widget CRD as the server keeps it (defaults of a CRD)',
      [
        get(cluster(CRD_GV, 'customresourcedefinitions', `widgets.${WIDGET_GROUP}`), {
          racy: ['body.metadata.resourceVersion'],
        }),
        get(`/apis/${WGV}`),
      ],
      { fixtures: [widgetFixture] },
    ),
    C(
      'crd-update',
      'updating a CRD: a new served version, a storage change, status',
      [
        post(
          cluster(CRD_GV, 'customresourcedefinitions'),
          crdOf('updates', 'u{{run}}.example.com', { schema: openSchema }),
        ),
        get(cluster(CRD_GV, 'customresourcedefinitions', 'updates.u{{run}}.example.com'), {
          until: established,
          id: 'est',
        }),
        put(
          cluster(CRD_GV, 'customresourcedefinitions', 'updates.u{{run}}.example.com'),
          (c) => {
            const crd = c.step('est').body as KubeObject & { spec: { versions: CrdVersion[] } };
            return {
              ...crd,
              spec: {
                ...crd.spec,
                versions: [
                  { ...crd.spec.versions[0], storage: false },
                  { name: 'v2', served: true, storage: true, schema: openSchema },
                ],
              },
            };
          },
          { racy: ['body.status.conditions'] },
        ),
        get(cluster(CRD_GV, 'customresourcedefinitions', 'updates.u{{run}}.example.com'), {
          note: 'storedVersions keeps v1',
          racy: ['body.metadata.resourceVersion', 'body.status.conditions'],
        }),
        patch(
          cluster(CRD_GV, 'customresourcedefinitions', 'updates.u{{run}}.example.com'),
          'merge',
          {
            spec: { scope: 'Cluster' },
          },
          { note: 'scope is immutable' },
        ),
        del(cluster(CRD_GV, 'customresourcedefinitions', 'updates.u{{run}}.example.com'), undefined, {
          racy: ['body.metadata.resourceVersion', 'body.status'],
        }),
      ],
      { cleanup: ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/updates.u{{run}}.example.com'] },
    ),
    C(
      'cr-watch-too-old',
      'a watch on custom resources from resourceVersion 1 is told 410 Expired',
      [
        watch(`/apis/${WGV}/namespaces/{{ns}}/widgets`, { resourceVersion: '1' }, { events: 1, timeoutMs: 5000 }),
        watch(
          `/apis/${WGV}/namespaces/{{ns}}/widgets`,
          { resourceVersion: '1', allowWatchBookmarks: 'true' },
          {
            events: 1,
            timeoutMs: 5000,
          },
        ),
      ],
      { fixtures: [widgetFixture] },
    ),
    C(
      'crd-rv',
      'custom resource writes carry resourceVersions as built-ins',
      [
        post(widgets(), widget('rv1'), { id: 'c' }),
        put(widgets('rv1'), (c) => widget('rv1', { replicas: 2 }, { metadata: { resourceVersion: rvOf(c, 'c') } })),
        put(widgets('rv1'), (c) => widget('rv1', { replicas: 3 }, { metadata: { resourceVersion: rvOf(c, 'c') } })),
        put(widgets('rv1'), widget('rv1', { replicas: 3 }), { note: 'custom resources need a resourceVersion on PUT' }),
      ],
      { fixtures: [widgetFixture] },
    ),
  ],
};
