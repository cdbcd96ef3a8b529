import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCA, createCert } from '@kubeloop/certs';
import { isStatusError, type StatusError } from '../errors.ts';
import type { AdmissionRequestAttributes, KubeObject, ResourceType } from '../types.ts';
import { createAdmission, ruleMatches, webhookMatches, type Webhook } from './admission.ts';

const widgets: ResourceType = {
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
};
const rule = {
  operations: ['CREATE', 'UPDATE'],
  apiGroups: ['h2probe.example.com'],
  apiVersions: ['v1'],
  resources: ['widgets'],
};

function attrs(over: Partial<AdmissionRequestAttributes> = {}): AdmissionRequestAttributes {
  return {
    operation: 'CREATE',
    resource: widgets,
    subresource: '',
    name: 'w1',
    namespace: 'default',
    object: {
      apiVersion: 'h2probe.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default', labels: { team: 'a' } },
      spec: { replicas: 1 },
    },
    dryRun: false,
    options: {},
    namespaceLabels: { env: 'test' },
    ...over,
  };
}

describe('WH-1 matching', () => {
  it('WH-1 rules: operations, groups, versions, resources with * and subresources, scope', () => {
    expect(ruleMatches(rule, attrs())).toBe(true);
    expect(ruleMatches(rule, attrs({ operation: 'DELETE' }))).toBe(false);
    expect(ruleMatches({ ...rule, operations: ['*'] }, attrs({ operation: 'DELETE' }))).toBe(true);
    expect(ruleMatches(rule, attrs({ subresource: 'status' }))).toBe(false);
    expect(ruleMatches({ ...rule, resources: ['widgets/status'] }, attrs({ subresource: 'status' }))).toBe(true);
    expect(ruleMatches({ ...rule, resources: ['*/*'] }, attrs({ subresource: 'status' }))).toBe(true);
    expect(ruleMatches({ ...rule, resources: ['*'] }, attrs({ subresource: 'status' }))).toBe(false);
    expect(ruleMatches({ ...rule, apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }, attrs())).toBe(true);
    expect(ruleMatches({ ...rule, scope: 'Cluster' }, attrs())).toBe(false);
    expect(ruleMatches({ ...rule, scope: 'Namespaced' }, attrs())).toBe(true);
  });

  it('WH-1 namespaceSelector uses the namespace labels, objectSelector the new or old object labels', () => {
    const w: Webhook = { name: 'x', clientConfig: { url: 'https://127.0.0.1:1' }, rules: [rule] };
    expect(webhookMatches({ ...w, namespaceSelector: { matchLabels: { env: 'test' } } }, attrs())).toBe(true);
    expect(webhookMatches({ ...w, namespaceSelector: { matchLabels: { env: 'prod' } } }, attrs())).toBe(false);
    expect(
      webhookMatches(
        { ...w, namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } },
        attrs(),
      ),
    ).toBe(true);
    expect(webhookMatches({ ...w, objectSelector: { matchLabels: { team: 'a' } } }, attrs())).toBe(true);
    expect(webhookMatches({ ...w, objectSelector: { matchLabels: { team: 'b' } } }, attrs())).toBe(false);
    const old: KubeObject = { metadata: { labels: { team: 'b' } } };
    expect(
      webhookMatches(
        { ...w, objectSelector: { matchLabels: { team: 'b' } } },
        attrs({ operation: 'UPDATE', oldObject: old }),
      ),
    ).toBe(true);
  });
});

