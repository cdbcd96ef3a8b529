import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from '../api-request.ts';
import { AssetsMissingError, ControlPlaneStartError } from '../errors.ts';
import { tokenKubeconfig } from '../kubeconfig.ts';
import type { ControlPlane } from '../types.ts';
import { apiServerArgs, controllerManagerArgs, etcdArgs } from './flags.ts';
import { freePort } from './free-port.ts';
import { createControlPlanePki } from './pki.ts';
import { ManagedProcess } from './process.ts';

export interface RealControlPlaneOptions {
  /** Directory holding `etcd` and `kube-apiserver`, optionally `kube-controller-manager`. */
  assetsDir: string;
  /** Runs once the API server is ready and before the controller-manager starts (CRD install). */
  beforeControllers?: (kc: KubeConfig) => Promise<void>;
  /** Start kube-controller-manager when the binary is there (default true). */
  controllerManager?: boolean;
  /** Per component (default 60 s: two cores shared by parallel test files start slowly). */
  startTimeoutMs?: number;
}

function executable(dir: string, name: string): string | undefined {
  const p = join(dir, name);
  try {
    accessSync(p, constants.X_OK);
    return p;
  } catch {
    return undefined;
  }
}

/** etcd reads ETCD_* variables as flags; a stray one in the test environment would override ours. */
function envWithoutEtcdVars(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')));
}

function kcmHealthy(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // The controller-manager serves a self-signed certificate of its own; this probe only asks
    // "is it up" on loopback, so it does not verify it.
    const req = https.get(
      { host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * Starts etcd, kube-apiserver and (when present) kube-controller-manager from KUBEBUILDER_ASSETS
 * on free loopback ports, everything in one temp dir that stop() removes. The controller-manager
 * is what makes a real cluster behave like one for operators: garbage collection of owned
 * children, Deployments getting ReplicaSets, namespace deletion finishing.
 */
export async function startRealControlPlane(opts: RealControlPlaneOptions): Promise<ControlPlane> {
  // Free ports are only free when we look: another test process can take one before our child
  // binds it. That shows up as "address already in use" in the child's log; try fresh ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof ControlPlaneStartError) || !/address already in use/i.test(err.message))
        throw err;
    }
  }
}

async function startOnce(opts: RealControlPlaneOptions): Promise<ControlPlane> {
  const etcdBin = executable(opts.assetsDir, 'etcd');
  const apiBin = executable(opts.assetsDir, 'kube-apiserver');
  if (!etcdBin || !apiBin) {
    throw new AssetsMissingError(
      `KUBEBUILDER_ASSETS=${opts.assetsDir} must hold executable etcd and kube-apiserver (found: ${[etcdBin, apiBin].filter(Boolean).join(', ') || 'neither'})`,
    );
  }
  const kcmBin = opts.controllerManager === false ? undefined : executable(opts.assetsDir, 'kube-controller-manager');
  const timeout = opts.startTimeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'kubeloop-envtest-'));
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = createControlPlanePki(join(dir, 'pki'));
    for (const d of ['etcd', 'apiserver', 'kcm']) mkdirSync(join(dir, d), { recursive: true });

    const [clientPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = new ManagedProcess(
      'etcd',
      etcdBin,
      etcdArgs({ dataDir: join(dir, 'etcd', 'data'), clientPort, peerPort }),
      join(dir, 'etcd.log'),
      envWithoutEtcdVars(),
    );
    processes.push(etcd);
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    await etcd.waitReady('/health', async () => (await fetch(`${etcdUrl}/health`)).ok, timeout);

    const apiArgs = apiServerArgs({ etcdUrl, port: apiPort, certDir: join(dir, 'apiserver'), pki });
    let api = new ManagedProcess('kube-apiserver', apiBin, apiArgs, join(dir, 'kube-apiserver.log'));
    processes.push(api);
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      tokenKubeconfig({ server: `https://127.0.0.1:${apiPort}`, caPem: pki.caPem, token: pki.adminToken }),
      { mode: 0o600 },
    );
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    await api.waitReady(
      '/readyz',
      async () => (await apiRequest(kubeConfig, 'GET', '/readyz')).status === 200,
      timeout,
    );

    if (opts.beforeControllers) await opts.beforeControllers(kubeConfig);

    let kcm: ManagedProcess | undefined;
    const startKcm = async (port: number) => {
      const started = new ManagedProcess(
        'kube-controller-manager',
        kcmBin!,
        controllerManagerArgs({ kubeconfig: kubeconfigPath, port, certDir: join(dir, 'kcm'), pki }),
        join(dir, 'kube-controller-manager.log'),
      );
      if (kcm) processes[processes.indexOf(kcm)] = started;
      else processes.push(started);
      kcm = started;
      await started.waitReady('/healthz', () => kcmHealthy(port), timeout);
    };
    const kcmPort = kcmBin ? await freePort() : 0;
    if (kcmBin) await startKcm(kcmPort);
    const restart = async () => {
      // The same flags, port, certificates and etcd: the cluster comes back as it was.
      await api.stop();
      const again = new ManagedProcess('kube-apiserver', apiBin, apiArgs, join(dir, 'kube-apiserver.log'));
      processes[processes.indexOf(api)] = again;
      api = again;
      await again.waitReady(
        '/readyz',
        async () => (await apiRequest(kubeConfig, 'GET', '/readyz')).status === 200,
        timeout,
      );
      // kube-controller-manager goes down and up with it, as in a cluster where both run as static
      // pods and kcm exits on losing its lease: left running, v1.36.2's garbage collector kept a
      // watch that got Retry-After twice from the restarting server and then no events (children
      // of an owner deleted after the restart were still there 7 minutes later).
      if (kcm) {
        await kcm.stop();
        await startKcm(kcmPort);
      }
    };
    return { kind: 'real', kubeConfig, kubeconfigPath, stop, restart };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** True when dir looks like a KUBEBUILDER_ASSETS directory (used by tests to decide what to run). */
export function hasRealAssets(dir: string | undefined): dir is string {
  return !!dir && existsSync(join(dir, 'kube-apiserver')) && existsSync(join(dir, 'etcd'));
}
