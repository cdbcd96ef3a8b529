import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectControlPlane, startControlPlane } from './control-plane.ts';
import { AssetsMissingError, ControlPlaneStartError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'envtest-select-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('selectControlPlane', () => {
  it('follows controller-runtime: USE_EXISTING_CLUSTER, then KUBEBUILDER_ASSETS, else local', () => {
    expect(selectControlPlane({})).toBe('local');
    expect(selectControlPlane({ KUBEBUILDER_ASSETS: '/a' })).toBe('real');
    expect(selectControlPlane({ KUBEBUILDER_ASSETS: '/a', USE_EXISTING_CLUSTER: 'true' })).toBe('existing');
    expect(selectControlPlane({ USE_EXISTING_CLUSTER: 'TRUE' })).toBe('existing');
    expect(selectControlPlane({ USE_EXISTING_CLUSTER: 'false' })).toBe('local');
    expect(selectControlPlane({ KUBEBUILDER_ASSETS: '' })).toBe('local');
  });
});

describe('real control plane start failures', () => {
  it('names the missing binaries', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const err = await startControlPlane({ kind: 'real', assetsDir: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssetsMissingError);
    expect((err as AssetsMissingError).code).toBe('AssetsMissing');
    expect(String(err)).toContain(empty);
  });

  it('reports a binary that exits at start with the last lines of its log', async () => {
    const fake = mkdtempSync(join(dir, 'fake-'));
    for (const bin of ['etcd', 'kube-apiserver']) {
      writeFileSync(join(fake, bin), `#!/bin/sh\necho "${bin}: unknown flag --something" >&2\nexit 3\n`);
      chmodSync(join(fake, bin), 0o755);
    }
    const err = await startControlPlane({ kind: 'real', assetsDir: fake }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlPlaneStartError);
    expect((err as Error).message).toContain('etcd exited with code 3');
    expect((err as Error).message).toContain('etcd: unknown flag --something');
  });
});
