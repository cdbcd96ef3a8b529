import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodes, OPERATOR_GLOB } from './operator-targets.ts';

const context = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };

describe('inferred operator targets', () => {
  it("recognises operator apps by src/manifests.ts and gives each kubebuilder's targets", async () => {
    expect(OPERATOR_GLOB).toBe('apps/*/src/manifests.ts');
    const results = await createNodes[1](
      ['apps/math/src/manifests.ts', 'apps/guestbook/src/manifests.ts'],
      {},
      context,
    );
    expect(results.map(([file]) => file)).toEqual(['apps/math/src/manifests.ts', 'apps/guestbook/src/manifests.ts']);
    const guestbook = results[1]![1].projects!['apps/guestbook']!.targets!;
    expect(Object.keys(guestbook).sort()).toEqual([
      'build-installer',
      'deploy',
      'docker-build',
      'install',
      'manifests',
      'serve',
      'undeploy',
      'uninstall',
    ]);
    expect(guestbook.manifests).toMatchObject({
      command: 'tsx --conditions=@kubeloop/source tools/manifests.ts guestbook',
      options: { cwd: '{workspaceRoot}' },
      cache: true,
    });
    expect(guestbook.install!.command).toBe('tsx --conditions=@kubeloop/source tools/deploy.ts install guestbook');
    expect(guestbook.serve).toMatchObject({
      command:
        'node --import tsx --conditions=@kubeloop/source tools/serve.ts apps/guestbook/src/main.ts --local-webhooks --metrics-bind-address=0 --health-probe-bind-address=:0',
      continuous: true,
    });
    expect(guestbook['docker-build']!.command).toBe(
      'tsx --conditions=@kubeloop/source tools/deploy.ts docker-build guestbook',
    );
    expect(guestbook['build-installer']!.command).toBe(
      'tsx --conditions=@kubeloop/source tools/deploy.ts build-installer guestbook',
    );
  });

  it('adds an e2e target when the app has an e2e suite (e2e/vitest.config.ts)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-plugin-e2e-'));
    mkdirSync(join(root, 'apps/with-e2e/e2e'), { recursive: true });
    writeFileSync(join(root, 'apps/with-e2e/e2e/vitest.config.ts'), '');
    const results = await createNodes[1](
      ['apps/with-e2e/src/manifests.ts', 'apps/without/src/manifests.ts'],
      {},
      { ...context, workspaceRoot: root },
    );
    expect(results[0]![1].projects!['apps/with-e2e']!.targets!['e2e']).toMatchObject({
      command: 'vitest run --config apps/with-e2e/e2e/vitest.config.ts',
      cache: false,
    });
    expect(results[1]![1].projects!['apps/without']!.targets!['e2e']).toBeUndefined();
  });

  it("caches manifests on the app's and its dependencies' sources, restoring only generated files", async () => {
    const [, result] = (await createNodes[1](['apps/demo/src/manifests.ts'], {}, context))[0]!;
    const manifests = result.projects!['apps/demo']!.targets!.manifests!;
    expect(manifests.inputs).toEqual(expect.arrayContaining(['{projectRoot}/src/**/*.ts', '^production']));
    expect(manifests.inputs).toContain('!{projectRoot}/src/**/*.spec.ts');
    // Never the hand-written kustomization.yaml beside the CRDs: a cache restore would revert edits to it.
    expect(manifests.outputs).toEqual([
      '{workspaceRoot}/deploy/demo/crd/*_*.yaml',
      '{workspaceRoot}/deploy/demo/rbac/role.yaml',
      '{workspaceRoot}/deploy/demo/webhook/manifests.yaml',
    ]);
  });

  it('never caches what acts on a cluster, and regenerates manifests before anything reaches one', async () => {
    const [, result] = (await createNodes[1](['apps/demo/src/manifests.ts'], {}, context))[0]!;
    const targets = result.projects!['apps/demo']!.targets!;
    for (const name of ['install', 'uninstall', 'deploy', 'undeploy', 'serve', 'docker-build', 'build-installer'])
      expect(targets[name]!.cache, name).toBe(false);
    for (const name of ['install', 'deploy', 'serve', 'build-installer'])
      expect(targets[name]!.dependsOn, name).toEqual(['manifests']);
    expect(targets['build-installer']!.outputs).toEqual(['{workspaceRoot}/dist/demo/install.yaml']);
  });
});
