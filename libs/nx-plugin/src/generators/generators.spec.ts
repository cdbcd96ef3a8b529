import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiGenerator } from './api/api.ts';
import { operatorGenerator } from './operator/operator.ts';
import { webhookGenerator } from './webhook/webhook.ts';

let tree: Tree;
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './libs/runtime' }] }));
});

const text = (path: string) => tree.read(path, 'utf-8') ?? `(missing ${path})`;
const yamlOf = (path: string) => parse(text(path));
const skipFormat = true;

describe('operator generator', () => {
  it('scaffolds apps/<name> and the deploy/<name> kustomize tree', async () => {
    await operatorGenerator(tree, { name: 'redis-cluster', domain: 'kubebuilder.io', skipFormat });
    for (const f of [
      'package.json',
      'README.md',
      'vitest.config.ts',
      'tsconfig.json',
      'src/main.ts',
      'src/setup.ts',
      'src/manifests.ts',
      'test/harness.ts',
    ])
      expect(tree.exists(`apps/redis-cluster/${f}`), f).toBe(true);
    const pkg = readJson(tree, 'apps/redis-cluster/package.json');
    expect(pkg).toMatchObject({
      name: '@kubeloop/redis-cluster',
      nx: { name: 'redis-cluster' },
      kubeloop: { domain: 'kubebuilder.io', namespaced: false },
      dependencies: { '@kubeloop/runtime': '*', '@kubeloop/reconcile': '*' },
      devDependencies: { '@kubeloop/envtest': '*' },
    });
    expect(text('apps/redis-cluster/src/setup.ts')).toContain('export function setupRedisCluster(mgr: Manager)');
    expect(text('apps/redis-cluster/src/main.ts')).toContain(
      'await runManager(app, setupRedisCluster, { namespaced });',
    );
    expect(text('apps/redis-cluster/src/manifests.ts')).toContain("export const app = 'redis-cluster';");
    expect(yamlOf('deploy/redis-cluster/kustomization.yaml')).toMatchObject({
      namespace: 'redis-cluster-system',
      resources: ['namespace.yaml', 'crd', 'rbac', 'manager'],
    });
    expect(yamlOf('deploy/redis-cluster/rbac/role_binding.yaml')).toMatchObject({
      kind: 'ClusterRoleBinding',
      roleRef: { kind: 'ClusterRole', name: 'redis-cluster-manager-role' },
    });
    expect(readJson(tree, 'tsconfig.json').references).toContainEqual({ path: './apps/redis-cluster' });
    // The manager's args are only flags: the workspace Dockerfile's entry point starts dist/main.js.
    const manager = yamlOf('deploy/redis-cluster/manager/manager.yaml').spec.template.spec.containers[0];
    expect(manager.command).toBeUndefined();
    expect(manager.args.every((a: string) => a.startsWith('--'))).toBe(true);
    // An e2e suite (nx run redis-cluster:e2e), typechecked with the tests, never in npm test.
    expect(text('apps/redis-cluster/e2e/vitest.config.ts')).toContain("include: ['e2e/**/*.spec.ts']");
    // It is @kubeloop/envtest's operator suite called with the app's specifics, not a copy of it.
    const e2e = text('apps/redis-cluster/e2e/redis-cluster.spec.ts');
    expect(e2e).toContain('describeOperatorE2E({');
    expect(e2e).toContain("app: 'redis-cluster',");
    expect(e2e).toContain('namespaced: false,');
    expect(e2e.split('\n').length).toBeLessThan(25);
    // So is the test harness: envtest's operatorTestHarness starting runtime's startLocalManager.
    const harness = text('apps/redis-cluster/test/harness.ts');
    expect(harness).toContain('export const startRedisCluster = operatorTestHarness({');
    expect(harness).toContain('setup: setupRedisCluster,');
    expect(harness).toContain('namespace: namespaced ? namespace : undefined,');
    expect(harness).toContain('export type RedisClusterEnv = Awaited<ReturnType<typeof startRedisCluster>>;');
    expect(readJson(tree, 'apps/redis-cluster/tsconfig.spec.json').include).toContain('e2e/**/*.spec.ts');
    expect(text('apps/redis-cluster/vitest.config.ts')).not.toContain('e2e');
  });

  it("--namespaced: WATCH_NAMESPACE from the pod's namespace, Role + RoleBinding there", async () => {
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', namespaced: true, skipFormat });
    expect(text('apps/guestbook/src/manifests.ts')).toContain('export const namespaced = true;');
    const deployment = yamlOf('deploy/guestbook/manager/manager.yaml');
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({
      name: 'WATCH_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
    expect(yamlOf('deploy/guestbook/rbac/role_binding.yaml')).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'guestbook-system' },
      roleRef: { kind: 'Role', name: 'guestbook-manager-role' },
    });
    const role = parse(text('deploy/guestbook/rbac/role.yaml'));
    expect(role).toMatchObject({
      kind: 'Role',
      metadata: { name: 'guestbook-manager-role', namespace: 'guestbook-system' },
    });
    // Its e2e suite puts the samples where the manager watches: its own namespace.
    expect(text('apps/guestbook/e2e/guestbook.spec.ts')).toContain('namespaced: true,');
  });

  it('never overwrites a file that differs: a clear error naming it, --force to replace', async () => {
    tree.write('apps/guestbook/src/setup.ts', '// my own setup\n');
    await expect(operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', skipFormat })).rejects.toThrow(
      'refusing to overwrite apps/guestbook/src/setup.ts: it exists with other content (your code?). Move it away, or run again with --force to replace it.',
    );
    expect(text('apps/guestbook/src/setup.ts')).toBe('// my own setup\n');
    expect(tree.exists('apps/guestbook/src/main.ts')).toBe(false); // nothing half-written
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', force: true, skipFormat });
    expect(text('apps/guestbook/src/setup.ts')).toContain('setupGuestbook');
  });

  it('running it again over its own output changes nothing', async () => {
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', skipFormat });
    const before = tree.listChanges().map((c) => [c.path, c.content?.toString()]);
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', skipFormat });
    expect(tree.listChanges().map((c) => [c.path, c.content?.toString()])).toEqual(before);
  });

  it('refuses a name that cannot be a namespace or a domain without a dot', async () => {
    await expect(operatorGenerator(tree, { name: 'Guest_Book', domain: 'my.domain' })).rejects.toThrow(
      /lowercase DNS label/,
    );
    await expect(operatorGenerator(tree, { name: 'guestbook', domain: 'localhost' })).rejects.toThrow(/with a dot/);
  });
});

