import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCA, createCert } from '@kubeloop/certs';
import { TestServer, type AnyJson } from './helpers.ts';

// Expected texts are kube-apiserver v1.36.2's answers to the same requests (docs/apiserver.md §6.8).
const G = 'batch.tutorial.kubebuilder.io';
const V1 = `/apis/${G}/v1/namespaces/default/cronjobs`;
const V2 = `/apis/${G}/v2/namespaces/default/cronjobs`;
const FIELDS = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'];
type O = Record<string, AnyJson>;

/** The book's conversion (v1 hub, v2 spoke with a structured schedule) plus misbehaviours chosen by label. */
function convert(o: O, desired: string): O | string {
  const out: O = structuredClone(o);
  out.apiVersion = desired;
  if (desired.endsWith('/v2') && o.apiVersion.endsWith('/v1')) {
    const parts = String(o.spec?.schedule ?? '').split(' ');
    if (parts.length !== 5) return 'invalid schedule: not a standard 5-field schedule';
    const s: O = {};
    parts.forEach((p, i) => {
      if (p !== '*') s[FIELDS[i]!] = p;
    });
    out.spec = { ...out.spec, schedule: s };
  } else if (desired.endsWith('/v1') && o.apiVersion.endsWith('/v2')) {
    const s = o.spec?.schedule ?? {};
    out.spec = { ...out.spec, schedule: FIELDS.map((k) => s[k] ?? '*').join(' ') };
  }
  const mode = o.metadata?.labels?.['probe/mode'];
  if (mode === 'badname') out.metadata.name = 'other';
  if (mode === 'badlabel') out.metadata.labels = { ...out.metadata.labels, added: 'yes' };
  if (mode === 'badapiversion') out.apiVersion = `${G}/v9`;
  if (mode === 'extrafield') out.spec.unknownField = 'x';
  return out;
}

function schema(v2: boolean) {
  return {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            schedule: v2
              ? { type: 'object', properties: Object.fromEntries(FIELDS.map((k) => [k, { type: 'string' }])) }
              : { type: 'string' },
            suspend: { type: 'boolean', default: v2 },
          },
        },
        status: { type: 'object', properties: { active: { type: 'integer' } } },
      },
    },
  };
}

function crd(conversion: O) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `cronjobs.${G}` },
    spec: {
      group: G,
      names: { kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob', listKind: 'CronJobList' },
      scope: 'Namespaced',
      conversion,
      versions: [
        { name: 'v1', served: true, storage: true, schema: schema(false), subresources: { status: {} } },
        { name: 'v2', served: true, storage: false, schema: schema(true), subresources: { status: {} } },
      ],
    },
  };
}

const v1 = (name: string, schedule: string, labels: O = {}) => ({
  apiVersion: `${G}/v1`,
  kind: 'CronJob',
  metadata: { name, labels },
  spec: { schedule },
});

