import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appConfig, DeployError, findKubectl, parseArgs, run, WORKSPACE_ROOT } from './deploy.ts';

describe('parseArgs', () => {
  it('reads command, app and flags (both --flag value and --flag=value)', () => {
    expect(parseArgs(['deploy', 'math', '--kubeconfig', '/k', '--context=c', '--timeout=5m', '--dry-run'])).toEqual({
      command: 'deploy',
      app: 'math',
      options: { kubeconfig: '/k', context: 'c', timeout: '5m', dryRun: true },
    });
    expect(parseArgs(['install', 'math']).options).toEqual({ timeout: '120s', dryRun: false });
  });

  it.each([
    [[]],
    [['deploy']],
    [['explode', 'math']],
    [['deploy', 'math', 'extra']],
    [['deploy', 'math', '--bogus']],
    [['deploy', 'math', '--timeout', 'soon']],
    [['deploy', 'math', '--kubeconfig']],
  ])('refuses %j with a usage error (exit 2)', (argv) => {
    expect(() => parseArgs(argv)).toThrow(expect.objectContaining({ code: 'Usage', exitCode: 2 }));
  });
});

describe('run', () => {
  it('refuses an unknown app, naming the known ones', async () => {
    await expect(run('deploy', 'nope', { timeout: '1s', dryRun: false }, () => {})).rejects.toMatchObject({
      code: 'UnknownApp',
      message: expect.stringContaining('math'),
    });
  });

  it('knows math from deploy/math: its namespace and Deployment, no webhook steps', () => {
    const math = appConfig('math')!;
    expect(math).toMatchObject({ namespace: 'math-system', deployment: 'math-controller-manager' });
    expect(math.beforeApply).toBeUndefined();
  });

  it("derives markdown-view's webhook certificate steps from its generated webhook configurations", () => {
    const mdv = appConfig('markdown-view')!;
    expect(mdv).toMatchObject({ namespace: 'markdown-view-system', deployment: 'markdown-view-controller-manager' });
    expect(mdv.beforeApply?.map((s) => s.name)).toEqual(['webhook serving certificate']);
    expect(mdv.afterApply?.map((s) => s.name)).toEqual(['webhook CA bundle']);
  });
});

describe('the CLI without kubectl', () => {
  it('says clearly that kubectl is missing and exits 127', () => {
    // A PATH with node and sh but no kubectl.
    const bin = mkdtempSync(join(tmpdir(), 'deploy-nokubectl-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    expect(findKubectl({ PATH: bin })).toBeUndefined();
    const r = spawnSync(
      process.execPath,
      ['--conditions=@kubeloop/source', '--import', 'tsx', 'tools/deploy.ts', 'install', 'math'],
      {
        cwd: WORKSPACE_ROOT,
        env: { PATH: bin, HOME: process.env.HOME ?? '/tmp' },
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toContain('error [KubectlMissing]: kubectl not found on PATH');
    expect(r.status).toBe(127);
  });

  it('DeployError carries a stable code', () => {
    expect(new DeployError('Usage', 'x', 2)).toMatchObject({ code: 'Usage', exitCode: 2, name: 'DeployError' });
  });
});
