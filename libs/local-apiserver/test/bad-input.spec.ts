/**
 * Issue 15 part 3: bad input is refused before it is stored, as kube-apiserver refuses it.
 * Answers recorded from kube-apiserver v1.36.2 (envtest, real binaries):
 * - ConfigMap: data values + binaryData bytes over 1048576 → 422 `ConfigMap "big" is invalid:
 *   []: Too long: may not be more than 1048576 bytes` (cause FieldValueTooLong, field `[]`);
 *   exactly 1048576 is accepted. Secret: the same on field `data` (stringData counts, decoded).
 * - webhook timeoutSeconds 0, -1, 31 → 422 `webhooks[0].timeoutSeconds: Invalid value: 31: the
 *   timeout value must be between 1 and 30 seconds`; 1 and 30 accepted.
 * - kube-apiserver evaluates x-kubernetes-validations (CEL); local-apiserver does not, so such a
 *   CRD is refused with a message naming the rule (a deliberate, explicit deviation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionModule, KubeObject } from '../src/index.ts';
import { CM, TestServer, widgetCrd, type AnyJson } from './helpers.ts';

const cms = '/api/v1/namespaces/default/configmaps';
let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t.stop());

const tooLong = (kind: string, name: string, field: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `${kind} "${name}" is invalid: ${field}: Too long: may not be more than 1048576 bytes`,
  reason: 'Invalid',
  details: {
    name,
    kind,
    causes: [{ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 1048576 bytes', field }],
  },
  code: 422,
});

describe('size limits (issue 15 part 3)', () => {
  it('ConfigMap data over 1 MiB is 422 as kube-apiserver; exactly 1 MiB is stored', async () => {
    const over = await t.post(cms, CM('big', { data: { a: 'x'.repeat(1048576 - 1), b: 'yy' } }));
    expect(over.status).toBe(422);
    expect(over.body).toEqual(tooLong('ConfigMap', 'big', '[]'));
    const withBinary = await t.post(
      cms,
      CM('big', { data: { a: 'x'.repeat(1048576 - 2) }, binaryData: { b: Buffer.from('abc').toString('base64') } }),
    );
    expect(withBinary.body).toEqual(tooLong('ConfigMap', 'big', '[]'));
    expect((await t.post(cms, CM('big', { data: { a: 'x'.repeat(1048576 - 2), b: 'yy' } }))).status).toBe(201);
  });

  it('Secret data (stringData included) over 1 MiB is 422 on field data', async () => {
    const secrets = '/api/v1/namespaces/default/secrets';
    const s = (data: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'big' },
      ...data,
    });
    const over = await t.post(secrets, s({ stringData: { a: 'x'.repeat(1048577) } }));
    expect(over.body).toEqual(tooLong('Secret', 'big', 'data'));
    const overData = await t.post(secrets, s({ data: { a: Buffer.alloc(1048577).toString('base64') } }));
    expect(overData.body).toEqual(tooLong('Secret', 'big', 'data'));
  });

  it('webhook timeoutSeconds must be 1..30', async () => {
    for (const kind of ['Validating', 'Mutating']) {
      const path = `/apis/admissionregistration.k8s.io/v1/${kind.toLowerCase()}webhookconfigurations`;
      const config = (timeoutSeconds: number) => ({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: `${kind}WebhookConfiguration`,
        metadata: { name: `timeout-${timeoutSeconds}` },
        webhooks: [
          {
            name: 'a.b.c',
            clientConfig: { url: 'https://127.0.0.1:1/x' },
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            timeoutSeconds,
          },
        ],
      });
      for (const bad of [0, -1, 31]) {
        const r = await t.post(`${path}?dryRun=All`, config(bad));
        expect(r.status, `${kind} ${bad}`).toBe(422);
        expect(r.body.message).toBe(
          `${kind}WebhookConfiguration.admissionregistration.k8s.io "timeout-${bad}" is invalid: webhooks[0].timeoutSeconds: Invalid value: ${bad}: the timeout value must be between 1 and 30 seconds`,
        );
        expect(r.body.details.causes).toEqual([
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${bad}: the timeout value must be between 1 and 30 seconds`,
            field: 'webhooks[0].timeoutSeconds',
          },
        ]);
      }
      for (const good of [1, 30]) expect((await t.post(`${path}?dryRun=All`, config(good))).status).toBe(201);
    }
  });
});

describe('CEL validation rules are never ignored silently (issue 15 part 3)', () => {
  it('a CRD with x-kubernetes-validations is refused with a message naming each rule', async () => {
    const crd = widgetCrd({ group: 'cel.example.com' }) as AnyJson;
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    spec['x-kubernetes-validations'] = [{ rule: 'self.replicas <= 3', message: 'at most 3' }];
    spec.properties.color['x-kubernetes-validations'] = [{ rule: 'self == oldSelf' }];
    const r = await t.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    expect(r.status).toBe(422);
    const fields = r.body.details.causes.map((c: { field: string }) => c.field);
    // One version: its schema is validated where the internal CRD holds it (spec.validation).
    expect(fields).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
      'spec.validation.openAPIV3Schema.properties[spec].properties[color].x-kubernetes-validations[0].rule',
    ]);
    expect(r.body.message).toContain('"self.replicas <= 3"');
    expect(r.body.message).toContain('"self == oldSelf"');
    expect(r.body.message).toContain('does not evaluate CEL validation rules');
    expect(
      (await t.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.cel.example.com')).status,
    ).toBe(404);
  });
});

describe('after mutating admission, namespace, name, uid and system fields are checked again (issue 15 part 3)', () => {
  let m: TestServer;
  let mutate: (o: KubeObject) => void = () => {};
  const admission: AdmissionModule = {
    async mutate(attrs) {
      const o = structuredClone(attrs.object) as KubeObject;
      mutate(o);
      return { object: o, warnings: [] };
    },
    async validate() {
      return { warnings: [] };
    },
  };
  beforeAll(async () => {
    m = await TestServer.start({ admission });
    // Admission runs only when some webhook configuration exists; this one is never called.
    const r = await m.post('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'm' },
      webhooks: [
        {
          name: 'm.example.com',
          clientConfig: { url: 'https://127.0.0.1:1/m' },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    });
    expect(r.status).toBe(201);
  });
  afterAll(() => m.stop());

  it('a webhook cannot move an object to another namespace (existing or not)', async () => {
    for (const namespace of ['kube-system', 'does-not-exist']) {
      mutate = (o) => (o.metadata!.namespace = namespace);
      const r = await m.post(cms, CM(`moved-${namespace}`));
      expect(r.status, namespace).toBe(400);
      expect(r.body.message).toBe(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
      expect((await m.get(`/api/v1/namespaces/kube-system/configmaps/moved-${namespace}`)).status).toBe(404);
    }
  });

  it('uid, creationTimestamp and deletionTimestamp set by a webhook on create are the server’s own', async () => {
    mutate = (o) => {
      o.metadata!.uid = '00000000-0000-0000-0000-000000000000';
      o.metadata!.creationTimestamp = '2000-01-01T00:00:00Z';
      o.metadata!.deletionTimestamp = '2000-01-01T00:00:00Z';
      o.metadata!.deletionGracePeriodSeconds = 0;
    };
    const r = await m.post(cms, CM('system-fields'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.uid).not.toBe('00000000-0000-0000-0000-000000000000');
    expect(r.body.metadata.creationTimestamp).not.toBe('2000-01-01T00:00:00Z');
    expect(r.body.metadata).not.toHaveProperty('deletionTimestamp');
    expect(r.body.metadata).not.toHaveProperty('deletionGracePeriodSeconds');
  });

  it('on update a webhook cannot rename the object, change its uid or start its deletion', async () => {
    mutate = () => {};
    const created = (await m.post(cms, CM('upd'))).body;
    mutate = (o) => (o.metadata!.name = 'renamed');
    const renamed = await m.put(`${cms}/upd`, { ...created, data: { a: '2' } });
    expect(renamed.status).toBe(422);
    expect(renamed.body.message).toBe(
      'ConfigMap "upd" is invalid: metadata.name: Invalid value: "renamed": field is immutable',
    );
    mutate = (o) => (o.metadata!.uid = '00000000-0000-0000-0000-000000000000');
    const uid = await m.put(`${cms}/upd`, { ...created, data: { a: '2' } });
    expect(uid.status).toBe(422);
    expect(uid.body.message).toContain(
      'metadata.uid: Invalid value: "00000000-0000-0000-0000-000000000000": field is immutable',
    );
    mutate = (o) => (o.metadata!.deletionTimestamp = '2000-01-01T00:00:00Z');
    const deleting = await m.put(`${cms}/upd`, { ...created, data: { a: '3' } });
    expect(deleting.status).toBe(200);
    expect(deleting.body.metadata).not.toHaveProperty('deletionTimestamp');
    expect((await m.get(`${cms}/upd`)).body.data).toEqual({ a: '3' });
  });
});
