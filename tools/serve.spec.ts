import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, runKubectl, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './deploy.ts';
import { ancestorsOf, isAlive, watchAncestors } from './serve.ts';

describe('ancestor watch', () => {
  it('lists this process’s parents, nearest first', () => {
    const ancestors = ancestorsOf(process.pid);
    expect(ancestors[0]!.pid).toBe(process.ppid);
    expect(ancestors.every((a) => isAlive(a))).toBe(true);
  });

  it('reports a watched process once it exits', async () => {
    const child = spawn('sleep', ['60']);
    await new Promise((r) => child.once('spawn', r));
    const watched = { pid: child.pid!, command: 'sleep', start: readStart(child.pid!) };
    const gone: number[] = [];
    watchAncestors([watched], (a) => gone.push(a.pid), 50);
    expect(isAlive(watched)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    await eventually(() => expect(gone).toEqual([child.pid]), { timeout: 5000 });
  });
});

function readStart(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Pids of the processes below `root` whose command line contains every one of `words`. */
function descendants(root: number, words: string[]): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...cmd.entries()].filter(([pid, c]) => below(pid) && words.every((w) => c.includes(w))).map(([pid]) => pid);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `nx run math:serve` and `nx run markdown-view:serve` side by side against one API server:
 * neither dies of EADDRINUSE (local runs serve no metrics and probes on a free port), and both
 * stop when the Nx command is stopped — by SIGTERM to `npx nx …` (npm exec does not pass it
 * on; the ancestor watch in tools/serve.ts does) and by a terminal's Ctrl-C (SIGINT to the
 * foreground process group).
 */
describe.skipIf(!existsSync('/proc/self/stat'))('nx run <app>:serve', () => {
  let cp: ControlPlane;
  const started: ChildProcess[] = [];
  beforeAll(async () => {
    cp = await startControlPlane({
      crdPaths: ['deploy/math/crd', 'deploy/markdown-view/crd'].map((d) => join(WORKSPACE_ROOT, d)),
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
    await cp?.stop();
  });

  /** `npx nx run <target>` in a process group of its own, as a shell runs a foreground job. */
  const serve = (target: string, env: NodeJS.ProcessEnv = {}) => {
    const child = spawn('npx', ['nx', 'run', target, '--outputStyle=stream', '--skip-nx-cache'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, KUBECONFIG: cp.kubeconfigPath, NX_DAEMON: 'false', NX_TUI: 'false', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    started.push(child);
    return { child, output: () => output };
  };

  it('both managers run at once, and each stops with its Nx command (SIGTERM; Ctrl-C)', async () => {
    const math = serve('math:serve');
    const mdv = serve('markdown-view:serve', { ENABLE_WEBHOOKS: 'false' });
    const kubectl = async (...args: string[]) => {
      const r = await runKubectl(cp, args, { cwd: WORKSPACE_ROOT });
      expect(r.code, r.output).toBe(0);
      return r.stdout;
    };
    await kubectl('apply', '-n', 'default', '-f', 'deploy/math/samples/math_v1beta1_number.yaml');
    await kubectl('apply', '-n', 'default', '-k', 'deploy/markdown-view/samples');
    // Both reconcile: the Number gets its status, the MarkdownView its ConfigMap.
    await eventually(
      async () => {
        expect(math.child.exitCode, math.output()).toBeNull();
        expect(mdv.child.exitCode, mdv.output()).toBeNull();
        expect(
          await kubectl('get', '-n', 'default', 'number', 'number-sample', '-o', 'jsonpath={.status.fizzBuzz}'),
        ).toBe('FizzBuzz');
        expect(
          await kubectl('get', '-n', 'default', 'configmap', 'markdowns-markdownview-sample', '-o', 'name'),
        ).toContain('configmap/');
      },
      { timeout: 180_000, interval: 1000 },
    );
    expect(math.output() + mdv.output()).not.toContain('EADDRINUSE');
    const [mathManager] = descendants(math.child.pid!, ['tools/serve.ts', 'apps/math/src/main.ts']);
    const [mdvManager] = descendants(mdv.child.pid!, ['tools/serve.ts', 'apps/markdown-view/src/main.ts']);
    expect(mathManager, math.output()).toBeDefined();
    expect(mdvManager, mdv.output()).toBeDefined();

    // SIGTERM to the command we started (npx): the manager drains and exits, and Nx with it.
    const nxUnderMath = descendants(math.child.pid!, ['nx', 'run', 'math:serve']);
    math.child.kill('SIGTERM');
    await eventually(() => expect(alive(mathManager!), 'math manager still running').toBe(false), { timeout: 30_000 });
    await eventually(() => expect(nxUnderMath.filter(alive), 'nx still running').toEqual([]), { timeout: 30_000 });
    expect(math.output()).toContain('shutdown signal received; draining');

    // Ctrl-C: SIGINT to the whole foreground process group.
    expect(alive(mdvManager!)).toBe(true);
    process.kill(-mdv.child.pid!, 'SIGINT');
    await eventually(() => expect(alive(mdvManager!), 'markdown-view manager still running').toBe(false), {
      timeout: 30_000,
    });
  }, 300_000);
});
