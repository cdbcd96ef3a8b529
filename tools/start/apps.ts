import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** An operator app `npm start` runs: apps/<name> with src/manifests.ts, as the Nx plugin finds them. */
export interface OperatorApp {
  name: string;
  /** apps/<name>/src/setup.ts: exports the one `setup<App>(mgr)` its main.ts and tests use. */
  setupPath: string;
  /** deploy/<name>/crd: its generated CRDs. */
  crdDir: string;
  /** deploy/<name>/samples (absent when the app has none). */
  samplesDir?: string;
  /** Whether it serves webhooks (deploy/<name>/webhook exists): admission or conversion. */
  webhooks: boolean;
}

/** The apps that came first keep their order (the summary and the logs read as before); new ones follow by name. */
const FIRST = ['math', 'markdown-view'];

/**
 * Every operator app of the workspace: apps/<name>/src/manifests.ts plus apps/<name>/src/setup.ts
 * and deploy/<name>/crd — the same test the @kubeloop/nx plugin uses for its operator targets, so
 * an app made with `nx g @kubeloop/nx:operator` runs in `npm start` with nothing to register.
 */
export function discoverOperatorApps(root: string): OperatorApp[] {
  const appsDir = join(root, 'apps');
  const names = readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter(
      (name) =>
        existsSync(join(appsDir, name, 'src', 'manifests.ts')) &&
        existsSync(join(appsDir, name, 'src', 'setup.ts')) &&
        existsSync(join(root, 'deploy', name, 'crd')),
    )
    .sort((a, b) => {
      const ia = FIRST.indexOf(a);
      const ib = FIRST.indexOf(b);
      if (ia !== -1 || ib !== -1) return (ia === -1 ? FIRST.length : ia) - (ib === -1 ? FIRST.length : ib);
      return a.localeCompare(b);
    });
  return names.map((name) => {
    const samplesDir = join(root, 'deploy', name, 'samples');
    return {
      name,
      setupPath: join(appsDir, name, 'src', 'setup.ts'),
      crdDir: join(root, 'deploy', name, 'crd'),
      ...(existsSync(join(samplesDir, 'kustomization.yaml')) ? { samplesDir } : {}),
      webhooks: existsSync(join(root, 'deploy', name, 'webhook')),
    };
  });
}

/** The app's `setup<App>(mgr)`: the one exported function whose name starts with `setup`. */
export async function loadSetup(app: OperatorApp): Promise<(mgr: never) => void> {
  const mod = (await import(app.setupPath)) as Record<string, unknown>;
  const setups = Object.entries(mod).filter(([k, v]) => /^setup[A-Z]/.test(k) && typeof v === 'function');
  if (setups.length !== 1)
    throw new Error(
      `${app.setupPath} should export exactly one setup<App>(mgr) function (found ${setups.map(([k]) => k).join(', ') || 'none'})`,
    );
  return setups[0]![1] as (mgr: never) => void;
}
