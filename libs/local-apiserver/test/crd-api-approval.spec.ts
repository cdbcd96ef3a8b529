import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers.ts';

/** Answers recorded from kube-apiserver v1.36.2 (envtest with real binaries), 2026-12-07. */
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const crd = (group: string, approval?: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: `foos.${group}`,
    ...(approval !== undefined ? { annotations: { 'api-approved.kubernetes.io': approval } } : {}),
  },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'foos', kind: 'Foo' },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
});
const MISSING =
  'Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111';
const invalid = (v: string) =>
  `Invalid value: "${v}": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`;

describe('CRD-10 protected groups need the api-approved.kubernetes.io annotation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(() => t?.stop());

  it('CRD-10 a *.k8s.io or *.kubernetes.io CRD without a valid approval is refused as kube-apiserver does', async () => {
    const missing = await t.post(CRDS, crd('samplecontroller.k8s.io'));
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      reason: 'Invalid',
      message: `CustomResourceDefinition.apiextensions.k8s.io "foos.samplecontroller.k8s.io" is invalid: metadata.annotations[api-approved.kubernetes.io]: ${MISSING}`,
      details: {
        causes: [
          { reason: 'FieldValueRequired', message: MISSING, field: 'metadata.annotations[api-approved.kubernetes.io]' },
        ],
      },
    });
    expect((await t.post(CRDS, crd('samplecontroller.k8s.io', ''))).status).toBe(422);
    expect((await t.post(CRDS, crd('k8s.io'))).status).toBe(422);
    const nope = await t.post(CRDS, crd('a.kubernetes.io', 'nope'));
    expect(nope.status).toBe(422);
    expect(nope.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', message: invalid('nope') });
    // A URL needs a host: Go's ParseRequestURI finds none in http:/x.
    expect((await t.post(CRDS, crd('d.k8s.io', 'http:/x'))).body.details.causes[0].message).toBe(invalid('http:/x'));
    // Not a protected group: a suffix without the dot.
    expect((await t.post(CRDS, crd('xk8s.io'))).status).toBe(201);
  });

  it('CRD-10 an approval URL or an "unapproved…" reason is accepted and reported as KubernetesAPIApprovalPolicyConformant', async () => {
    expect((await t.post(CRDS, crd('b.k8s.io', 'https://github.com/kubernetes/enhancements/pull/1111'))).status).toBe(
      201,
    );
    expect((await t.post(CRDS, crd('c.k8s.io', 'unapproved, experimental-only'))).status).toBe(201);
    const condition = async (group: string) =>
      (await t.get(`${CRDS}/foos.${group}`)).body.status.conditions?.find(
        (c: { type: string }) => c.type === 'KubernetesAPIApprovalPolicyConformant',
      );
    await t.eventually(async () => {
      expect(await condition('b.k8s.io')).toMatchObject({
        status: 'True',
        reason: 'ApprovedAnnotation',
        message: 'approved in https://github.com/kubernetes/enhancements/pull/1111',
      });
      expect(await condition('c.k8s.io')).toMatchObject({
        status: 'False',
        reason: 'UnapprovedAnnotation',
        message: 'not approved: "unapproved, experimental-only"',
      });
      expect((await t.get(`${CRDS}/foos.c.k8s.io`)).body.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Established', status: 'True' }),
      );
    });
    expect(await condition('xk8s.io')).toBeUndefined();
  });

  it('CRD-10 an update that removes the approval is refused; one that keeps its state is not', async () => {
    const got = (await t.get(`${CRDS}/foos.c.k8s.io`)).body;
    const relabelled = structuredClone(got);
    relabelled.metadata.labels = { touched: 'yes' };
    const kept = await t.put(`${CRDS}/foos.c.k8s.io`, relabelled);
    expect(kept.status).toBe(200);
    const removed = structuredClone(kept.body);
    delete removed.metadata.annotations;
    const r = await t.put(`${CRDS}/foos.c.k8s.io`, removed);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].message).toBe(MISSING);
  });
});
