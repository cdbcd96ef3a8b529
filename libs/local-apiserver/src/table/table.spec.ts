import { describe, expect, it } from 'vitest';
import { isStatusError } from '../errors.ts';
import type { CrdVersion, KubeObject, ResourceType } from '../types.ts';
import { evaluateJsonPath, parseJsonPath } from './jsonpath.ts';
import { parseIncludeObject, toTable } from './table.ts';
import { ageOf, humanDuration } from './columns.ts';

function customType(version: Partial<CrdVersion>): ResourceType {
  return {
    group: 'h2probe.example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    singular: 'widget',
    listKind: 'WidgetList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: [],
    subresources: { status: true },
    storageKey: 'h2probe.example.com/widgets',
    origin: 'custom',
    selectableFields: [],
    crd: { object: {}, version: { name: 'v1', served: true, storage: true, ...version } },
  };
}
const builtin = (group: string, kind: string): ResourceType => ({
  ...customType({}),
  group,
  kind,
  origin: 'builtin',
  crd: undefined,
});

const now = new Date('2026-11-23T11:00:00Z');
const w3: KubeObject = {
  apiVersion: 'h2probe.example.com/v1',
  kind: 'Widget',
  metadata: {
    name: 'w3',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '243',
    creationTimestamp: '2026-11-23T10:53:40Z',
  },
  spec: { replicas: 1, mode: 'a', when: 'garbage', list: [{ k: 'x' }] },
  status: {
    conditions: [
      { type: 'Other', status: 'False' },
      { type: 'Ready', status: 'True' },
    ],
  },
};

describe('TBL-1 / TBL-3 custom resource tables', () => {
  const rt = customType({
    additionalPrinterColumns: [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode', priority: 1 },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'When', type: 'date', jsonPath: '.spec.when' },
      { name: 'Missing', type: 'integer', jsonPath: '.spec.nothing' },
      { name: 'Mistyped', type: 'integer', jsonPath: '.spec.mode' },
      { name: 'List', type: 'string', jsonPath: '.spec.list' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });

  it('TBL-3 implicit Name column, then the printer columns with default descriptions (as kube-apiserver v1.36)', () => {
    const t = toTable(rt, [w3], { includeObject: 'Metadata', listMeta: { resourceVersion: '320' }, now });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '320' });
    expect(t.columnDefinitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(t.columnDefinitions[1]).toEqual({
      name: 'Replicas',
      type: 'integer',
      format: '',
      description: 'Custom resource definition column (in JSONPath format): .spec.replicas',
      priority: 0,
    });
    expect(t.columnDefinitions[2]!.priority).toBe(1);
  });

  it('TBL-3 cells: typed values, filter paths, <invalid> dates, null for missing or mistyped, JSON for structured strings; TBL-1 date is an age', () => {
    const t = toTable(rt, [w3], { includeObject: 'Metadata', now });
    expect(t.rows[0]!.cells).toEqual(['w3', 1, 'a', 'True', '<invalid>', null, null, '[{"k":"x"}]', '6m20s']);
  });

  it('TBL-2 includeObject Metadata (default) gives PartialObjectMetadata, Object the object, None null', () => {
    expect(toTable(rt, [w3], { includeObject: 'Metadata', now }).rows[0]!.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: w3.metadata,
    });
    expect(toTable(rt, [w3], { includeObject: 'Object', now }).rows[0]!.object).toBe(w3);
    expect(toTable(rt, [w3], { includeObject: 'None', now }).rows[0]!.object).toBeNull();
  });

  it('TBL-2 bad includeObject is a 400 with the real message', () => {
    expect(parseIncludeObject(undefined)).toBe('Metadata');
    expect(parseIncludeObject('Object')).toBe('Object');
    try {
      parseIncludeObject('x');
      expect.unreachable();
    } catch (e) {
      expect(isStatusError(e) && e.statusCode).toBe(400);
      expect((e as Error).message).toBe(
        `Unable to convert to Table as requested: includeObject: Invalid value: "x": must be 'Metadata', 'Object', 'None', or empty`,
      );
    }
  });

  it('TBL-3 without printer columns the table has Name and Age', () => {
    const t = toTable(customType({}), [w3], { includeObject: 'None', now });
    expect(t.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(t.rows[0]!.cells).toEqual(['w3', '6m20s']);
  });

  it('TBL-1 continue and remainingItemCount are copied from the list', () => {
    const t = toTable(customType({}), [], {
      includeObject: 'None',
      listMeta: { resourceVersion: '5', continue: 'abc', remainingItemCount: 3 },
      now,
    });
    expect(t.metadata).toEqual({ resourceVersion: '5', continue: 'abc', remainingItemCount: 3 });
    expect(t.rows).toEqual([]);
  });
});

describe('TBL-4 built-in tables', () => {
  it('TBL-4 ConfigMap: Name, Data, Age', () => {
    const t = toTable(
      builtin('', 'ConfigMap'),
      [{ metadata: { name: 'c', creationTimestamp: '2026-11-23T10:00:00Z' }, data: { a: '1', b: '2' } }],
      { includeObject: 'None', now },
    );
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(t.rows[0]!.cells).toEqual(['c', 2, '60m']);
  });

  it('TBL-4 Deployment: Ready, Up-to-date, Available, and the wide Containers, Images, Selector', () => {
    const t = toTable(
      builtin('apps', 'Deployment'),
      [
        {
          metadata: { name: 'd', creationTimestamp: '2026-11-23T10:59:00Z' },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: 'd' } },
            template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } },
          },
          status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
        },
      ],
      { includeObject: 'None', now },
    );
    // As kube-apiserver v1.36.2 answers: every column typed string, the last three priority 1.
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Up-to-date', 'string', 0],
      ['Available', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ]);
    expect(t.rows[0]!.cells).toEqual(['d', '2/3', 3, 2, '60s', 'web', 'nginx', 'app=d']);
  });

  it('TBL-4 other built-ins get the generic Name / Created At table', () => {
    const t = toTable(
      builtin('rbac.authorization.k8s.io', 'Role'),
      [{ metadata: { name: 'l', creationTimestamp: '2026-11-23T10:59:00Z' } }],
      { includeObject: 'None', now },
    );
    expect(t.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(t.rows[0]!.cells).toEqual(['l', '2026-11-23T10:59:00Z']);
  });
});