describe('api generator', () => {
  beforeEach(async () => {
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', namespaced: true, skipFormat });
  });

  it('adds the kind (group <group>.<domain>), controller, test and sample, wired into manifests.ts and the kustomizations', async () => {
    await apiGenerator(tree, {
      project: 'guestbook',
      group: 'webapp',
      apiVersion: 'v1',
      kind: 'Guestbook',
      skipFormat,
    });
    const api = text('apps/guestbook/src/api/v1/guestbook.ts');
    expect(api).toContain("group: 'webapp.my.domain',");
    expect(api).toContain("plural: 'guestbooks',");
    expect(api).toContain("scope: 'Namespaced',");
    expect(api).toContain('conditions: Type.Optional(Conditions(');
    expect(text('apps/guestbook/src/controllers/guestbook.controller.ts')).toContain(
      "export const guestbookController = controllerFor(Guestbook).named('guestbook').complete(reconcileGuestbook);",
    );
    expect(tree.exists('apps/guestbook/test/guestbook.spec.ts')).toBe(true);
    expect(yamlOf('deploy/guestbook/samples/webapp_v1_guestbook.yaml')).toMatchObject({
      apiVersion: 'webapp.my.domain/v1',
      kind: 'Guestbook',
      metadata: { name: 'guestbook-sample' },
    });
    const manifests = text('apps/guestbook/src/manifests.ts');
    expect(manifests).toContain("import { Guestbook } from './api/v1/guestbook.ts';");
    expect(manifests).toContain("import { guestbookController } from './controllers/guestbook.controller.ts';");
    expect(manifests).toMatch(/export const kinds = \[\n {2}Guestbook,\n {2}\/\/ \+kubeloop:scaffold:kinds\n\];/);
    expect(manifests).toMatch(
      /export const controllers = \[\n {2}guestbookController,\n {2}\/\/ \+kubeloop:scaffold:controllers\n\];/,
    );
    expect(yamlOf('deploy/guestbook/crd/kustomization.yaml').resources).toEqual(['webapp.my.domain_guestbooks.yaml']);
    // kubebuilder's config/samples/<group>_<version>_<kind>.yaml: the short group, not <group>.<domain>.
    expect(tree.exists('deploy/guestbook/samples/webapp.my.domain_v1_guestbook.yaml')).toBe(false);
    expect(yamlOf('deploy/guestbook/samples/kustomization.yaml').resources).toEqual(['webapp_v1_guestbook.yaml']);
  });

  it('a kind in a group kube-apiserver protects (*.k8s.io) carries the apiApproval its CRD needs; others do not', async () => {
    await operatorGenerator(tree, { name: 'sample-controller', domain: 'k8s.io', skipFormat });
    await apiGenerator(tree, {
      project: 'sample-controller',
      group: 'samplecontroller',
      apiVersion: 'v1alpha1',
      kind: 'Foo',
      skipFormat,
    });
    const foo = text('apps/sample-controller/src/api/v1alpha1/foo.ts');
    expect(foo).toContain(
      "import { Conditions, defineKind, ObservedGeneration, Type, UNAPPROVED_EXPERIMENTAL, type ObjectOf } from '@kubeloop/runtime';",
    );
    expect(foo).toMatch(
      /description: 'Foo is the Schema for the foos API.',\n {2}\/\/ samplecontroller.k8s.io is a group/,
    );
    expect(foo).toContain('  apiApproval: UNAPPROVED_EXPERIMENTAL,\n  // The desired state.');
    await apiGenerator(tree, {
      project: 'guestbook',
      group: 'webapp',
      apiVersion: 'v1',
      kind: 'Guestbook',
      skipFormat,
    });
    const guestbook = text('apps/guestbook/src/api/v1/guestbook.ts');
    expect(guestbook).not.toContain('apiApproval');
    expect(guestbook).toContain(
      "import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';",
    );
  });

  it('a second kind is added beside the first; the same kind twice adds nothing twice', async () => {
    const opts = { project: 'guestbook', group: 'webapp', apiVersion: 'v1', kind: 'Guestbook', skipFormat };
    await apiGenerator(tree, opts);
    await apiGenerator(tree, opts);
    await apiGenerator(tree, { ...opts, kind: 'Address', namespaced: false, controller: false });
    const manifests = text('apps/guestbook/src/manifests.ts');
    expect(manifests.match(/import \{ Guestbook \}/g)).toHaveLength(1);
    expect(manifests).toMatch(/Guestbook,\n {2}Address,\n {2}\/\/ \+kubeloop:scaffold:kinds/);
    expect(text('apps/guestbook/src/api/v1/address.ts')).toContain("scope: 'Cluster',");
    expect(tree.exists('apps/guestbook/src/controllers/address.controller.ts')).toBe(false);
    expect(yamlOf('deploy/guestbook/crd/kustomization.yaml').resources).toEqual([
      'webapp.my.domain_guestbooks.yaml',
      'webapp.my.domain_addresses.yaml',
    ]);
  });

  it('a second version of a kind comes in under a versioned name; its CRD stays one file', async () => {
    const opts = { project: 'guestbook', group: 'webapp', apiVersion: 'v1', kind: 'Guestbook', skipFormat };
    await apiGenerator(tree, opts);
    await apiGenerator(tree, { ...opts, apiVersion: 'v2', controller: false });
    await apiGenerator(tree, { ...opts, apiVersion: 'v2', controller: false });
    const manifests = text('apps/guestbook/src/manifests.ts');
    expect(manifests).toContain("import { Guestbook } from './api/v1/guestbook.ts';");
    expect(manifests.match(/import \{ Guestbook as GuestbookV2 \} from '\.\/api\/v2\/guestbook\.ts';/g)).toHaveLength(
      1,
    );
    expect(manifests).toMatch(/Guestbook,\n {2}GuestbookV2,\n {2}\/\/ \+kubeloop:scaffold:kinds/);
    expect(yamlOf('deploy/guestbook/crd/kustomization.yaml').resources).toEqual(['webapp.my.domain_guestbooks.yaml']);
    // The test harness installs the generated CRDs (all versions, conversion) rather than one CRD per kind value.
    const harness = text('apps/guestbook/test/harness.ts');
    expect(harness).toContain("crdPaths: [join(import.meta.dirname, '../../../deploy/guestbook/crd')],");
    expect(harness).not.toContain('crdFor(');
  });

  it('keeps a user-edited kind file unless --force', async () => {
    const opts = { project: 'guestbook', group: 'webapp', apiVersion: 'v1', kind: 'Guestbook', skipFormat };
    await apiGenerator(tree, opts);
    tree.write('apps/guestbook/src/api/v1/guestbook.ts', '// size, configMapName, alias\n');
    await expect(apiGenerator(tree, opts)).rejects.toThrow(
      /refusing to overwrite apps\/guestbook\/src\/api\/v1\/guestbook.ts/,
    );
    expect(text('apps/guestbook/src/api/v1/guestbook.ts')).toBe('// size, configMapName, alias\n');
  });

  it('says what to do when the app is not an operator or a marker is gone', async () => {
    await expect(
      apiGenerator(tree, { project: 'nope', group: 'webapp', apiVersion: 'v1', kind: 'Guestbook' }),
    ).rejects.toThrow(/apps\/nope\/src\/manifests.ts does not exist; create the operator first/);
    tree.write(
      'apps/guestbook/src/manifests.ts',
      text('apps/guestbook/src/manifests.ts').replace('// +kubeloop:scaffold:kinds', ''),
    );
    await expect(
      apiGenerator(tree, { project: 'guestbook', group: 'webapp', apiVersion: 'v1', kind: 'Guestbook', skipFormat }),
    ).rejects.toThrow(/has no "\/\/ \+kubeloop:scaffold:kinds" line[\s\S]*Guestbook,/);
    await expect(
      apiGenerator(tree, { project: 'guestbook', group: 'webapp', apiVersion: '1', kind: 'Guestbook' }),
    ).rejects.toThrow(/--api-version 1: a Kubernetes version such as v1/);
    await expect(
      apiGenerator(tree, { project: 'guestbook', group: 'webapp', apiVersion: 'v1', kind: 'guestbook' }),
    ).rejects.toThrow(/CamelCase/);
  });

  it('pluralises as kubebuilder does', async () => {
    for (const [kind, plural] of [
      ['RedisCluster', 'redisclusters'],
      ['Policy', 'policies'],
      ['Box', 'boxes'],
      ['Gateway', 'gateways'],
    ]) {
      await apiGenerator(tree, {
        project: 'guestbook',
        group: 'g',
        apiVersion: 'v1',
        kind: kind!,
        controller: false,
        skipFormat,
      });
      expect(
        text(`apps/guestbook/src/api/v1/${kind === 'RedisCluster' ? 'redis-cluster' : kind!.toLowerCase()}.ts`),
      ).toContain(`plural: '${plural}',`);
    }
  });
});

