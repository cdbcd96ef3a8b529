/**
 * The manifests generator behind tools/manifests.ts (kept apart so the CLI can make sure the
 * workspace libs load from source before this module imports them). The TypeScript kinds are the
 * single source of truth; the YAML is derived and committed so `kubectl apply -k` and reviewers
 * see it, and a test fails when someone edits a kind without regenerating.
 *
 * The app's convention: apps/<app>/src/manifests.ts exports
 * `manifests = { app, kinds, controllers, extraRules? }` (or those as named exports / default).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crdYaml, roleFromRules, type PolicyRule } from '@kubeloop/runtime';

type Kind = Parameters<typeof crdYaml>[0];

export interface AppManifests {
  app: string;
  kinds: readonly Kind[];
  controllers: readonly { permissions(): PolicyRule[] }[];
  extraRules?: readonly PolicyRule[];
}

export class ManifestsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ManifestsError';
    this.code = code;
  }
}

export const WORKSPACE_ROOT = join(import.meta.dirname, '..');

/** Apps that follow the convention (have src/manifests.ts). */
export function appsWithManifests(root = WORKSPACE_ROOT): string[] {
  const apps = join(root, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps)
    .filter((a) => existsSync(join(apps, a, 'src', 'manifests.ts')))
    .sort();
}

/** Imports apps/<app>/src/manifests.ts and checks it has the shape the convention promises. */
export async function loadAppManifests(app: string, root = WORKSPACE_ROOT): Promise<AppManifests> {
  const file = join(root, 'apps', app, 'src', 'manifests.ts');
  if (!existsSync(file)) {
    throw new ManifestsError(
      'NoManifests',
      `apps/${app}/src/manifests.ts does not exist: export { app, kinds, controllers } there (see tools/manifests.ts)`,
    );
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const m = (mod.manifests ?? mod.default ?? mod) as Partial<AppManifests>;
  if (m.app !== app)
    throw new ManifestsError(
      'BadManifests',
      `apps/${app}/src/manifests.ts: app is ${JSON.stringify(m.app)}, expected "${app}"`,
    );
  if (!Array.isArray(m.kinds))
    throw new ManifestsError('BadManifests', `apps/${app}/src/manifests.ts: kinds must be an array of kinds`);
  if (
    !Array.isArray(m.controllers) ||
    m.controllers.some((c: { permissions?: unknown }) => typeof c?.permissions !== 'function')
  ) {
    throw new ManifestsError(
      'BadManifests',
      `apps/${app}/src/manifests.ts: controllers must be an array of built controllers (with permissions())`,
    );
  }
  return m as AppManifests;
}

/** Workspace-relative path → file content, for every file the generator owns. */
export function renderManifests(m: AppManifests): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of m.kinds) {
    const k = kind as unknown as { group: string; plural: string };
    const path = `deploy/${m.app}/crd/${k.group}_${k.plural}.yaml`;
    if (files.has(path)) throw new ManifestsError('DuplicateKind', `${m.app}: two kinds render to ${path}`);
    files.set(path, crdYaml(kind, { app: m.app }));
  }
  const rules = [...m.controllers.flatMap((c) => c.permissions()), ...(m.extraRules ?? [])];
  files.set(`deploy/${m.app}/rbac/role.yaml`, roleFromRules(`${m.app}-manager-role`, rules, { app: m.app }));
  return files;
}

export interface StaleFile {
  path: string;
  why: 'missing' | 'differs' | 'not generated';
}

/**
 * Compares rendered files with what is on disk. Also reports CRD files in deploy/<app>/crd/
 * that the generator no longer produces (a kind was removed or renamed): a stale CRD would
 * keep being installed by kustomize.
 */
export function staleFiles(app: string, files: Map<string, string>, root = WORKSPACE_ROOT): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const [path, content] of files) {
    const full = join(root, path);
    if (!existsSync(full)) stale.push({ path, why: 'missing' });
    else if (readFileSync(full, 'utf8') !== content) stale.push({ path, why: 'differs' });
  }
  const crdDir = join(root, 'deploy', app, 'crd');
  if (existsSync(crdDir)) {
    for (const f of readdirSync(crdDir).sort()) {
      const path = `deploy/${app}/crd/${f}`;
      // Generated CRD files are named <group>_<plural>.yaml; kustomization.yaml and friends are hand-written.
      if (/^[a-z0-9.-]+_[a-z0-9]+\.yaml$/.test(f) && !files.has(path)) stale.push({ path, why: 'not generated' });
    }
  }
  return stale;
}

export function writeManifests(files: Map<string, string>, root = WORKSPACE_ROOT): string[] {
  const written: string[] = [];
  for (const [path, content] of files) {
    const full = join(root, path);
    if (existsSync(full) && readFileSync(full, 'utf8') === content) continue;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    written.push(path);
  }
  return written;
}
