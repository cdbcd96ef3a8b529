#!/usr/bin/env -S npx tsx
/**
 * `tsx tools/manifests.ts <app> [--check]` (the `manifests` Nx target of each app): renders the
 * app's CRDs (deploy/<app>/crd/<group>_<plural>.yaml) and manager ClusterRole
 * (deploy/<app>/rbac/role.yaml, `<app>-manager-role`) from its TypeScript declarations, or with
 * --check exits 1 listing the committed files that differ.
 *
 * Workspace libs must load from their TypeScript sources (the `@kubeloop/source` export
 * condition), not from a possibly stale dist/: when started without that condition, this script
 * runs itself again with it. That is why the generator lives in generate-manifests.ts and is
 * imported only afterwards.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const SOURCE_CONDITION = '@kubeloop/source';

function loadsFromSource(): boolean {
  try {
    return import.meta.resolve('@kubeloop/runtime').includes('/src/');
  } catch {
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const { appsWithManifests, loadAppManifests, renderManifests, staleFiles, writeManifests } =
    await import('./generate-manifests.ts');
  const check = argv.includes('--check');
  const apps = argv.filter((a) => !a.startsWith('--'));
  if (apps.length !== 1) {
    console.error('usage: tsx tools/manifests.ts <app> [--check]');
    console.error(`apps with src/manifests.ts: ${appsWithManifests().join(', ') || '(none)'}`);
    return 2;
  }
  const app = apps[0]!;
  const files = renderManifests(await loadAppManifests(app));
  if (check) {
    const stale = staleFiles(app, files);
    if (stale.length === 0) {
      console.log(`${app}: ${files.size} generated manifest(s) up to date`);
      return 0;
    }
    console.error(`${app}: generated manifests are stale; run \`npx nx run ${app}:manifests\` and commit:`);
    for (const s of stale) console.error(`  ${s.path} (${s.why})`);
    return 1;
  }
  const written = writeManifests(files);
  for (const p of written) console.log(`wrote ${p}`);
  const leftovers = staleFiles(app, files).filter((s) => s.why === 'not generated');
  for (const s of leftovers) console.log(`note: ${s.path} is no longer generated; delete it if its kind is gone`);
  console.log(`${app}: ${files.size} manifest(s), ${written.length} changed`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!loadsFromSource() && !process.env.KUBELOOP_MANIFESTS_REEXEC) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, `--conditions=${SOURCE_CONDITION}`, process.argv[1], ...process.argv.slice(2)],
      {
        stdio: 'inherit',
        env: { ...process.env, KUBELOOP_MANIFESTS_REEXEC: '1' },
      },
    );
    process.exit(r.status ?? 1);
  }
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(
        err instanceof Error
          ? `${err.name}${(err as { code?: string }).code ? ` (${(err as { code?: string }).code})` : ''}: ${err.message}`
          : err,
      );
      process.exit(1);
    },
  );
}
