import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalApiServer } from '../src/index.ts';

const run = promisify(execFile);

/** kubectl is not installable from the registries here; suites that need it skip without it. */
export function hasKubectl(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v kubectl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real kubectl against a local server, isolated in a temp dir (kubeconfig, HOME, discovery
 * cache) so no suite sees another's cached discovery or the user's config. Children are
 * asynchronous: the server answers on this process's event loop.
 */
export class KubectlSession {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static open(server: LocalApiServer, prefix: string): KubectlSession {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    server.writeKubeconfig(join(dir, 'kubeconfig'));
    return new KubectlSession(dir, { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir });
  }

  private args(args: readonly string[]): string[] {
    return ['--cache-dir', join(this.dir, 'cache'), ...args];
  }

  /** Runs kubectl to completion and returns its stdout; rejects (with stderr) when it fails. */
  kubectl = async (...args: string[]): Promise<string> =>
    (await run('kubectl', this.args(args), { env: this.env, timeout: 20_000 })).stdout;

  /** Starts a long-running kubectl (e.g. `get --watch`); the caller kills it. */
  spawn(...args: string[]): ChildProcessWithoutNullStreams {
    return spawn('kubectl', this.args(args), { env: this.env });
  }

  /** Writes a file into the session's dir and returns its path, for `kubectl apply -f`. */
  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
