import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Upstream's Go sample-controller (k8s.io/sample-controller, built by realk8s's prepare.sh into
 * PREFIX/bin/sample-controller) as a process of its own on the bench's kubeconfig: client-go's
 * defaults (5 QPS, burst 10 per clientset), two workers, as `main.go` runs it. Its log goes to
 * `logPath`. Stopped by its pid only.
 */
export class GoSampleController {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  static start(binary: string, kubeconfigPath: string, logPath: string): GoSampleController {
    const log = createWriteStream(logPath);
    log.on('error', () => undefined); // a log that cannot be written must not take the bench down
    const proc = spawn(binary, ['--kubeconfig', kubeconfigPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.pipe(log, { end: false });
    proc.stderr!.pipe(log, { end: false });
    const exited = new Promise<number | null>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => {
        log.end();
        resolve(code);
      });
    });
    exited.catch(() => undefined); // reported by stop() or the caller's wait
    return new GoSampleController(proc, exited);
  }

  private stopping = false;

  /**
   * Rejects if the process ends before stop() (a bad path, a refused kubeconfig), naming the log;
   * race a wait against it so that such a failure ends the wait at once instead of at its timeout.
   */
  died(logPath: string): Promise<never> {
    return this.exited.then((code) => {
      if (this.stopping) return new Promise<never>(() => undefined);
      throw new Error(`the Go sample-controller exited (code ${code}) before the run ended; see ${logPath}`);
    });
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    await this.exited.catch(() => undefined);
    clearTimeout(timer);
  }
}
