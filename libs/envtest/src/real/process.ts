import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { ControlPlaneStartError } from '../errors.ts';

/** Every child still running, so a test process that dies without stop() does not leak etcds. */
const live = new Set<ManagedProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

/**
 * The 'exit' hook above does not run when the test process is killed by a signal (a vitest
 * worker torn down on timeout), and our children live in their own process groups, so they
 * would outlive it: a leaked etcd and kube-apiserver per killed worker. A tiny shell per child
 * polls the test process and kills the child's group once the test process is gone.
 */
function startWatchdog(childPid: number): ChildProcess | undefined {
  try {
    const dog = spawn(
      'sh',
      [
        '-c',
        'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -0 "$0" 2>/dev/null || kill -KILL "-$1" 2>/dev/null',
        String(process.pid),
        String(childPid),
      ],
      { detached: true, stdio: 'ignore' },
    );
    dog.on('error', () => undefined);
    dog.unref();
    return dog;
  } catch {
    return undefined;
  }
}

/**
 * One control-plane binary run as a child in its own process group, output to a log file. The
 * log is what a failing start shows: its last lines go into the error, so "kube-apiserver exited"
 * comes with the flag it did not like.
 */
export class ManagedProcess {
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private spawnError: Error | undefined;

  constructor(
    readonly name: string,
    binary: string,
    args: string[],
    readonly logFile: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    installExitHook();
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        live.delete(this);
        resolve(code);
      });
      this.child.once('error', (err) => {
        this.spawnError = err;
        this.exitCode = -1;
        live.delete(this);
        resolve(-1);
      });
    });
    live.add(this);
    this.watchdog = this.child.pid === undefined ? undefined : startWatchdog(this.child.pid);
    void this.exited.then(() => this.watchdog?.kill('SIGKILL'));
  }

  private readonly watchdog: ChildProcess | undefined;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines of the log, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /**
   * Polls `check` until it returns true. Fails early when the process exits (with its log tail),
   * and after `timeoutMs` otherwise.
   */
  async waitReady(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      if (!this.running) {
        const why = this.spawnError
          ? `could not be started: ${this.spawnError.message}`
          : `exited with code ${this.exitCode}`;
        throw new ControlPlaneStartError(
          `${this.name} ${why} before ${what}; last lines of ${this.logFile}:\n${this.logTail()}`,
        );
      }
      try {
        if (await check()) return;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new ControlPlaneStartError(
          `${this.name} did not reach ${what} within ${timeoutMs} ms${lastError ? ` (last probe error: ${lastError})` : ''}; last lines of ${this.logFile}:\n${this.logTail()}`,
        );
      }
      await Promise.race([new Promise((r) => setTimeout(r, 100)), this.exited]);
    }
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Synchronous last resort for process exit: no waiting possible there. */
  killNow(): void {
    if (this.running) this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }
}
