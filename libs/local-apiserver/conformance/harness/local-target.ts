import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type LocalApiServerOptions } from '../../src/index.ts';
import { KubeClient } from './kube-client.ts';

/**
 * local-apiserver as the replay talks to it: started with the options `npm start` uses and
 * reached through the kubeconfig it writes (so whatever authentication it requires is used).
 */
export async function startLocalTarget(
  opts: LocalApiServerOptions = {},
): Promise<{ client: KubeClient; stop(): Promise<void> }> {
  const server = await startApiServer(opts);
  const dir = mkdtempSync(join(tmpdir(), 'kubeloop-conformance-'));
  const kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig);
  const client = KubeClient.fromKubeconfig(kubeconfig);
  return {
    client,
    async stop() {
      client.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
