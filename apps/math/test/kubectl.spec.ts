import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, runCommand, runKubectl, startControlPlane, type ControlPlane } from '@kubeloop/envtest';

const ROOT = resolve(import.meta.dirname, '../../..');
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;

/**
 * What a user types: `nx run math:install` (tools/deploy.ts → kubectl apply -k deploy/math/crd),
 * then `kubectl apply -k deploy/math/samples`, then `nx run math:uninstall` — against whatever
 * control plane envtest gives (local-apiserver, real binaries, or an existing cluster).
 */
describe.skipIf(!hasKubectl)('install, samples, uninstall with kubectl', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  }, 120_000);
  afterAll(async () => {
    await cp?.stop();
  });

  // runCommand is asynchronous on purpose: the local API server runs in this process, so a
  // synchronous child process would block the very server it talks to.
  const deploy = (...args: string[]) =>
    runCommand(
      process.execPath,
      [
        '--conditions=@kubeloop/source',
        '--import',
        'tsx',
        'tools/deploy.ts',
        ...args,
        '--kubeconfig',
        cp.kubeconfigPath,
        '--timeout',
        '60s',
      ],
      {
        cwd: ROOT,
        timeout: 120_000,
      },
    );
  const kubectl = (...args: string[]) => runKubectl(cp, args, { cwd: ROOT, timeout: 120_000 });

  it('install applies the CRDs and waits until they are Established; the samples then apply cleanly', async () => {
    const install = await deploy('install', 'math');
    expect(install.stderr + install.stdout).toContain('› kubectl');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('install math: done');

    const crds = await kubectl('get', 'crd', '-o', 'name');
    expect(
      crds.stdout
        .split('\n')
        .filter((l) => l.includes('math.potsbo.k8s.wantedly.com'))
        .sort(),
    ).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/fermats.math.potsbo.k8s.wantedly.com',
      'customresourcedefinition.apiextensions.k8s.io/numbers.math.potsbo.k8s.wantedly.com',
      'customresourcedefinition.apiextensions.k8s.io/tuples.math.potsbo.k8s.wantedly.com',
    ]);

    const ns = await createTestNamespace(cp, 'math-samples-');
    const dry = await kubectl('apply', '-n', ns, '--dry-run=server', '-k', join(ROOT, 'deploy/math/samples'));
    expect(dry.code, dry.stderr).toBe(0);
    const applied = await kubectl('apply', '-n', ns, '-k', join(ROOT, 'deploy/math/samples'));
    expect(applied.code, applied.stderr).toBe(0);
    const got = await kubectl('get', '-n', ns, 'math', '-o', 'name');
    expect(got.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'fermat.math.potsbo.k8s.wantedly.com/fermat-13',
      'fermat.math.potsbo.k8s.wantedly.com/fermat-5',
      'fermat.math.potsbo.k8s.wantedly.com/fermat-7',
      'number.math.potsbo.k8s.wantedly.com/number-sample',
      'tuple.math.potsbo.k8s.wantedly.com/tuple-sample',
    ]);
  });

  it('uninstall deletes the CRDs', async () => {
    const r = await deploy('uninstall', 'math');
    expect(r.code, r.stderr).toBe(0);
    const crds = await kubectl('get', 'crd', '-o', 'name');
    expect(crds.stdout).not.toContain('math.potsbo.k8s.wantedly.com');
  });
});
