// Runs against whatever control plane the environment selects (local by default;
// KUBEBUILDER_ASSETS=… for real binaries; USE_EXISTING_CLUSTER=true for the current kubeconfig),
// so it only uses what a real API server also does.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyManifests,
  createTestNamespace,
  eventually,
  installCRDs,
  startControlPlane,
  type ControlPlane,
} from '../src/index.ts';
import { apiCall, apiRequest } from '../src/api-request.ts';

const widgetCrd = (extraColumn = false) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.envtest.kubeloop.dev' },
  spec: {
    group: 'envtest.kubeloop.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: extraColumn ? [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] : undefined,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer', minimum: 0 } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
});

function hasKubectl(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

let cp: ControlPlane;
let stopped = false;
beforeAll(async () => {
  cp = await startControlPlane({ crds: [widgetCrd()] });
}, 120_000);
afterAll(async () => {
  if (!stopped) await cp?.stop();
}, 60_000);

type Obj = {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
  data?: Record<string, string>;
  spec?: { size?: number };
};

describe(`envtest against the ${process.env.USE_EXISTING_CLUSTER === 'true' ? 'existing' : process.env.KUBEBUILDER_ASSETS ? 'real' : 'local'} control plane`, () => {
  it('starts the kind the environment asks for, with a kubeconfig file and a ready client config', async () => {
    const expected =
      process.env.USE_EXISTING_CLUSTER === 'true' ? 'existing' : process.env.KUBEBUILDER_ASSETS ? 'real' : 'local';
    expect(cp.kind).toBe(expected);
    expect(existsSync(cp.kubeconfigPath)).toBe(true);
    expect(cp.local !== undefined).toBe(cp.kind === 'local');
    const ns = await apiCall<{ metadata: { name: string } }>(cp.kubeConfig, 'GET', '/api/v1/namespaces/default');
    expect(ns.metadata.name).toBe('default');
  });

  it('createTestNamespace returns a fresh server-generated name each time', async () => {
    const a = await createTestNamespace(cp, 'envtest-');
    const b = await createTestNamespace(cp, 'envtest');
    expect(a).toMatch(/^envtest-[a-z0-9]{5}$/);
    expect(b).toMatch(/^envtest-[a-z0-9]{5}$/);
    expect(a).not.toBe(b);
    const got = await apiCall<Obj>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${a}`);
    expect(got.metadata.name).toBe(a);
  });

  it('installs CRDs given to startControlPlane: the kind is served at once', async () => {
    const ns = await createTestNamespace(cp);
    const created = await apiCall<Obj>(
      cp.kubeConfig,
      'POST',
      `/apis/envtest.kubeloop.dev/v1/namespaces/${ns}/widgets`,
      {
        apiVersion: 'envtest.kubeloop.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 3 },
      },
    );
    expect(created.metadata.uid).toBeTruthy();
    // the schema is the one we installed: a negative size is rejected
    const bad = await apiRequest(cp.kubeConfig, 'POST', `/apis/envtest.kubeloop.dev/v1/namespaces/${ns}/widgets`, {
      apiVersion: 'envtest.kubeloop.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w2' },
      spec: { size: -1 },
    });
    expect(bad.status).toBe(422);
  });

  it('installCRDs replaces an existing CRD (idempotent re-install with changes)', async () => {
    await installCRDs(cp, [widgetCrd(true)]);
    const crd = await apiCall<{ spec: { versions: { additionalPrinterColumns?: { name: string }[] }[] } }>(
      cp.kubeConfig,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.envtest.kubeloop.dev',
    );
    expect(crd.spec.versions[0]!.additionalPrinterColumns?.map((c) => c.name)).toContain('Size');
    await installCRDs(cp.kubeConfig, [widgetCrd(true)]); // and again, through a bare KubeConfig
  });

  it('applyManifests creates, then replaces, objects of built-in and custom kinds in a new namespace', async () => {
    const ns = `envtest-apply-${Date.now().toString(36)}`;
    const yaml = (value: string, size: number) => `
apiVersion: envtest.kubeloop.dev/v1
kind: Widget
metadata:
  name: from-yaml
  namespace: ${ns}
spec:
  size: ${size}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  key: ${value}
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
`;
    await applyManifests(cp, yaml('one', 1));
    const cm1 = await apiCall<Obj>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
    expect(cm1.data).toEqual({ key: 'one' });
    await applyManifests(cp, yaml('two', 2));
    const cm2 = await apiCall<Obj>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
    expect(cm2.data).toEqual({ key: 'two' });
    expect(cm2.metadata.uid).toBe(cm1.metadata.uid);
    const w = await apiCall<Obj>(
      cp.kubeConfig,
      'GET',
      `/apis/envtest.kubeloop.dev/v1/namespaces/${ns}/widgets/from-yaml`,
    );
    expect(w.spec?.size).toBe(2);
  });

  it('applyManifests fails with the server message for an invalid object', async () => {
    const ns = await createTestNamespace(cp);
    await expect(
      applyManifests(cp, [
        {
          apiVersion: 'envtest.kubeloop.dev/v1',
          kind: 'Widget',
          metadata: { name: 'neg', namespace: ns },
          spec: { size: -5 },
        },
      ]),
    ).rejects.toMatchObject({ code: 'ApiRequest', status: 422 });
    await expect(
      applyManifests(cp, [{ apiVersion: 'nope.kubeloop.dev/v1', kind: 'Nothing', metadata: { name: 'x' } }]),
    ).rejects.toMatchObject({
      code: 'UnknownKind',
    });
  }, 20_000);

  // Real: kube-controller-manager's garbage collector; local: the local server's simulation of it.
  it('owned objects are garbage collected when their owner is deleted', async () => {
    const ns = await createTestNamespace(cp);
    const owner = await apiCall<Obj>(cp.kubeConfig, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: 'owner' },
    });
    await apiCall(cp.kubeConfig, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      metadata: {
        name: 'child',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, controller: true },
        ],
      },
    });
    await apiCall(cp.kubeConfig, 'DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`);
    await eventually(
      async () => {
        const res = await apiRequest(cp.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps/child`);
        expect(res.status).toBe(404);
      },
      { timeout: 30_000, interval: 200 },
    );
  }, 40_000);

  it('applyManifests renders a kustomization directory with kubectl kustomize', async (ctx) => {
    if (!hasKubectl()) return ctx.skip();
    const ns = await createTestNamespace(cp);
    const dir = mkdtempSync(join(tmpdir(), 'envtest-kustomize-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), `namespace: ${ns}\nnamePrefix: demo-\nresources:\n  - cm.yaml\n`);
      writeFileSync(
        join(dir, 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
      );
      await applyManifests(cp, dir);
      const cm = await apiCall<Obj>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${ns}/configmaps/demo-settings`);
      expect(cm.data).toEqual({ a: '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('kubectl works with kubeconfigPath', async (ctx) => {
    const kubectl = hasKubectl();
    if (!kubectl) return ctx.skip();
    // Asynchronously: the local API server runs in this very process, so a synchronous child
    // (execFileSync) would block the event loop that has to answer kubectl.
    const { stdout } = await promisify(execFile)(
      kubectl,
      ['--kubeconfig', cp.kubeconfigPath, '--request-timeout=10s', 'get', 'namespace', 'default', '-o', 'name'],
      {
        encoding: 'utf8',
      },
    );
    expect(stdout.trim()).toBe('namespace/default');
  }, 30_000);

  it.runIf(process.env.USE_EXISTING_CLUSTER === 'true')(
    'existing: stop() deletes the namespaces createTestNamespace made, and only those',
    async () => {
      const ns = await createTestNamespace(cp, 'envtest-cleanup-');
      await cp.stop();
      stopped = true;
      await eventually(async () => {
        const res = await apiRequest(cp.kubeConfig, 'GET', `/api/v1/namespaces/${ns}`);
        expect(
          res.status === 404 || (res.body as { status?: { phase?: string } }).status?.phase === 'Terminating',
        ).toBe(true);
      });
      expect((await apiRequest(cp.kubeConfig, 'GET', '/api/v1/namespaces/default')).status).toBe(200);
    },
  );

  it.runIf(process.env.USE_EXISTING_CLUSTER !== 'true')(
    'stop() shuts the server down and removes its temp dir',
    async () => {
      await cp.stop();
      stopped = true;
      expect(existsSync(dirname(cp.kubeconfigPath))).toBe(false);
      await expect(apiRequest(cp.kubeConfig, 'GET', '/api/v1/namespaces/default')).rejects.toThrow();
    },
    30_000,
  );
});
