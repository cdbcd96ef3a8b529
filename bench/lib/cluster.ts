import { KubeConfig } from '@kubernetes/client-node';
import { Client, Namespace } from '@kubeloop/runtime';
import { Child } from './child.ts';

export interface ServerInfo {
  kubeconfigPath: string;
  kind: 'local' | 'real' | 'existing';
  version: string;
  label: string;
}

/** A control plane in its own process, and a client for the harness's own (uncounted) requests. */
export class Cluster {
  private constructor(
    readonly child: Child,
    readonly info: ServerInfo,
    readonly client: Client,
  ) {}

  static async start(
    opts: { kind?: ServerInfo['kind']; watchHistory?: number; stateDir?: string } = {},
  ): Promise<Cluster> {
    const child = new Child(new URL('./control-plane.child.ts', import.meta.url), { name: 'control-plane' });
    try {
      const info = await child.call<ServerInfo>('start', opts);
      const kc = new KubeConfig();
      kc.loadFromFile(info.kubeconfigPath);
      return new Cluster(child, info, new Client(kc, { fieldManager: 'bench' }));
    } catch (err) {
      await child.close();
      throw err;
    }
  }

  /**
   * CPU seconds used so far by local-apiserver (the whole server lives in the control-plane
   * process). NaN for real/existing servers: their kube-apiserver and etcd are other processes.
   */
  async serverCpuSeconds(): Promise<number> {
    if (this.info.kind !== 'local') return NaN;
    return (await this.child.call<{ cpuSeconds: number }>('usage')).cpuSeconds;
  }

  async createNamespace(name: string): Promise<string> {
    await this.client.resource(Namespace).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }

  /** Deletes a namespace and waits (bounded) until the server has removed it and its contents. */
  async deleteNamespace(name: string, timeoutMs = 300_000): Promise<void> {
    const ns = this.client.resource(Namespace);
    await ns.delete(undefined, name);
    const deadline = performance.now() + timeoutMs;
    while ((await ns.get(undefined, name)) !== undefined) {
      if (performance.now() > deadline) throw new Error(`namespace ${name} still present after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.child.call('controllersIdle');
  }

  async stop(): Promise<void> {
    await this.child.close(60_000);
  }
}
