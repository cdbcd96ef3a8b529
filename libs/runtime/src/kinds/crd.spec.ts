import { describe, expect, it } from 'vitest';
import { defineKind, InvalidKindError, Type, UNAPPROVED_EXPERIMENTAL, type ObjectOf } from './kind.ts';
import { crdFor, structuralSchema } from './crd.ts';
import { ConfigMap, Deployment, Namespace } from './builtin.ts';

const Tuple = defineKind({
  group: 'math.example.dev',
  version: 'v1beta1',
  kind: 'Tuple',
  plural: 'tuples',
  scope: 'Namespaced',
  shortNames: ['tup'],
  categories: ['kubeloop', 'math'],
  spec: Type.Object(
    {
      numbers: Type.Array(Type.Integer({ minimum: 0, exclusiveMaximum: 1000 }), { maxItems: 1000 }),
      mode: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('slow')], { default: 'fast' })),
      labels: Type.Optional(Type.Record(Type.String(), Type.String())),
      port: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
      note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      extra: Type.Optional(Type.Unknown()),
    },
    { $id: 'TupleSpec', additionalProperties: false },
  ),
  status: Type.Object({ allSquares: Type.Optional(Type.Boolean()) }),
  printerColumns: [{ name: 'AllSquares', type: 'boolean', jsonPath: '.status.allSquares' }],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
});

describe('defineKind', () => {
  it('derives identity fields', () => {
    expect(Tuple).toMatchObject({
      apiVersion: 'math.example.dev/v1beta1',
      namespaced: true,
      singular: 'tuple',
      listKind: 'TupleList',
      custom: true,
    });
    expect(Object.isFrozen(Tuple)).toBe(true);
    // Type-level: the object type is derived from the schema.
    const t: ObjectOf<typeof Tuple> = { apiVersion: 'x', kind: 'Tuple', metadata: {}, spec: { numbers: [1] } };
    expect(t.spec.numbers[0]).toBe(1);
  });

  it('rejects groups without a dot and bad plurals', () => {
    expect(() =>
      defineKind({ group: 'math', version: 'v1', kind: 'A', plural: 'as', scope: 'Cluster', spec: Type.Object({}) }),
    ).toThrow(InvalidKindError);
    expect(() =>
      defineKind({ group: 'a.b', version: 'v1', kind: 'A', plural: 'As', scope: 'Cluster', spec: Type.Object({}) }),
    ).toThrow(/plural/);
  });

  it('needs apiApproval in the groups kube-apiserver protects, and only there; crdFor writes the annotation', () => {
    const foo = (group: string, apiApproval?: string) =>
      defineKind({
        group,
        version: 'v1alpha1',
        kind: 'Foo',
        plural: 'foos',
        scope: 'Namespaced',
        spec: Type.Object({}),
        ...(apiApproval !== undefined ? { apiApproval } : {}),
      });
    expect(() => foo('samplecontroller.k8s.io')).toThrow(/protected by the Kubernetes project.*apiApproval/);
    expect(() => foo('x.kubernetes.io', 'nope')).toThrow(InvalidKindError);
    expect(() => foo('k8s.io', 'http:/x')).toThrow(InvalidKindError);
    expect(() => foo('example.dev', UNAPPROVED_EXPERIMENTAL)).toThrow(/only for the k8s.io and kubernetes.io groups/);
    expect(crdJson(foo('samplecontroller.k8s.io', UNAPPROVED_EXPERIMENTAL)).metadata).toEqual({
      name: 'foos.samplecontroller.k8s.io',
      annotations: { 'api-approved.kubernetes.io': UNAPPROVED_EXPERIMENTAL },
    });
    const reviewed = 'https://github.com/kubernetes/enhancements/pull/1111';
    expect(crdJson(foo('b.k8s.io', reviewed)).metadata.annotations['api-approved.kubernetes.io']).toBe(reviewed);
    expect(crdJson(foo('xk8s.io')).metadata).toEqual({ name: 'foos.xk8s.io' });
  });

  it('gives built-in kinds their API paths', () => {
    expect(ConfigMap).toMatchObject({
      apiVersion: 'v1',
      group: '',
      plural: 'configmaps',
      namespaced: true,
      custom: false,
    });
    expect(Deployment.apiVersion).toBe('apps/v1');
    expect(Namespace.namespaced).toBe(false);
  });
});

