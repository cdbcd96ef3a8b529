import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The generators end to end, once (slow: it runs Nx, tsc and vitest in a copy of the workspace):
 * `operator` + `api` + `webhook` into a copy of this workspace, then — with no edits — the new
 * app's `manifests`, `typecheck` and `test` targets, and the dependency-rule and manifest
 * staleness checks over the whole copy. The copy has its own node_modules directory whose
 * entries link to this one's, except @kubeloop/*, which link to the copy's own projects.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'probe-op';
let copy: string;

function run(command: string, args: string[], timeoutMs = 600_000) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    CI: 'true',
  };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_ENV') delete env[key];
  const r = spawnSync(command, args, { cwd: copy, env, encoding: 'utf8', timeout: timeoutMs });
  const output = `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { status: r.status, output };
}

function copyWorkspace(to: string): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.split('\0');
  for (const file of files) {
    if (!file || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file), { preserveTimestamps: true });
  }
  // The libs' compiled outputs (git-ignored), timestamps kept: tsc -b finds them up to date
  // instead of rebuilding every lib in the copy.
  for (const dir of ['apps', 'libs'])
    for (const project of readdirSync(join(ROOT, dir)))
      for (const output of ['dist', 'out-tsc', 'tsconfig.tsbuildinfo']) {
        const from = join(ROOT, dir, project, output);
        if (existsSync(from) && existsSync(join(to, dir, project)))
          cpSync(from, join(to, dir, project, output), { recursive: true, preserveTimestamps: true });
      }
  mkdirSync(join(to, 'node_modules/@kubeloop'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === '@kubeloop') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(to, 'node_modules', entry));
  }
  for (const dir of ['apps', 'libs'])
    for (const project of readdirSync(join(to, dir))) {
      if (!existsSync(join(to, dir, project, 'package.json'))) continue;
      const name = (
        JSON.parse(spawnSync('cat', [join(to, dir, project, 'package.json')], { encoding: 'utf8' }).stdout) as {
          name: string;
        }
      ).name;
      symlinkSync(join(to, dir, project), join(to, 'node_modules', name));
    }
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'kubeloop-generated-'));
  copyWorkspace(copy);
}, 300_000);
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('a generated operator, unedited', () => {
  it('operator + api + webhook, then its manifests, typecheck and tests pass and the workspace rules accept it', () => {
    const steps: [string, string[]][] = [
      [
        'npx',
        ['nx', 'g', '@kubeloop/nx:operator', APP, '--domain', 'example.dev', '--skipInstall', '--no-interactive'],
      ],
      [
        'npx',
        [
          'nx',
          'g',
          '@kubeloop/nx:api',
          '--project',
          APP,
          '--group',
          'demo',
          '--api-version',
          'v1',
          '--kind',
          'Widget',
          '--no-interactive',
        ],
      ],
      [
        'npx',
        [
          'nx',
          'g',
          '@kubeloop/nx:webhook',
          '--project',
          APP,
          '--api-version',
          'v1',
          '--kind',
          'Widget',
          '--defaulting',
          '--validation',
          '--no-interactive',
        ],
      ],
      // Links the new workspace package, as the operator generator's `npm install` does in a real clone.
      ['ln', ['-s', `../../apps/${APP}`, `node_modules/@kubeloop/${APP}`]],
      ['npx', ['nx', 'sync:check']],
      ['npx', ['nx', 'run', `${APP}:manifests`]],
      ['npx', ['tsx', '--conditions=@kubeloop/source', 'tools/manifests.ts', APP, '--check']],
      ['npx', ['nx', 'run', `${APP}:typecheck`, '--output-style=stream']],
      ['npx', ['nx', 'run', `${APP}:test`, '--output-style=stream']],
      ['npx', ['vitest', 'run', '--config', 'tools/vitest.config.ts', 'dependency-rules']],
    ];
    for (const [command, args] of steps) {
      const { status, output } = run(command, args);
      expect(status, output).toBe(0);
    }
    expect(existsSync(join(copy, `deploy/${APP}/crd/demo.example.dev_widgets.yaml`))).toBe(true);
    expect(existsSync(join(copy, `deploy/${APP}/webhook/manifests.yaml`))).toBe(true);
  }, 1_800_000);
});