describe('webhook generator', () => {
  beforeEach(async () => {
    await operatorGenerator(tree, { name: 'redis-cluster', domain: 'kubebuilder.io', skipFormat });
    await apiGenerator(tree, {
      project: 'redis-cluster',
      group: 'bytewang123-redis',
      apiVersion: 'v1',
      kind: 'RedisCluster',
      skipFormat,
    });
  });

  it("scaffolds accepting stubs at kubebuilder's paths, wired into manifests.ts and the deploy tree", async () => {
    await webhookGenerator(tree, {
      project: 'redis-cluster',
      apiVersion: 'v1',
      kind: 'RedisCluster',
      defaulting: true,
      validation: true,
      skipFormat,
    });
    const webhook = text('apps/redis-cluster/src/webhooks/redis-cluster.webhook.ts');
    expect(webhook).toContain('export function defaultRedisCluster(obj: RedisClusterObject): void');
    expect(webhook).toContain('export function validateRedisClusterCreate(obj: RedisClusterObject): FieldError[]');
    expect(webhook).toContain(
      '/mutate-bytewang123-redis-kubebuilder-io-v1-rediscluster (mredisclusters-v1.kb.io)'.replace(
        'mredisclusters',
        'mrediscluster',
      ),
    );
    expect(webhook).not.toContain('converter(');
    expect(text('apps/redis-cluster/src/webhooks/redis-cluster.webhook.spec.ts')).toContain(
      "['validating', '/validate-bytewang123-redis-kubebuilder-io-v1-rediscluster'],",
    );
    const manifests = text('apps/redis-cluster/src/manifests.ts');
    expect(manifests).toContain("import { setupRedisClusterWebhooks } from './webhooks/redis-cluster.webhook.ts';");
    expect(manifests).toMatch(/\{\n {2}setupRedisClusterWebhooks\(server\);\n {2}\/\/ \+kubeloop:scaffold:webhooks/);
    const root = yamlOf('deploy/redis-cluster/kustomization.yaml');
    expect(root.resources).toContain('webhook');
    expect(root.patches).toEqual([{ path: 'manager_webhook_patch.yaml' }]);
    expect(yamlOf('deploy/redis-cluster/webhook/kustomization.yaml').resources).toEqual([
      'service.yaml',
      'manifests.yaml',
    ]);
    expect(yamlOf('deploy/redis-cluster/webhook/service.yaml').metadata.name).toBe('redis-cluster-webhook-service');
    expect(text('deploy/redis-cluster/cert-manager/certificate.yaml')).toContain(
      'secretName: redis-cluster-webhook-server-cert',
    );
    expect(text('deploy/redis-cluster/kustomization.yaml')).toContain('# The whole redis-cluster operator'); // comments kept
  });

  it('finds the app from the kind when --project is left out', async () => {
    await webhookGenerator(tree, { apiVersion: 'v1', kind: 'RedisCluster', validation: true, skipFormat });
    expect(tree.exists('apps/redis-cluster/src/webhooks/redis-cluster.webhook.ts')).toBe(true);
    await expect(webhookGenerator(tree, { apiVersion: 'v2', kind: 'RedisCluster', validation: true })).rejects.toThrow(
      /no app has src\/api\/v2\/redis-cluster.ts/,
    );
  });

  it('--conversion registers the kind as the hub at /convert', async () => {
    await webhookGenerator(tree, {
      project: 'redis-cluster',
      apiVersion: 'v1',
      kind: 'RedisCluster',
      conversion: true,
      skipFormat,
    });
    expect(text('apps/redis-cluster/src/webhooks/redis-cluster.webhook.ts')).toContain(
      'server.converter(RedisCluster, [',
    );
    // No admission webhook: no manifests.yaml for the webhook kustomization to list.
    expect(yamlOf('deploy/redis-cluster/webhook/kustomization.yaml').resources).toEqual(['service.yaml']);
  });

  it('writes code, not HTML: quotes in templated expressions are not entity-escaped', async () => {
    await apiGenerator(tree, {
      project: 'redis-cluster',
      group: 'ops',
      apiVersion: 'v1',
      kind: 'Backup',
      namespaced: false,
      skipFormat,
    });
    for (const kind of ['RedisCluster', 'Backup'])
      await webhookGenerator(tree, {
        project: 'redis-cluster',
        apiVersion: 'v1',
        kind,
        defaulting: true,
        validation: true,
        skipFormat,
      });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const c of tree.children(dir)) {
        if (tree.isFile(`${dir}/${c}`)) files.push(`${dir}/${c}`);
        else walk(`${dir}/${c}`);
      }
    };
    walk('apps/redis-cluster');
    for (const f of files) expect(text(f), f).not.toMatch(/&(#\d+|quot|amp|lt|gt|apos);/);
    expect(text('apps/redis-cluster/src/webhooks/redis-cluster.webhook.spec.ts')).toContain(
      "metadata: { name: 'rediscluster-sample', namespace: 'default' },",
    );
    expect(text('apps/redis-cluster/test/backup.spec.ts')).toContain(".get('', created.metadata.name!)");
  });

  it('asks for at least one kind of webhook', async () => {
    await expect(
      webhookGenerator(tree, { project: 'redis-cluster', apiVersion: 'v1', kind: 'RedisCluster' }),
    ).rejects.toThrow(/--defaulting, --validation and\/or --conversion/);
  });
});

describe('templates', () => {
  it('render code verbatim (no HTML escaping of quotes or angle brackets)', async () => {
    await operatorGenerator(tree, { name: 'guestbook', domain: 'my.domain', namespaced: true, skipFormat });
    await apiGenerator(tree, {
      project: 'guestbook',
      group: 'webapp',
      apiVersion: 'v1',
      kind: 'Guestbook',
      skipFormat,
    });
    await webhookGenerator(tree, {
      project: 'guestbook',
      apiVersion: 'v1',
      kind: 'Guestbook',
      validation: true,
      skipFormat,
    });
    const all = tree
      .listChanges()
      .filter((c) => c.content)
      .map((c) => c.content!.toString());
    for (const content of all) expect(content).not.toMatch(/&#39;|&lt;|&gt;|&quot;|&amp;/);
    expect(text('apps/guestbook/src/webhooks/guestbook.webhook.spec.ts')).toContain(
      "metadata: { name: 'guestbook-sample', namespace: 'default' },",
    );
  });
});
