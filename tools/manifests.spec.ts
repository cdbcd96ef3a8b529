import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type, defineKind, type PolicyRule } from '@kubeloop/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  appsWithManifests,
  loadAppManifests,
  renderManifests,
  staleFiles,
  WORKSPACE_ROOT,
  writeManifests,
  type AppManifests,
} from './generate-manifests.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kubeloop-manifests-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const Gadget = defineKind({
  group: 'demo.kubeloop.dev',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  scope: 'Namespaced',
  spec: Type.Object({ size: Type.Integer({ minimum: 1 }) }),
});
const Gizmo = defineKind({
  group: 'demo.kubeloop.dev',
  version: 'v1',
  kind: 'Gizmo',
  plural: 'gizmos',
  scope: 'Cluster',
  spec: Type.Object({ name: Type.String() }),
});
const controller = (rules: PolicyRule[]) => ({ permissions: () => rules });
const demo: AppManifests = {
  app: 'demo',
  kinds: [Gadget, Gizmo],
  controllers: [
    controller([{ apiGroups: ['demo.kubeloop.dev'], resources: ['gadgets'], verbs: ['get', 'list', 'watch'] }]),
    controller([
      { apiGroups: ['demo.kubeloop.dev'], resources: ['gadgets'], verbs: ['update', 'patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]),
  ],
  extraRules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
};

describe('renderManifests', () => {
  it('renders one CRD per kind at deploy/<app>/crd/<group>_<plural>.yaml and the manager ClusterRole', () => {
    const files = renderManifests(demo);
    expect([...files.keys()]).toEqual([
      'deploy/demo/crd/demo.kubeloop.dev_gadgets.yaml',
      'deploy/demo/crd/demo.kubeloop.dev_gizmos.yaml',
      'deploy/demo/rbac/role.yaml',
    ]);
    const crd = parse(files.get('deploy/demo/crd/demo.kubeloop.dev_gizmos.yaml')!);
    expect(crd).toMatchObject({
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.demo.kubeloop.dev' },
      spec: { scope: 'Cluster' },
    });
    expect(files.get('deploy/demo/crd/demo.kubeloop.dev_gadgets.yaml')).toMatch(/^# .*generated.*demo:manifests/i);
  });

  it('merges every controller’s permissions and the extra rules into <app>-manager-role', () => {
    const role = parse(renderManifests(demo).get('deploy/demo/rbac/role.yaml')!);
    expect(role.kind).toBe('ClusterRole');
    expect(role.metadata.name).toBe('demo-manager-role');
    const verbsOf = (group: string, resource: string) =>
      role.rules.find((r: PolicyRule) => r.apiGroups?.includes(group) && r.resources?.includes(resource))?.verbs;
    expect(verbsOf('demo.kubeloop.dev', 'gadgets')).toEqual(['get', 'list', 'patch', 'update', 'watch']);
    expect(verbsOf('', 'events')).toEqual(['create', 'patch']);
    expect(verbsOf('coordination.k8s.io', 'leases')).toEqual(['create', 'get', 'update']);
  });

  it('is deterministic: controller order does not change the output', () => {
    const reversed = { ...demo, controllers: [...demo.controllers].reverse() };
    expect(renderManifests(reversed)).toEqual(renderManifests(demo));
  });
});

describe('renderManifests: webhooks, versions, namespace-scoped managers', () => {
  const GadgetV2 = defineKind({ ...Gadget.definition, version: 'v2' });
  const withWebhooks: AppManifests = {
    ...demo,
    kinds: [Gadget, GadgetV2, Gizmo],
    webhooks: (server) => {
      server.defaulter(Gadget, () => {});
      server.validator(Gizmo, { create: () => [] });
      server.converter(Gadget, [{ kind: GadgetV2, toHub: (o) => o, fromHub: (o) => o }]);
    },
  };

  it('renders the admission webhook configurations from the registrations, through <app>-webhook-service', () => {
    const docs = parseAllDocuments(renderManifests(withWebhooks).get('deploy/demo/webhook/manifests.yaml')!).map((d) =>
      d.toJS(),
    );
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'MutatingWebhookConfiguration/demo-mutating-webhook-configuration',
      'ValidatingWebhookConfiguration/demo-validating-webhook-configuration',
    ]);
    expect(docs[0].metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'demo-system/demo-serving-cert' });
    expect(docs[0].webhooks[0]).toMatchObject({
      name: 'mgadget-v1.kb.io',
      clientConfig: {
        service: {
          name: 'demo-webhook-service',
          namespace: 'demo-system',
          path: '/mutate-demo-kubeloop-dev-v1-gadget',
        },
      },
      failurePolicy: 'Fail',
      sideEffects: 'None',
    });
    expect(docs[1].webhooks[0]).toMatchObject({ name: 'vgizmo-v1.kb.io', rules: [{ operations: ['CREATE'] }] });
  });

  it('serves the versions of a kind from one CRD, stored in the conversion hub, converted at /convert', () => {
    const crd = parse(renderManifests(withWebhooks).get('deploy/demo/crd/demo.kubeloop.dev_gadgets.yaml')!);
    expect(crd.spec.versions.map((v: { name: string; storage: boolean }) => [v.name, v.storage])).toEqual([
      ['v1', true],
      ['v2', false],
    ]);
    expect(crd.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { name: 'demo-webhook-service', namespace: 'demo-system', path: '/convert' } },
        conversionReviewVersions: ['v1'],
      },
    });
    expect(() => renderManifests({ ...demo, kinds: [Gadget, GadgetV2] })).toThrow(/no conversion webhook/);
  });

  it('no webhooks: no webhook file; namespaced: a Role in the manager namespace', () => {
    expect(renderManifests(demo).has('deploy/demo/webhook/manifests.yaml')).toBe(false);
    const role = parse(renderManifests({ ...demo, namespaced: true }).get('deploy/demo/rbac/role.yaml')!);
    expect(role).toMatchObject({ kind: 'Role', metadata: { name: 'demo-manager-role', namespace: 'demo-system' } });
  });
});

