import { spawn } from 'node:child_process';
import type { ControlPlane } from './types.ts';

/** How a child process ended and what it printed. */
export interface CommandResult {
  /** Exit code; null when it was killed by a signal (the timeout) or could not be started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived, for assertion messages. */
  output: string;
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds until the child is killed; no limit by default. */
  timeout?: number;
  /** Receives stdout and stderr as they arrive (long builds show progress). */
  onOutput?: (chunk: string) => void;
  /** Written to the child's stdin, which is then closed (e.g. `kubectl apply -f -`). */
  input?: string;
}

/**
 * Runs a command to completion and resolves with what it printed, whatever its exit code, so a
 * test can assert on a failure's message. Asynchronous on purpose: the local API server may run
 * in this very process, and a synchronous child would block the event loop it answers on.
 */
export function runCommand(cmd: string, args: readonly string[], opts: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      timeout: opts.timeout,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout!.on('data', (c) => {
      stdout += c;
      output += c;
      opts.onOutput?.(String(c));
    });
    child.stderr!.on('data', (c) => {
      stderr += c;
      output += c;
      opts.onOutput?.(String(c));
    });
    // A command that cannot be started (ENOENT) is a failed result, not an unhandled 'error'.
    child.on('error', (err) => {
      stderr += err.message;
      output += err.message;
    });
    child.on('close', (code) => done({ code, stdout, stderr, output }));
  });
}

/**
 * Runs kubectl against a control plane (its kubeconfig file), as a user would; `KUBECTL`
 * overrides the binary, as for kustomize rendering.
 */
export function runKubectl(
  cp: Pick<ControlPlane, 'kubeconfigPath'>,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  return runCommand(process.env.KUBECTL ?? 'kubectl', ['--kubeconfig', cp.kubeconfigPath, ...args], opts);
}