describe('TBL-1 ages (duration.HumanDuration)', () => {
  const cases: [number, string][] = [
    [-3000, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3600_000, '3h'],
    [(3 * 60 + 7) * 60_000, '3h7m'],
    [8 * 3600_000, '8h'],
    [47 * 3600_000, '47h'],
    [48 * 3600_000, '2d'],
    [(3 * 24 + 5) * 3600_000, '3d5h'],
    [8 * 24 * 3600_000, '8d'],
    [729 * 24 * 3600_000, '729d'],
    [730 * 24 * 3600_000, '2y'],
    [(3 * 365 + 4) * 24 * 3600_000, '3y4d'],
    [9 * 365 * 24 * 3600_000, '9y'],
  ];
  for (const [ms, want] of cases) {
    it(`TBL-1 ${ms} ms → ${want}`, () => expect(humanDuration(ms)).toBe(want));
  }
  it('TBL-1 missing timestamp is <unknown>, unparseable <invalid>', () => {
    expect(ageOf(undefined, now)).toBe('<unknown>');
    expect(ageOf('yesterday', now)).toBe('<invalid>');
  });
});

describe('printer-column JSONPath', () => {
  const doc = { metadata: { labels: { 'app.kubernetes.io/name': 'x' } }, items: [{ a: 1 }, { a: 2 }] };
  it('TBL-3 bracket keys, indexes, wildcards', () => {
    expect(evaluateJsonPath(parseJsonPath(".metadata.labels['app.kubernetes.io/name']"), doc)).toEqual(['x']);
    expect(evaluateJsonPath(parseJsonPath('.items[1].a'), doc)).toEqual([2]);
    expect(evaluateJsonPath(parseJsonPath('.items[*].a'), doc)).toEqual([1, 2]);
    expect(evaluateJsonPath(parseJsonPath('{.items[-1].a}'), doc)).toEqual([2]);
    expect(evaluateJsonPath(parseJsonPath('.nope.deeper'), doc)).toEqual([]);
  });
});

describe('Service table', () => {
  it('External-IP: the external name of an ExternalName service, <pending> for a LoadBalancer without ingress', () => {
    const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, creationTimestamp: '2026-11-23T10:59:00Z' },
      spec,
    });
    const t = toTable(
      builtin('', 'Service'),
      [
        svc('en', { type: 'ExternalName', externalName: 'example.com' }),
        svc('lb', {
          type: 'LoadBalancer',
          clusterIP: '10.96.0.4',
          ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }],
        }),
      ],
      { includeObject: 'None', now },
    );
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['en', 'ExternalName', '<none>', 'example.com', '<none>', '60s', '<none>'],
      ['lb', 'LoadBalancer', '10.96.0.4', '<pending>', '80:30001/TCP', '60s', '<none>'],
    ]);
  });
});
