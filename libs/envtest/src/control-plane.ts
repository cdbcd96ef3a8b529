import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type LocalApiServerOptions } from '@kubeloop/local-apiserver';
import { installCRDs } from './crds.ts';
import { deleteTestNamespaces } from './namespace.ts';
import { EnvtestError } from './errors.ts';
import { startRealControlPlane } from './real/real-control-plane.ts';
import type { ControlPlane, ControlPlaneKind } from './types.ts';

/**
 * Temp dirs of local control planes still running. A suite that forgets stop() (or a worker
 * that exits after a failed afterAll) would leave them behind; the exit hook removes them.
 */
const tempDirs = new Set<string>();
let exitHook = false;
function trackTempDir(dir: string): void {
  tempDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
}

export interface StartControlPlaneOptions {
  /** CRD files or directories installed (and waited on) before startControlPlane returns. */
  crdPaths?: string[];
  /** CRD objects (e.g. `crdFor(Tuple)`) installed the same way. */
  crds?: object[];
  /** Override the environment's choice (KUBEBUILDER_ASSETS / USE_EXISTING_CLUSTER). */
  kind?: ControlPlaneKind;
  /** For kind 'real': the binaries' directory (default: $KUBEBUILDER_ASSETS). */
  assetsDir?: string;
  /** For kind 'local': options passed to startApiServer. */
  local?: LocalApiServerOptions;
  /** Environment to read the selection from (default process.env); tests of the selection pass their own. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The kubeconfig files as kubectl merges them (the first file's current context wins), read from
 * the environment given rather than process.env, so a caller's `env` is honoured. Missing files
 * are skipped, as kubectl does; undefined when none exists.
 */
function loadKubeConfig(files: string[]): KubeConfig | undefined {
  let merged: KubeConfig | undefined;
  for (const file of files.filter((f) => existsSync(f))) {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    if (!merged) merged = kc;
    else merged.mergeConfig(kc, true);
  }
  return merged;
}

/**
 * Which control plane the environment asks for, by controller-runtime's rules:
 * USE_EXISTING_CLUSTER=true wins, then KUBEBUILDER_ASSETS, else the in-process local server.
 */
export function selectControlPlane(env: NodeJS.ProcessEnv = process.env): ControlPlaneKind {
  if ((env.USE_EXISTING_CLUSTER ?? '').toLowerCase() === 'true') return 'existing';
  if (env.KUBEBUILDER_ASSETS) return 'real';
  return 'local';
}

/**
 * Starts (or connects to) the control plane a test suite runs against. Start one per test file
 * in `beforeAll` and stop it in `afterAll`; isolate tests with createTestNamespace. Suites must
 * not depend on which kind they got: the same file runs against all three.
 */
export async function startControlPlane(opts: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const env = opts.env ?? process.env;
  const kind = opts.kind ?? selectControlPlane(env);
  const crdInputs: (string | object)[] = [...(opts.crdPaths ?? []), ...(opts.crds ?? [])];
  const install = async (kc: KubeConfig) => {
    if (crdInputs.length > 0) await installCRDs(kc, crdInputs);
  };

  if (kind === 'real') {
    const assetsDir = opts.assetsDir ?? env.KUBEBUILDER_ASSETS;
    if (!assetsDir)
      throw new EnvtestError(
        'AssetsMissing',
        'a real control plane needs KUBEBUILDER_ASSETS (or opts.assetsDir) naming the directory with etcd and kube-apiserver',
      );
    // CRDs go in before the controller-manager starts, so its garbage collector knows them from its first discovery.
    return startRealControlPlane({ assetsDir, beforeControllers: install });
  }

  if (kind === 'existing') {
    const files = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
    const kubeConfig = loadKubeConfig(files.length ? files : [join(env.HOME || homedir(), '.kube', 'config')]);
    if (!kubeConfig?.getCurrentCluster()) {
      throw new EnvtestError(
        'NoCluster',
        'USE_EXISTING_CLUSTER=true but no kubeconfig with a current cluster was found (KUBECONFIG, ~/.kube/config)',
      );
    }
    let kubeconfigPath = files.length === 1 ? files[0]! : join(homedir(), '.kube', 'config');
    let tmp: string | undefined;
    if (files.length > 1) {
      // Several merged files: give child processes one file holding exactly what we loaded.
      tmp = mkdtempSync(join(tmpdir(), 'kubeloop-envtest-'));
      kubeconfigPath = join(tmp, 'kubeconfig');
      writeFileSync(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
    }
    await install(kubeConfig);
    return {
      kind: 'existing',
      kubeConfig,
      kubeconfigPath,
      // Not our cluster: remove only the test namespaces we made (CRDs stay: other suites may share them).
      stop: async () => {
        try {
          await deleteTestNamespaces(kubeConfig);
        } finally {
          if (tmp) rmSync(tmp, { recursive: true, force: true });
        }
      },
    };
  }

  const localOpts = opts.local ?? {};
  let local = await startApiServer(localOpts);
  const dir = mkdtempSync(join(tmpdir(), 'kubeloop-envtest-'));
  trackTempDir(dir);
  const kubeconfigPath = join(dir, 'kubeconfig');
  const stop = async () => {
    try {
      await local.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  };
  try {
    local.writeKubeconfig(kubeconfigPath);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    await install(kubeConfig);
    const cp: ControlPlane = {
      kind: 'local',
      kubeConfig,
      kubeconfigPath,
      local,
      stop,
      async restart() {
        if (!local.stateDir)
          throw new EnvtestError(
            'NotRestartable',
            'restart() of a local control plane needs a state directory: startControlPlane({ local: { stateDir } })',
          );
        const port = local.port;
        await local.stop();
        // A new server: everything it knows comes from the state directory, as after a crash.
        local = await startApiServer({ ...localOpts, stateDir: local.stateDir, fresh: false, port });
        cp.local = local;
      },
    };
    return cp;
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
