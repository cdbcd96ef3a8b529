import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  ApiError,
  Client,
  createLogger,
  crdFor,
  ensureLocalWebhookCerts,
  fieldInvalid,
  Manager,
  MutatingWebhookConfiguration,
  ValidatingWebhookConfiguration,
  type KubeObject,
} from '../src/index.ts';
import { Widget } from './fixtures/widget.ts';

type W = KubeObject & { spec: { value?: number } };

let cp: ControlPlane;
let client: Client;
beforeAll(async () => {
  cp = await startControlPlane({ crds: [crdFor(Widget)] });
  client = new Client(cp.kubeConfig, { fieldManager: 'webhook-test' });
});
afterAll(async () => {
  await cp?.stop();
});

describe('webhooks through the API server', () => {
  it("the API server calls the manager's webhooks: defaulting patch applied, validation denial reaches the client", async () => {
    const ns = await createTestNamespace(cp, 'wh');
    const certDir = mkdtempSync(join(tmpdir(), 'mgr-webhook-'));
    const { caBundle } = ensureLocalWebhookCerts(certDir, ['localhost', '127.0.0.1']);
    const mgr = new Manager({
      name: 'wh-test',
      kubeConfig: cp.kubeConfig,
      namespace: ns,
      metricsBindAddress: '0',
      healthProbeBindAddress: '127.0.0.1:0',
      webhook: { port: 0, host: '127.0.0.1', certDir },
      logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
    });
    mgr.webhooks.defaulter(Widget, (w: W) => {
      w.spec.value ??= 3;
    });
    mgr.webhooks.validator(Widget, {
      create: (w: W) =>
        (w.spec.value ?? 0) > 5
          ? [fieldInvalid('spec.value', w.spec.value, 'value must be in the range of 1 to 5.')]
          : [],
    });
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    const { webhook, healthProbe } = await mgr.serving();
    expect(webhook).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await eventually(async () =>
      expect(await (await fetch(`${healthProbe}/readyz?verbose`)).text()).toContain('[+]webhook ok'),
    );

    const nsSelector = { matchLabels: { 'kubernetes.io/metadata.name': ns } };
    const rules = [
      {
        apiGroups: [Widget.group],
        apiVersions: [Widget.version],
        resources: [Widget.plural],
        operations: ['CREATE', 'UPDATE'],
      },
    ];
    const common = {
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      failurePolicy: 'Fail',
      namespaceSelector: nsSelector,
      rules,
    };
    await client.resource(MutatingWebhookConfiguration).create({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: `m-${ns}` },
      webhooks: [
        {
          name: 'mwidget.kubeloop.dev',
          clientConfig: { url: `${webhook}/mutate-test-kubeloop-dev-v1-widget`, caBundle },
          ...common,
        },
      ],
    } as never);
    await client.resource(ValidatingWebhookConfiguration).create({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: `v-${ns}` },
      webhooks: [
        {
          name: 'vwidget.kubeloop.dev',
          clientConfig: { url: `${webhook}/validate-test-kubeloop-dev-v1-widget`, caBundle },
          ...common,
        },
      ],
    } as never);
    try {
      const widgets = client.resource(Widget);
      // The real API server picks up new webhook configurations asynchronously: poll.
      const created = await eventually(async () => {
        const name = `w-${Math.random().toString(36).slice(2, 8)}`;
        const w = await widgets.create({
          apiVersion: Widget.apiVersion,
          kind: 'Widget',
          metadata: { name, namespace: ns },
          spec: {},
        });
        expect(w.spec.value).toBe(3);
        return w;
      });
      expect(created.spec.value).toBe(3);
      const err = await eventually(async () => {
        const e = await widgets
          .create({
            apiVersion: Widget.apiVersion,
            kind: 'Widget',
            metadata: { name: 'too-big', namespace: ns },
            spec: { value: 100 },
          })
          .then(
            () => {
              throw new Error('accepted');
            },
            (x: unknown) => x,
          );
        expect(e).toBeInstanceOf(ApiError);
        return e as ApiError;
      });
      expect(err.code).toBe(422);
      expect(err.message).toContain(
        'admission webhook "vwidget.kubeloop.dev" denied the request: Widget.test.kubeloop.dev "too-big" is invalid: spec.value: Invalid value: 100: value must be in the range of 1 to 5.',
      );
    } finally {
      await client.resource(MutatingWebhookConfiguration).delete('', `m-${ns}`);
      await client.resource(ValidatingWebhookConfiguration).delete('', `v-${ns}`);
      abort.abort();
      await running;
    }
  });
});
