/**
 * The manifests generator behind tools/manifests.ts (kept apart so the CLI can make sure the
 * workspace libs load from source before this module imports them). The TypeScript kinds are the
 * single source of truth; the YAML is derived and committed so `kubectl apply -k` and reviewers
 * see it, and a test fails when someone edits a kind without regenerating.
 *
 * The app's convention: apps/<app>/src/manifests.ts exports
 * `manifests = { app, kinds, controllers, webhooks?, namespaced?, extraRules? }` (or those as
 * named exports / default). `webhooks` registers the app's webhooks on a WebhookServer (the
 * same function the manager's setup calls), so the configurations are generated from what is
 * actually served; `namespaced: true` makes the manager's RBAC a Role in its namespace.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import {
  crdYaml,
  manifestsYaml,
  roleFromRules,
  webhookConfigurations,
  WebhookServer,
  type PolicyRule,
  type WebhookRegistration,
} from '@kubeloop/runtime';

type Kind = import('@kubeloop/runtime').CustomKind;

export interface AppManifests {
  app: string;
  kinds: readonly Kind[];
  controllers: readonly { permissions(): PolicyRule[] }[];
  extraRules?: readonly PolicyRule[];
  /** Registers the app's webhooks (defaulters, validators, conversions) on a webhook server. */
  webhooks?: (server: WebhookServer) => void;
  /** The manager watches one namespace (WATCH_NAMESPACE): its RBAC is a Role there. */
  namespaced?: boolean;
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
  if (m.webhooks !== undefined && typeof m.webhooks !== 'function')
    throw new ManifestsError(
      'BadManifests',
      `apps/${app}/src/manifests.ts: webhooks must be a function that registers the webhooks on a WebhookServer`,
    );
  return m as AppManifests;
}

/** The namespace deploy/<app>/kustomization.yaml puts the manager in (kubebuilder's `<app>-system`). */
export function managerNamespace(app: string, root = WORKSPACE_ROOT): string {
  const file = join(root, 'deploy', app, 'kustomization.yaml');
  if (existsSync(file)) {
    const ns = (parse(readFileSync(file, 'utf8')) as { namespace?: unknown } | null)?.namespace;
    if (typeof ns === 'string' && ns) return ns;
  }
  return `${app}-system`;
}

/** What the app's webhook server would serve, without starting it. */
export function webhookRegistrations(m: AppManifests): WebhookRegistration[] {
  if (!m.webhooks) return [];
  const server = new WebhookServer({ certDir: '' });
  m.webhooks(server);
  return server.registrations();
}

/**
 * Workspace-relative path → file content, for every file the generator owns: one CRD per kind
 * (the versions of a kind share one, with the conversion webhook when one is registered), the
 * manager's role, and the webhook configurations when the app serves admission webhooks. The
 * webhooks reach the manager through `<app>-webhook-service` in its namespace; the CA comes from
 * cert-manager (the inject-ca-from annotation) or tools/deploy.ts (caBundle patch).
 */
export function renderManifests(m: AppManifests, root = WORKSPACE_ROOT): Map<string, string> {
  const files = new Map<string, string>();
  const namespace = managerNamespace(m.app, root);
  const service = { name: `${m.app}-webhook-service`, namespace };
  const registrations = webhookRegistrations(m);

  const byResource = new Map<string, Kind[]>();
  for (const kind of m.kinds) {
    const key = `${kind.group}_${kind.plural}`;
    byResource.set(key, [...(byResource.get(key) ?? []), kind]);
  }
  for (const [key, versions] of byResource) {
    const path = `deploy/${m.app}/crd/${key}.yaml`;
    const first = versions[0]!;
    const conversion = registrations.find(
      (r) => r.type === 'conversion' && r.kind.group === first.group && r.kind.kind === first.kind,
    );
    if (versions.length > 1 && !conversion)
      throw new ManifestsError(
        'NoStorageVersion',
        `${m.app}: ${first.kind} has versions ${versions.map((v) => v.version).join(', ')} but no conversion webhook: register one (its hub is the storage version)`,
      );
    files.set(
      path,
      crdYaml(versions, {
        app: m.app,
        ...(conversion
          ? { storageVersion: conversion.kind.version, conversion: { service: { ...service, path: conversion.path } } }
          : {}),
      }),
    );
  }

  const rules = [...m.controllers.flatMap((c) => c.permissions()), ...(m.extraRules ?? [])];
  files.set(
    `deploy/${m.app}/rbac/role.yaml`,
    roleFromRules(`${m.app}-manager-role`, rules, { app: m.app, ...(m.namespaced ? { namespace } : {}) }),
  );

  const configs = webhookConfigurations(registrations, {
    app: m.app,
    target: { service },
    annotations: { 'cert-manager.io/inject-ca-from': `${namespace}/${m.app}-serving-cert` },
  });
  const objects = [configs.mutating, configs.validating].filter((c) => c !== undefined);
  if (objects.length > 0) files.set(`deploy/${m.app}/webhook/manifests.yaml`, manifestsYaml(objects, { app: m.app }));
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
  const webhookFile = `deploy/${app}/webhook/manifests.yaml`;
  if (!files.has(webhookFile) && existsSync(join(root, webhookFile)))
    stale.push({ path: webhookFile, why: 'not generated' });
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