/** The CRD as JSON: the tests walk into its schema and compare with toEqual. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: expect() checks every field read
const crdJson = (...args: Parameters<typeof crdFor>): any => crdFor(...args);

describe('crdFor', () => {
  const crd = crdJson(Tuple);
  const version = crd.spec.versions[0];
  const spec = version.schema.openAPIV3Schema.properties.spec;

  it('names, scope and a single served+storage version', () => {
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.metadata.name).toBe('tuples.math.example.dev');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toEqual({
      kind: 'Tuple',
      listKind: 'TupleList',
      plural: 'tuples',
      singular: 'tuple',
      shortNames: ['tup'],
      categories: ['kubeloop', 'math'],
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1beta1', served: true, storage: true });
  });

  it('a spec with required fields is required itself (an object without spec is refused: spec: Required value)', () => {
    expect(version.schema.openAPIV3Schema.required).toEqual(['spec']);
    const optionalSpec = defineKind({
      group: 'demo.example.dev',
      version: 'v1',
      kind: 'Loose',
      plural: 'looses',
      scope: 'Namespaced',
      spec: Type.Object({ note: Type.Optional(Type.String()) }),
    });
    expect(crdJson(optionalSpec).spec.versions[0].schema.openAPIV3Schema.required).toBeUndefined();
  });

  it('subresources: status with a status schema, scale when given', () => {
    expect(version.subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    });
    const NoStatus = defineKind({
      group: 'a.b',
      version: 'v1',
      kind: 'A',
      plural: 'as',
      scope: 'Cluster',
      spec: Type.Object({}),
    });
    const noStatus = crdFor(NoStatus) as { spec: { scope: string; versions: { subresources?: unknown }[] } };
    expect(noStatus.spec.versions[0]!.subresources).toBeUndefined();
    expect(noStatus.spec.scope).toBe('Cluster');
  });

  it('printer columns end with Age', () => {
    expect(version.additionalPrinterColumns).toEqual([
      { name: 'AllSquares', type: 'boolean', jsonPath: '.status.allSquares' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
  });

  it('keeps only structural keywords and no symbols or $id', () => {
    const text = JSON.stringify(crd);
    expect(text).not.toContain('$id');
    const walk = (node: unknown): void => {
      if (node && typeof node === 'object') {
        expect(Object.getOwnPropertySymbols(node)).toEqual([]);
        Object.values(node).forEach(walk);
      }
    };
    walk(crd);
    expect(spec.additionalProperties).toBeUndefined();
    expect(spec.required).toEqual(['numbers']);
  });

  it('translates TypeBox idioms into the CRD dialect', () => {
    expect(spec.properties.numbers).toEqual({
      type: 'array',
      maxItems: 1000,
      items: { type: 'integer', minimum: 0, maximum: 1000, exclusiveMaximum: true },
    });
    expect(spec.properties.mode).toEqual({ type: 'string', enum: ['fast', 'slow'], default: 'fast' });
    expect(spec.properties.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(spec.properties.port).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(spec.properties.note).toEqual({ type: 'string', nullable: true });
    expect(spec.properties.extra).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('refuses schemas a CRD cannot express', () => {
    expect(() => structuralSchema(Type.Array(Type.String(), { uniqueItems: true }))).toThrow(/x-kubernetes-list-type/);
    expect(() => structuralSchema(Type.Union([Type.String(), Type.Object({})]))).toThrow(InvalidKindError);
  });
});

describe('crdFor with several versions and a conversion webhook', () => {
  const V2 = defineKind({ ...Tuple.definition, version: 'v2' });

  it('serves every version, stores one, and points conversion at /convert on the Service', () => {
    const crd = crdJson([Tuple, V2], {
      storageVersion: Tuple.version,
      conversion: { service: { name: 'math-webhook-service', namespace: 'math-system' } },
    });
    expect(
      crd.spec.versions.map((v: { name: string; served: boolean; storage: boolean }) => [v.name, v.served, v.storage]),
    ).toEqual([
      [Tuple.version, true, true],
      ['v2', true, false],
    ]);
    expect(crd.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { name: 'math-webhook-service', namespace: 'math-system', path: '/convert' } },
        conversionReviewVersions: ['v1'],
      },
    });
  });

  it('without conversion leaves the strategy to the API server (None)', () => {
    expect(crdJson(Tuple).spec.conversion).toBeUndefined();
  });

  it('refuses versions of different kinds, a missing storage version, or one not listed', () => {
    const Other = defineKind({ ...Tuple.definition, kind: 'Other', plural: 'others' });
    expect(() => crdFor([Tuple, Other], { storageVersion: Tuple.version })).toThrow(/is not another version of/);
    expect(() => crdFor([Tuple, V2])).toThrow(/choose the storage version among/);
    expect(() => crdFor([Tuple, V2], { storageVersion: 'v9' })).toThrow(/storage version v9 is not among/);
  });
});