describe('multi-version CRDs with a conversion webhook', () => {
  let t: TestServer;
  let webhook: Server;
  let url: string;
  let caBundle: string;
  const reviews: O[] = [];

  beforeAll(async () => {
    const ca = createCA({ commonName: 'conversion-test-ca' });
    const cert = createCert(ca, { commonName: 'conversion', ipAddresses: ['127.0.0.1'], server: true });
    caBundle = Buffer.from(ca.cert).toString('base64');
    webhook = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body);
        reviews.push({ url: req.url, ...review });
        const r = review.request;
        const converted: O[] = [];
        let failure: string | undefined;
        for (const o of r.objects) {
          const c = convert(o, r.desiredAPIVersion);
          if (typeof c === 'string') {
            failure = c;
            break;
          }
          converted.push(c);
        }
        const drop = r.objects.some((o: O) => o.metadata?.labels?.['probe/mode'] === 'dropone');
        const response = failure
          ? { uid: r.uid, result: { status: 'Failure', message: failure } }
          : { uid: r.uid, result: { status: 'Success' }, convertedObjects: drop ? [] : converted };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response }));
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(webhook.address() as { port: number }).port}/convert`;
    t = await TestServer.start();
    const created = await t.post(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      crd({ strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url, caBundle } } }),
    );
    expect(created.status, created.text).toBe(201);
    await t.eventually(async () => expect((await t.get(`/apis/${G}/v2`)).status).toBe(200));
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((r) => webhook?.close(r));
  });

  it('CRD-V-1 discovery serves both versions, v2 preferred (kube-aware order)', async () => {
    const { body } = await t.get(`/apis/${G}`);
    expect(body.versions.map((v: O) => v.version)).toEqual(['v2', 'v1']);
    expect(body.preferredVersion).toEqual({ groupVersion: `${G}/v2`, version: 'v2' });
    const { body: oapi } = await t.get('/openapi/v3');
    expect(Object.keys(oapi.paths)).toEqual(expect.arrayContaining([`apis/${G}/v1`, `apis/${G}/v2`]));
    const { body: doc } = await t.get(`/openapi/v3/apis/${G}/v2`);
    const schemaOf = doc.components.schemas[`io.kubebuilder.tutorial.batch.v2.CronJob`];
    expect(schemaOf.properties.spec.properties.schedule.type).toBe('object');
  });

  it('CRD-V-4 reads in another version go through the webhook (ConversionReview v1, ?timeout=30s)', async () => {
    expect((await t.post(V1, v1('good', '*/5 * * * *'))).status).toBe(201);
    reviews.length = 0;
    const got = await t.get(`${V2}/good`);
    expect(got.status, got.text).toBe(200);
    expect(got.body.apiVersion).toBe(`${G}/v2`);
    expect(got.body.spec).toEqual({ schedule: { minute: '*/5' }, suspend: false });
    expect(reviews[0]).toMatchObject({
      url: '/convert?timeout=30s',
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: { desiredAPIVersion: `${G}/v2` },
    });
    expect(reviews[0]!.request.objects.map((o: O) => [o.apiVersion, o.metadata.name])).toEqual([[`${G}/v1`, 'good']]);
    reviews.length = 0;
    expect((await t.get(`${V1}/good`)).body.spec.schedule).toBe('*/5 * * * *');
    expect(reviews).toHaveLength(0);
  });

  it('CRD-V-4 writes in v2 are stored in v1 (storage) and answered in v2; v2 defaults apply to the v2 request', async () => {
    const created = await t.post(V2, {
      apiVersion: `${G}/v2`,
      kind: 'CronJob',
      metadata: { name: 'fromv2' },
      spec: { schedule: { minute: '1' } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.spec).toEqual({ schedule: { minute: '1' }, suspend: true });
    const asV1 = await t.get(`${V1}/fromv2`);
    expect(asV1.body.spec).toEqual({ schedule: '1 * * * *', suspend: true });
    const patched = await t.patch(`${V2}/fromv2`, { spec: { schedule: { hour: '3' } } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.spec.schedule).toEqual({ minute: '1', hour: '3' });
    expect(patched.body.metadata.generation).toBe(2);
    expect((await t.get(`${V1}/fromv2`)).body.spec.schedule).toBe('1 3 * * *');
    const status = await t.patch(`${V2}/fromv2/status`, { status: { active: 2 } });
    expect(status.status, status.text).toBe(200);
    expect((await t.get(`${V1}/fromv2`)).body.status).toEqual({ active: 2 });
  });

  it('CRD-V-4 a failed conversion is a 500 naming the source version, for get, list and delete', async () => {
    expect((await t.post(V1, v1('hourly', '@hourly'))).status).toBe(201);
    const message = `conversion webhook for ${G}/v1, Kind=CronJob failed: invalid schedule: not a standard 5-field schedule`;
    for (const r of [await t.get(`${V2}/hourly`), await t.get(V2), await t.del(`${V2}/hourly`)]) {
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
    }
    expect((await t.get(V1)).status).toBe(200);
    expect((await t.del(`${V1}/hourly`)).status).toBe(200);
  });

  it('CRD-V-5 the webhook answer is checked: same name, desired apiVersion, count; labels may change; pruned', async () => {
    for (const m of ['badname', 'badlabel', 'badapiversion', 'extrafield', 'dropone'])
      expect((await t.post(V1, v1(m, '1 2 3 4 5', { 'probe/mode': m }))).status).toBe(201);
    const prefix = `conversion webhook for ${G}/v1, Kind=CronJob`;
    expect((await t.get(`${V2}/badname`)).body.message).toBe(
      `${prefix} returned invalid object: must have the same name: badname != other`,
    );
    expect((await t.get(`${V2}/badapiversion`)).body.message).toBe(
      `${prefix} returned invalid object at index 0: invalid groupVersion (expected ${G}/v2, received ${G}/v9)`,
    );
    expect((await t.get(`${V2}/dropone`)).body.message).toBe(`${prefix} returned 0 objects, expected 1`);
    const label = await t.get(`${V2}/badlabel`);
    expect(label.body.metadata.labels).toEqual({ added: 'yes', 'probe/mode': 'badlabel' });
    const extra = await t.get(`${V2}/extrafield`);
    expect(extra.status).toBe(200);
    expect(extra.body.spec.unknownField).toBeUndefined();
    for (const m of ['badname', 'badlabel', 'badapiversion', 'extrafield', 'dropone']) await t.del(`${V1}/${m}`);
  });

  it('CRD-V-4 watches in v2 get converted events; a failed conversion ends the watch with an ERROR event', async () => {
    const { body: list } = await t.get(V1);
    const rv = list.metadata.resourceVersion;
    const watching = t.watch(
      `${V2}?watch=true&resourceVersion=${rv}`,
      (ev) => ev.some((e) => e.type === 'ERROR'),
      // Each event waits on a webhook round trip; at CI's load 10 s ran out after the first.
      60_000,
    );
    await t.post(V1, v1('w1', '1 * * * *'));
    await t.post(V1, v1('w2', '@daily'));
    await t.post(V1, v1('w3', '2 * * * *'));
    const { events } = await watching;
    expect(events.map((e) => [e.type, e.object.metadata?.name ?? e.object.message])).toEqual([
      ['ADDED', 'w1'],
      [
        'ERROR',
        `conversion webhook for ${G}/v1, Kind=CronJob failed: invalid schedule: not a standard 5-field schedule`,
      ],
    ]);
    expect(events[0].object.spec.schedule).toEqual({ minute: '1' });
    expect(events[1].object.code).toBe(500);
    for (const n of ['w1', 'w2', 'w3']) await t.del(`${V1}/${n}`);
  }, 90_000);

  it('CRD-V-4 an unreachable webhook fails reads and writes in the other version only', async () => {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/cronjobs.${G}`;
    const cur = (await t.get(path)).body;
    cur.spec.conversion.webhook.clientConfig = { url: 'https://127.0.0.1:1/convert', caBundle };
    expect((await t.put(path, cur)).status).toBe(200);
    await t.eventually(async () => {
      const r = await t.get(`${V2}/good`);
      expect(r.body.message).toBe(
        `conversion webhook for ${G}/v1, Kind=CronJob failed: Post "https://127.0.0.1:1/convert?timeout=30s": dial tcp 127.0.0.1:1: connect: connection refused`,
      );
    });
    const create = await t.post(V2, {
      apiVersion: `${G}/v2`,
      kind: 'CronJob',
      metadata: { name: 'x2' },
      spec: { schedule: { minute: '1' } },
    });
    expect(create.status).toBe(500);
    expect(create.body.message).toBe(
      `conversion webhook for ${G}/v2, Kind=CronJob failed: Post "https://127.0.0.1:1/convert?timeout=30s": dial tcp 127.0.0.1:1: connect: connection refused`,
    );
    expect((await t.get(`${V1}/good`)).status).toBe(200);
    const fresh = (await t.get(path)).body;
    fresh.spec.conversion.webhook.clientConfig = { url, caBundle };
    expect((await t.put(path, fresh)).status).toBe(200);
  });
});

