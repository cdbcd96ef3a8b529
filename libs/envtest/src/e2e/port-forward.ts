import { spawn } from 'node:child_process';
import { EnvtestError } from '../errors.ts';
import type { ControlPlane } from '../types.ts';

export interface PortForward {
  /** http://127.0.0.1:<local port> */
  url: string;
  localPort: number;
  /** Ends kubectl port-forward and resolves when it has exited. */
  stop(): Promise<void>;
}

export class PortForwardError extends EnvtestError {
  constructor(message: string) {
    super('PortForward', message);
  }
}

/**
 * `kubectl port-forward <resource> :<remotePort>` on a free local port, as a user reaches a
 * Service from their machine. Resolves once kubectl says it is forwarding; fails with kubectl's
 * output when it exits first or says nothing within `timeoutMs`. Stop it in afterAll/finally.
 */
export function portForward(
  cp: Pick<ControlPlane, 'kubeconfigPath'>,
  resource: string,
  remotePort: number,
  opts: { namespace?: string; timeoutMs?: number } = {},
): Promise<PortForward> {
  const args = [
    '--kubeconfig',
    cp.kubeconfigPath,
    'port-forward',
    ...(opts.namespace ? ['-n', opts.namespace] : []),
    '--address',
    '127.0.0.1',
    resource,
    `:${remotePort}`,
  ];
  const child = spawn(process.env.KUBECTL ?? 'kubectl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise<PortForward>((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() =>
        reject(new PortForwardError(`kubectl port-forward ${resource} :${remotePort} ${why}:\n${output.trim()}`)),
      );
    };
    const timer = setTimeout(
      () => fail(`did not start forwarding within ${opts.timeoutMs ?? 30_000} ms`),
      opts.timeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        const localPort = Number(m[1]);
        resolve({ url: `http://127.0.0.1:${localPort}`, localPort, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('close', (code) => fail(`exited (code ${code})`));
  });
}
