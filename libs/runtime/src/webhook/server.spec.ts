import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCA, createCert, writeCertDir } from '@kubeloop/certs';
import { fieldInvalid, fieldRequired } from '../errors/field-errors.ts';
import { defineKind, Type, builtinKind, type KubeObject } from '../kinds/kind.ts';
import { applyPatch, type JsonPatchOp } from './json-patch.ts';
import { ensureLocalWebhookCerts } from './local-certs.ts';
import { mutatePath, validatePath, WebhookServer } from './server.ts';

const Widget = defineKind({
  group: 'view.kubeloop.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  spec: Type.Object({
    replicas: Type.Optional(Type.Integer()),
    markdowns: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});
type WidgetObj = KubeObject & { spec: { replicas?: number; markdowns?: Record<string, string> } };

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the webhook's JSON reply: the tests assert on its shape
  json: any;
  headers: Record<string, string | string[] | undefined>;
}

function post(url: string, ca: string, body: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, json: b.startsWith('{') ? JSON.parse(b) : b, headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function review(operation: string, object?: unknown, oldObject?: unknown) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${operation}`,
      kind: { group: 'view.kubeloop.dev', version: 'v1', kind: 'Widget' },
      resource: { group: 'view.kubeloop.dev', version: 'v1', resource: 'widgets' },
      name: 'w1',
      namespace: 'ns',
      operation,
      object,
      oldObject,
      userInfo: { username: 'tester' },
    },
  };
}

const servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function peerSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const serial = sock.getPeerCertificate().serialNumber;
      sock.end();
      resolve(serial);
    });
    sock.on('error', reject);
  });
}

describe('webhook server', () => {
  it('uses kubebuilder paths', () => {
    expect(mutatePath(Widget)).toBe('/mutate-view-kubeloop-dev-v1-widget');
    expect(validatePath(Widget)).toBe('/validate-view-kubeloop-dev-v1-widget');
    expect(mutatePath(builtinKind({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }))).toBe(
      '/mutate--v1-pod',
    );
  });

  it('answers a real HTTPS AdmissionReview round trip: defaulting patch, validation denial, delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-'));
    const { caPem, caBundle } = ensureLocalWebhookCerts(dir, ['localhost', '127.0.0.1']);
    expect(Buffer.from(caBundle, 'base64').toString()).toBe(caPem);
    const srv = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
    servers.push(srv);
    srv.defaulter(Widget, (obj: WidgetObj) => {
      obj.spec.replicas ??= 1;
      obj.metadata.labels = { ...obj.metadata.labels, 'app.kubernetes.io/managed-by': 'kubeloop' };
    });
    srv.validator(Widget, {
      create: (obj: WidgetObj) => [
        ...((obj.spec.replicas ?? 1) > 5
          ? [fieldInvalid('spec.replicas', obj.spec.replicas, 'replicas must be in the range of 1 to 5.')]
          : []),
        ...(!obj.spec.markdowns?.['SUMMARY.md']
          ? [fieldRequired('spec.markdowns', 'markdowns must have SUMMARY.md.')]
          : []),
      ],
      update: (oldObj: WidgetObj, obj: WidgetObj) =>
        obj.spec.replicas! < oldObj.spec.replicas!
          ? [fieldInvalid('spec.replicas', obj.spec.replicas, 'may not shrink')]
          : [],
      delete: (old: WidgetObj) =>
        old.metadata.labels?.protected ? [fieldInvalid('metadata.labels[protected]', 'true', 'protected')] : undefined,
    });
    expect(srv.registrations().map((r) => [r.type, r.path, r.operations.join()])).toEqual([
      ['mutating', '/mutate-view-kubeloop-dev-v1-widget', 'CREATE,UPDATE'],
      ['validating', '/validate-view-kubeloop-dev-v1-widget', 'CREATE,UPDATE,DELETE'],
    ]);
    const { url } = await srv.start();
    expect(url).toBe(`https://127.0.0.1:${srv.port}`);

    const obj = {
      apiVersion: 'view.kubeloop.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'ns' },
      spec: {},
    };
    const m = await post(`https://localhost:${srv.port}${mutatePath(Widget)}`, caPem, review('CREATE', obj));
    expect(m.status).toBe(200);
    expect(m.json.apiVersion).toBe('admission.k8s.io/v1');
    expect(m.json.response).toMatchObject({ uid: 'uid-CREATE', allowed: true, patchType: 'JSONPatch' });
    const ops = JSON.parse(Buffer.from(m.json.response.patch, 'base64').toString()) as JsonPatchOp[];
    expect(applyPatch(obj, ops)).toEqual({
      ...obj,
      metadata: { ...obj.metadata, labels: { 'app.kubernetes.io/managed-by': 'kubeloop' } },
      spec: { replicas: 1 },
    });

    const unchanged = {
      ...obj,
      metadata: { ...obj.metadata, labels: { 'app.kubernetes.io/managed-by': 'kubeloop' } },
      spec: { replicas: 2 },
    };
    const m2 = await post(`${url}${mutatePath(Widget)}`, caPem, review('UPDATE', unchanged, unchanged));
    expect(m2.json.response).toEqual({ uid: 'uid-UPDATE', allowed: true });

    const bad = { ...obj, spec: { replicas: 100 } };
    const v = await post(`${url}${validatePath(Widget)}`, caPem, review('CREATE', bad));
    expect(v.json.response).toEqual({
      uid: 'uid-CREATE',
      allowed: false,
      status: {
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message:
          'Widget.view.kubeloop.dev "w1" is invalid: [spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5., spec.markdowns: Required value: markdowns must have SUMMARY.md.]',
        details: {
          name: 'w1',
          group: 'view.kubeloop.dev',
          kind: 'Widget',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: 100: replicas must be in the range of 1 to 5.',
              field: 'spec.replicas',
            },
            {
              reason: 'FieldValueRequired',
              message: 'Required value: markdowns must have SUMMARY.md.',
              field: 'spec.markdowns',
            },
          ],
        },
      },
    });
    const good = { ...obj, spec: { replicas: 2, markdowns: { 'SUMMARY.md': '# x' } } };
    expect((await post(`${url}${validatePath(Widget)}`, caPem, review('CREATE', good))).json.response).toEqual({
      uid: 'uid-CREATE',
      allowed: true,
    });
    expect(
      (await post(`${url}${validatePath(Widget)}`, caPem, review('UPDATE', { ...good, spec: { replicas: 1 } }, good)))
        .json.response.status.message,
    ).toContain('may not shrink');
    const prot = { ...good, metadata: { ...good.metadata, labels: { protected: 'true' } } };
    expect(
      (await post(`${url}${validatePath(Widget)}`, caPem, review('DELETE', undefined, prot))).json.response.allowed,
    ).toBe(false);
    expect(
      (await post(`${url}${validatePath(Widget)}`, caPem, review('DELETE', undefined, good))).json.response.allowed,
    ).toBe(true);

    // Malformed requests and unknown paths.
    expect((await post(`${url}${validatePath(Widget)}`, caPem, { hello: 1 })).status).toBe(400);
    expect((await post(`${url}/validate-nope`, caPem, review('CREATE', good))).status).toBe(404);
  });

  it('a throwing handler denies with its status (or 403), never crashes the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-'));
    const { caPem } = ensureLocalWebhookCerts(dir);
    const srv = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
    servers.push(srv);
    srv.validator(Widget, {
      create: () => {
        throw new Error('backend down');
      },
    });
    const { url } = await srv.start();
    const r = await post(
      `${url}${validatePath(Widget)}`,
      caPem,
      review('CREATE', { metadata: { name: 'w1' }, spec: {} }),
    );
    expect(r.json.response).toEqual({
      uid: 'uid-CREATE',
      allowed: false,
      status: { code: 403, reason: 'Forbidden', message: 'backend down' },
    });
  });

  it('stop lets a request in flight finish within the grace, then closes what is still open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-stop-'));
    const { caPem } = ensureLocalWebhookCerts(dir);
    const srv = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    srv.validator(Widget, {
      create: async (obj) => {
        entered();
        if (obj.metadata.name === 'slow') await released;
      },
    });
    const { url } = await srv.start();

    // In flight when stop begins, answered within the grace: the API server gets its answer.
    const slow = post(
      `${url}${validatePath(Widget)}`,
      caPem,
      review('CREATE', { metadata: { name: 'slow' }, spec: {} }),
    );
    await inHandler;
    const stopping = srv.stop(5_000);
    release();
    const answer = await slow;
    expect(answer.json.response.allowed).toBe(true);
    // The answer closes its connection: kept alive, the API server would send the next review on it.
    expect(answer.headers.connection).toBe('close');
    await stopping;

    // A handler that never answers: stop returns after the grace and the client sees its connection end.
    const srv2 = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
    servers.push(srv2);
    let entered2!: () => void;
    const inHandler2 = new Promise<void>((r) => (entered2 = r));
    srv2.validator(Widget, {
      create: async () => {
        entered2();
        await new Promise(() => {});
      },
    });
    const { url: url2 } = await srv2.start();
    const stuck = post(
      `${url2}${validatePath(Widget)}`,
      caPem,
      review('CREATE', { metadata: { name: 'stuck' }, spec: {} }),
    );
    const outcome = stuck.then(
      () => 'answered',
      (err: NodeJS.ErrnoException) => err.code,
    );
    await inHandler2;
    await srv2.stop(200);
    expect(await outcome).toBe('ECONNRESET');
  });

  it('reloads the certificate when the files change, ignoring a mismatched pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-reload-'));
    const ca = createCA();
    const first = createCert(ca, { commonName: 'one', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    writeCertDir(dir, { 'tls.key': first.key, 'tls.crt': first.cert });
    const srv = new WebhookServer({ port: 0, host: '127.0.0.1', certDir: dir });
    servers.push(srv);
    await srv.start();
    const serial1 = new X509Certificate(first.cert).serialNumber;
    expect((await peerSerial(srv.port, ca.cert)).toUpperCase()).toBe(serial1.toUpperCase());

    const second = createCert(ca, { commonName: 'two', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    writeCertDir(dir, { 'tls.key': second.key, 'tls.crt': second.cert });
    const serial2 = new X509Certificate(second.cert).serialNumber.toUpperCase();
    const deadline = Date.now() + 5000;
    let seen = '';
    while (Date.now() < deadline && seen !== serial2) {
      seen = (await peerSerial(srv.port, ca.cert)).toUpperCase();
      if (seen !== serial2) await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toBe(serial2);
    expect(srv.certLoads).toBe(2);

    // A key that does not match the certificate is refused; the server keeps serving `second`.
    writeCertDir(dir, { 'tls.crt': first.cert });
    expect(srv.reloadCertificate()).toBe(false);
    expect((await peerSerial(srv.port, ca.cert)).toUpperCase()).toBe(serial2);
    expect(readFileSync(join(dir, 'tls.crt'), 'utf8')).toBe(first.cert);
  });

  it('ensureLocalWebhookCerts reuses a fitting pair and replaces one missing a host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-local-'));
    const a = ensureLocalWebhookCerts(dir, ['localhost']);
    const b = ensureLocalWebhookCerts(dir, ['localhost']);
    expect(b.caPem).toBe(a.caPem);
    const c = ensureLocalWebhookCerts(dir, ['localhost', 'webhook.ns.svc']);
    expect(c.caPem).not.toBe(a.caPem);
    expect(new X509Certificate(readFileSync(join(dir, 'tls.crt'))).checkHost('webhook.ns.svc')).toBe('webhook.ns.svc');
  });

  it('refuses to start without certificates, with a message that says what to do', async () => {
    const srv = new WebhookServer({ port: 0, certDir: join(tmpdir(), 'does-not-exist-webhook') });
    await expect(srv.start()).rejects.toMatchObject({
      code: 'CertsMissing',
      message: expect.stringContaining('ensureLocalWebhookCerts'),
    });
  });
});