describe('CRD conversion settings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(() => t?.stop());

  const things = (conversion: O) => {
    const c = crd(conversion) as O;
    c.metadata.name = `things.${G}`;
    c.spec.names = { kind: 'Thing', plural: 'things' };
    return c;
  };
  const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

  it('CRD-V-6 Webhook needs a client config and review versions; None may not have them', async () => {
    const noWebhook = await t.post(CRDS, things({ strategy: 'Webhook' }));
    expect(noWebhook.status).toBe(422);
    expect(noWebhook.body.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "things.${G}" is invalid: [spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook, spec.conversion.conversionReviewVersions: Required value]`,
    );
    const none = await t.post(CRDS, things({ strategy: 'None', webhook: { conversionReviewVersions: ['v1'] } }));
    expect(none.body.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "things.${G}" is invalid: spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook`,
    );
    const bad = await t.post(
      CRDS,
      things({
        strategy: 'Webhook',
        webhook: { conversionReviewVersions: ['v9'], clientConfig: { url: 'https://x/convert' } },
      }),
    );
    expect(bad.body.message).toBe(
      `CustomResourceDefinition.apiextensions.k8s.io "things.${G}" is invalid: spec.conversion.conversionReviewVersions: Invalid value: ["v9"]: must include at least one of v1, v1beta1`,
    );
  });

  it('CRD-V-1 with conversion None a v1 object reads as v2 with only apiVersion changed, defaulted by v2', async () => {
    const created = await t.post(CRDS, things({ strategy: 'None' }));
    expect(created.status, created.text).toBe(201);
    await t.eventually(async () => expect((await t.get(`/apis/${G}/v2`)).status).toBe(200));
    const base = `/apis/${G}/v1/namespaces/default/things`;
    expect((await t.post(base, { ...v1('a', '1 * * * *'), kind: 'Thing', spec: {} })).status).toBe(201);
    const asV2 = await t.get(`/apis/${G}/v2/namespaces/default/things/a`);
    expect(asV2.body.apiVersion).toBe(`${G}/v2`);
    expect(asV2.body.spec).toEqual({ suspend: false });
  });
});
