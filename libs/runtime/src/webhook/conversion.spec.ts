import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineKind, Type, type KubeObject } from '../kinds/kind.ts';
import { ensureLocalWebhookCerts } from './local-certs.ts';
import { CONVERSION_PATH, WebhookServer, type ConversionSpoke } from './server.ts';

// The multi-version shape of kubebuilder's CronJob tutorial: v1 (hub) keeps the schedule as a
// cron string, v2 splits it into fields; v3 only renames a field, to show conversion through the hub.
const spec1 = Type.Object({ schedule: Type.String() });
const CronV1 = defineKind({
  group: 'batch.example.dev',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  scope: 'Namespaced',
  spec: spec1,
});
const CronV2 = defineKind({
  ...CronV1.definition,
  version: 'v2',
  spec: Type.Object({ schedule: Type.Object({ minute: Type.String(), hour: Type.String() }) }),
});
const CronV3 = defineKind({ ...CronV1.definition, version: 'v3', spec: Type.Object({ cron: Type.String() }) });
type V1 = KubeObject & { spec: { schedule: string } };
type V2 = KubeObject & { spec: { schedule: { minute: string; hour: string } } };
type V3 = KubeObject & { spec: { cron: string } };

const v2: ConversionSpoke<V1, V2> = {
  kind: CronV2,
  toHub: (o) => ({ ...o, spec: { schedule: `${o.spec.schedule.minute} ${o.spec.schedule.hour}` } }),
  fromHub: (hub) => {
    const [minute, hour, extra] = hub.spec.schedule.split(' ');
    if (!minute || !hour || extra !== undefined) throw new Error(`schedule "${hub.spec.schedule}" is not two fields`);
    return { ...hub, spec: { schedule: { minute, hour } } };
  },
};
const v3: ConversionSpoke<V1, V3> = {
  kind: CronV3,
  toHub: (o) => ({ metadata: o.metadata, spec: { schedule: o.spec.cron } }),
  fromHub: (hub) => ({ metadata: hub.metadata, spec: { cron: hub.spec.schedule } }),
};

const obj = (apiVersion: string, spec: unknown): KubeObject & { spec: unknown } => ({
  apiVersion,
  kind: 'CronJob',
  metadata: { name: 'c', namespace: 'ns', uid: 'u1', labels: { a: 'b' } },
  spec,
});

describe('conversion webhook', () => {
  const server = () => new WebhookServer({ certDir: '' }).converter(CronV1, [v2, v3]);

  it('registers /convert for the hub with every version, hub first', () => {
    expect(server().registrations()).toEqual([
      {
        type: 'conversion',
        path: CONVERSION_PATH,
        kind: CronV1,
        operations: [],
        versions: ['v1', 'v2', 'v3'],
      },
    ]);
  });

  it('converts hub → spoke, spoke → hub and spoke → spoke through the hub, keeping metadata', async () => {
    const s = server();
    const r = await s.convert({
      uid: 'x',
      desiredAPIVersion: 'batch.example.dev/v2',
      objects: [obj('batch.example.dev/v1', { schedule: '5 3' }), obj('batch.example.dev/v3', { cron: '7 1' })],
    });
    expect(r.result).toEqual({ status: 'Success' });
    expect(r.uid).toBe('x');
    expect(r.convertedObjects).toEqual([
      obj('batch.example.dev/v2', { schedule: { minute: '5', hour: '3' } }),
      obj('batch.example.dev/v2', { schedule: { minute: '7', hour: '1' } }),
    ]);
    const back = await s.convert({
      uid: 'y',
      desiredAPIVersion: 'batch.example.dev/v1',
      objects: [obj('batch.example.dev/v2', { schedule: { minute: '5', hour: '3' } })],
    });
    expect(back.convertedObjects).toEqual([obj('batch.example.dev/v1', { schedule: '5 3' })]);
  });

  it('returns objects already at the desired version unchanged', async () => {
    const same = obj('batch.example.dev/v1', { schedule: '1 2' });
    const r = await server().convert({ uid: 'z', desiredAPIVersion: 'batch.example.dev/v1', objects: [same] });
    expect(r.convertedObjects).toEqual([same]);
  });

  it('fails the whole review with the conversion error, an unknown version or kind', async () => {
    const s = server();
    const bad = await s.convert({
      uid: 'a',
      desiredAPIVersion: 'batch.example.dev/v2',
      objects: [obj('batch.example.dev/v1', { schedule: '* * *' })],
    });
    expect(bad).toEqual({ uid: 'a', result: { status: 'Failure', message: 'schedule "* * *" is not two fields' } });
    const unknownVersion = await s.convert({
      uid: 'b',
      desiredAPIVersion: 'batch.example.dev/v9',
      objects: [obj('batch.example.dev/v1', { schedule: '1 2' })],
    });
    expect(unknownVersion.result.message).toBe(
      'CronJob.batch.example.dev version v9 is neither the hub v1 nor a registered spoke',
    );
    const unknownKind = await s.convert({
      uid: 'c',
      desiredAPIVersion: 'batch.example.dev/v2',
      objects: [{ ...obj('batch.example.dev/v1', {}), kind: 'Other' }],
    });
    expect(unknownKind.result.message).toBe('no conversion is registered for Other.batch.example.dev');
  });

  it('refuses a spoke that is not another version of the hub, and a second registration', () => {
    const Other = defineKind({ ...CronV1.definition, kind: 'Other', version: 'v2' });
    expect(() =>
      new WebhookServer({ certDir: '' }).converter(CronV1, [{ kind: Other, toHub: (o) => o, fromHub: (o) => o }]),
    ).toThrow(/batch.example.dev\/v2 Other is not another version of the hub batch.example.dev\/v1/);
    expect(() => server().converter(CronV1, [])).toThrow(/already registered for CronJob.batch.example.dev/);
  });

  const running: WebhookServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('answers a ConversionReview v1 over HTTPS at /convert, and refuses other review versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conversion-'));
    const { caPem } = ensureLocalWebhookCerts(dir, ['127.0.0.1']);
    const s = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir }).converter(CronV1, [v2]);
    running.push(s);
    const { url } = await s.start();
    const post = (body: unknown) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the webhook's JSON reply: the tests assert on its shape
      new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = request(`${url}${CONVERSION_PATH}`, { method: 'POST', ca: caPem }, (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(b) }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    const ok = await post({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: {
        uid: 'r1',
        desiredAPIVersion: 'batch.example.dev/v2',
        objects: [obj('batch.example.dev/v1', { schedule: '0 4' })],
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      response: {
        uid: 'r1',
        convertedObjects: [obj('batch.example.dev/v2', { schedule: { minute: '0', hour: '4' } })],
        result: { status: 'Success' },
      },
    });
    const old = await post({
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'ConversionReview',
      request: { uid: 'r2' },
    });
    expect(old.status).toBe(400);
    expect(old.json.response.result).toEqual({
      status: 'Failure',
      message:
        'unsupported ConversionReview version apiextensions.k8s.io/v1beta1: configure conversionReviewVersions: [v1]',
    });
  });
});