describe('WH-2…WH-4 calls to a real HTTPS webhook', () => {
  let server: Server;
  let base: string;
  let caBundle: string;
  /** The AdmissionReview a webhook receives, as far as these tests read it. */
  interface SentReview {
    apiVersion: string;
    kind: string;
    request: { uid: string; object: KubeObject & { spec: { mode?: string } }; oldObject: KubeObject | null };
  }
  const seen: { path?: string; review: SentReview; contentType?: string }[] = [];
  type Handler = (review: SentReview) => { status?: number; body: unknown; delayMs?: number };
  const handlers = new Map<string, Handler>();

  beforeAll(async () => {
    const ca = createCA({ commonName: 'h2-webhook-ca' });
    const cert = createCert(ca, {
      commonName: 'webhook',
      dnsNames: ['webhook-service.system.svc', 'localhost'],
      ipAddresses: ['127.0.0.1'],
      server: true,
    });
    caBundle = Buffer.from(ca.cert).toString('base64');
    server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SentReview;
        seen.push({ path: req.url, review, contentType: req.headers['content-type'] });
        const handler = handlers.get(new URL(req.url!, 'https://x').pathname)!;
        const out = handler(review);
        const send = () => {
          res.writeHead(out.status ?? 200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(out.body));
        };
        if (out.delayMs) setTimeout(send, out.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const allow = (review: SentReview, extra: object = {}) => ({
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: review.request.uid, allowed: true, ...extra },
      },
    });
    const patch = (ops: unknown) => Buffer.from(JSON.stringify(ops)).toString('base64');
    handlers.set('/allow', (r) => allow(r, { warnings: ['be careful'] }));
    handlers.set('/default', (r) =>
      allow(r, { patchType: 'JSONPatch', patch: patch([{ op: 'add', path: '/spec/mode', value: 'a' }]) }),
    );
    handlers.set('/default2', (r) =>
      allow(r, {
        patchType: 'JSONPatch',
        patch: patch([{ op: 'replace', path: '/spec/mode', value: `${r.request.object.spec.mode}+b` }]),
      }),
    );
    handlers.set('/deny', (r) => ({
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: r.request.uid,
          allowed: false,
          status: {
            code: 403,
            reason: 'Forbidden',
            message: 'spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5.',
          },
        },
      },
    }));
    handlers.set('/deny-bare', (r) => ({
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: r.request.uid, allowed: false },
      },
    }));
    handlers.set('/wrong-uid', () => ({
      body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'nope', allowed: true } },
    }));
    handlers.set('/slow', (r) => ({ ...allow(r), delayMs: 3000 }));
    handlers.set('/patch-in-validating', (r) => allow(r, { patchType: 'JSONPatch', patch: patch([]) }));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const hook = (name: string, path: string, extra: Partial<Webhook> = {}): Webhook => ({
    name,
    clientConfig: { url: `${base}${path}`, caBundle },
    rules: [rule],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  });
  const config = (name: string, webhooks: Webhook[]): KubeObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'X',
    metadata: { name },
    webhooks,
  });
  const admission = createAdmission();

  async function rejection(p: Promise<unknown>): Promise<StatusError> {
    try {
      await p;
    } catch (e) {
      if (isStatusError(e)) return e;
      throw e;
    }
    throw new Error('expected a rejection');
  }

  it('WH-3 sends an AdmissionReview v1 with ?timeout=, the GVK/GVR, object and options', async () => {
    seen.length = 0;
    const { warnings } = await admission.validate(attrs(), [
      config('v', [hook('vx.kb.io', '/allow', { timeoutSeconds: 5 })]),
    ]);
    expect(warnings).toEqual(['be careful']);
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe('/allow?timeout=5s');
    expect(seen[0].contentType).toBe('application/json');
    const r = seen[0].review;
    expect(r.apiVersion).toBe('admission.k8s.io/v1');
    expect(r.kind).toBe('AdmissionReview');
    expect(r.request).toMatchObject({
      kind: { group: 'h2probe.example.com', version: 'v1', kind: 'Widget' },
      resource: { group: 'h2probe.example.com', version: 'v1', resource: 'widgets' },
      name: 'w1',
      namespace: 'default',
      operation: 'CREATE',
      dryRun: false,
      oldObject: null,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    });
    expect(r.request.object.spec).toEqual({ replicas: 1 });
    expect(r.request.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('WH-2 mutating webhooks run serially in configuration-name order and patches compose', async () => {
    const { object } = await admission.mutate(attrs(), [
      config('b', [hook('second.kb.io', '/default2')]),
      config('a', [hook('first.kb.io', '/default')]),
    ]);
    expect(object?.spec).toEqual({ replicas: 1, mode: 'a+b' });
  });

  it('WH-4 a denial carries the webhook code and the real message', async () => {
    const e = await rejection(admission.validate(attrs(), [config('v', [hook('vx.kb.io', '/deny')])]));
    expect(e.statusCode).toBe(403);
    expect(e.status.reason).toBe('Forbidden');
    expect(e.message).toBe(
      'admission webhook "vx.kb.io" denied the request: spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5.',
    );
  });

  it('WH-4 a denial without status is a 400 "without explanation"', async () => {
    const e = await rejection(admission.mutate(attrs(), [config('m', [hook('mx.kb.io', '/deny-bare')])]));
    expect(e.statusCode).toBe(400);
    expect(e.message).toBe('admission webhook "mx.kb.io" denied the request without explanation');
  });

  it('WH-4 a call failure under Fail is a 500 "failed calling webhook", ignored under Ignore', async () => {
    const e = await rejection(
      admission.validate(attrs(), [
        config('v', [hook('vx.kb.io', '/allow', { clientConfig: { url: 'https://127.0.0.1:1/x', caBundle } })]),
      ]),
    );
    expect(e.statusCode).toBe(500);
    expect(e.status.reason).toBe('InternalError');
    expect(e.message).toBe(
      'Internal error occurred: failed calling webhook "vx.kb.io": failed to call webhook: Post "https://127.0.0.1:1/x?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused',
    );
    await expect(
      admission.validate(attrs(), [
        config('v', [
          hook('vx.kb.io', '/allow', {
            failurePolicy: 'Ignore',
            clientConfig: { url: 'https://127.0.0.1:1/x', caBundle },
          }),
        ]),
      ]),
    ).resolves.toEqual({ warnings: [] });
  });

  it('WH-1 caBundle is what makes the certificate trusted', async () => {
    const e = await rejection(
      admission.validate(attrs(), [
        config('v', [hook('vx.kb.io', '/allow', { clientConfig: { url: `${base}/allow` } })]),
      ]),
    );
    expect(e.message).toMatch(
      /^Internal error occurred: failed calling webhook "vx.kb.io": failed to call webhook: Post ".*": tls: failed to verify certificate: x509: certificate signed by unknown authority$/,
    );
  });

  it('WH-1 timeoutSeconds bounds the call', async () => {
    const started = Date.now();
    const e = await rejection(
      admission.validate(attrs(), [config('v', [hook('slow.kb.io', '/slow', { timeoutSeconds: 1 })])]),
    );
    expect(Date.now() - started).toBeLessThan(2900);
    expect(e.message).toMatch(
      /failed calling webhook "slow.kb.io": failed to call webhook: Post ".*\/slow\?timeout=1s": context deadline exceeded$/,
    );
  });

  it('WH-4 response checks: uid mismatch, patch from a validating webhook', async () => {
    const e = await rejection(admission.validate(attrs(), [config('v', [hook('uid.kb.io', '/wrong-uid')])]));
    expect(e.message).toMatch(
      /^Internal error occurred: failed calling webhook "uid.kb.io": received invalid webhook response: expected response.uid="[0-9a-f-]+", got "nope"$/,
    );
    const p = await rejection(admission.validate(attrs(), [config('v', [hook('p.kb.io', '/patch-in-validating')])]));
    expect(p.message).toContain('patches are not allowed for validating webhooks');
  });

  it('WH-1 service references resolve only through resolveService, keeping the service DNS name for TLS', async () => {
    const svcHook = hook('svc.kb.io', '', {
      clientConfig: { service: { namespace: 'system', name: 'webhook-service', path: '/allow' }, caBundle },
    });
    const unresolved = await rejection(createAdmission().validate(attrs(), [config('v', [svcHook])]));
    expect(unresolved.message).toContain('cannot be resolved by local-apiserver');
    const resolved = createAdmission({
      resolveService: (s) => (s.name === 'webhook-service' && s.namespace === 'system' ? base : undefined),
    });
    await expect(resolved.validate(attrs(), [config('v', [svcHook])])).resolves.toEqual({ warnings: ['be careful'] });
  });

  it('WH-1 non-matching webhooks are not called', async () => {
    seen.length = 0;
    await admission.validate(attrs({ operation: 'DELETE', object: undefined }), [
      config('v', [hook('vx.kb.io', '/deny')]),
    ]);
    expect(seen).toHaveLength(0);
  });

  it('WH-5 dry-run requests still call webhooks with dryRun: true; DELETE sends oldObject and a null object', async () => {
    seen.length = 0;
    const old = attrs().object;
    await admission.validate(attrs({ operation: 'DELETE', object: undefined, oldObject: old, dryRun: true }), [
      config('v', [hook('vx.kb.io', '/allow', { rules: [{ ...rule, operations: ['DELETE'] }] })]),
    ]);
    expect(seen[0].review.request).toMatchObject({
      operation: 'DELETE',
      dryRun: true,
      object: null,
      options: { kind: 'DeleteOptions' },
    });
    expect(seen[0].review.request.oldObject?.metadata?.name).toBe('w1');
  });
});