describe('staleFiles / writeManifests', () => {
  it('reports missing, edited and no-longer-generated files, and writing fixes them', () => {
    const root = mkdtempSync(join(tmp, 'root-'));
    const files = renderManifests(demo);
    expect(staleFiles('demo', files, root).map((s) => s.why)).toEqual(['missing', 'missing', 'missing']);

    expect(writeManifests(files, root)).toHaveLength(3);
    expect(staleFiles('demo', files, root)).toEqual([]);
    expect(writeManifests(files, root)).toEqual([]); // unchanged files are not rewritten

    const gadgets = join(root, 'deploy/demo/crd/demo.kubeloop.dev_gadgets.yaml');
    writeFileSync(gadgets, readFileSync(gadgets, 'utf8').replace('minimum: 1', 'minimum: 2'));
    writeFileSync(join(root, 'deploy/demo/crd/demo.kubeloop.dev_oldthings.yaml'), 'old');
    writeFileSync(join(root, 'deploy/demo/crd/kustomization.yaml'), 'resources: []\n'); // hand-written: ignored
    expect(staleFiles('demo', files, root)).toEqual([
      { path: 'deploy/demo/crd/demo.kubeloop.dev_gadgets.yaml', why: 'differs' },
      { path: 'deploy/demo/crd/demo.kubeloop.dev_oldthings.yaml', why: 'not generated' },
    ]);
  });
});

describe('loadAppManifests', () => {
  const appRoot = (name: string, source: string) => {
    const root = mkdtempSync(join(tmp, 'apps-'));
    mkdirSync(join(root, 'apps', name, 'src'), { recursive: true });
    writeFileSync(join(root, 'apps', name, 'src', 'manifests.ts'), source);
    return root;
  };

  it('accepts `export const manifests = {...}`, named exports, or a default export', async () => {
    const r1 = appRoot(
      'demo',
      `export const manifests = { app: 'demo', kinds: [], controllers: [{ permissions: () => [] }] };`,
    );
    expect((await loadAppManifests('demo', r1)).controllers).toHaveLength(1);
    const r2 = appRoot('demo', `export const app = 'demo';\nexport const kinds = [];\nexport const controllers = [];`);
    expect((await loadAppManifests('demo', r2)).app).toBe('demo');
    const r3 = appRoot('demo', `export default { app: 'demo', kinds: [], controllers: [] };`);
    expect((await loadAppManifests('demo', r3)).kinds).toEqual([]);
  });

  it('rejects a missing file, a wrong app name and controllers without permissions()', async () => {
    await expect(loadAppManifests('nothing', tmp)).rejects.toMatchObject({ code: 'NoManifests' });
    const wrong = appRoot('demo', `export const manifests = { app: 'other', kinds: [], controllers: [] };`);
    await expect(loadAppManifests('demo', wrong)).rejects.toMatchObject({
      code: 'BadManifests',
      message: expect.stringContaining('"other"'),
    });
    const noPerms = appRoot('demo', `export const manifests = { app: 'demo', kinds: [], controllers: [{}] };`);
    await expect(loadAppManifests('demo', noPerms)).rejects.toMatchObject({
      code: 'BadManifests',
      message: expect.stringContaining('permissions()'),
    });
  });
});

describe('committed manifests', () => {
  const apps = appsWithManifests();
  it('finds the apps that follow the convention', () => {
    expect(apps).toContain('math');
  });
  it.each(apps)('%s: committed CRDs and role equal what `manifests` generates', async (app) => {
    const stale = staleFiles(app, renderManifests(await loadAppManifests(app)));
    expect(stale, `run \`npx nx run ${app}:manifests\` and commit deploy/${app}/`).toEqual([]);
  });
});

describe('the CLI', () => {
  it('prints usage and exits 2 without an app', () => {
    const r = spawnSync(process.execPath, ['--conditions=@kubeloop/source', '--import', 'tsx', 'tools/manifests.ts'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: tsx tools/manifests.ts <app> [--check]');
  }, 120_000); // a tsx process that loads every app's kinds: seconds, more on a busy machine
});
