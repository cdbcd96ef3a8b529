#!/usr/bin/env node
// node tools/pack-libs.mjs <app> <out> — run by the Dockerfile's build stage: copies the
// package.json and compiled dist/ of every workspace lib in <app>'s production dependency
// closure to <out>/libs/<lib>/, for the runtime image. Only production dependencies are
// followed, so test machinery (envtest, local-apiserver) never ships in an app's image.
// Plain .mjs with node built-ins only: it runs before anything but the libs is compiled.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [app, out] = process.argv.slice(2);
if (!app || !out) {
  console.error('usage: node tools/pack-libs.mjs <app> <out>');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Workspace package name → its directory, for apps/* and libs/*. */
const dirs = new Map();
for (const parent of ['apps', 'libs']) {
  for (const name of readdirSync(join(root, parent))) {
    const manifest = join(root, parent, name, 'package.json');
    if (existsSync(manifest)) dirs.set(readJson(manifest).name, join(parent, name));
  }
}

const appDir = join('apps', app);
if (!existsSync(join(root, appDir, 'package.json'))) {
  console.error(`pack-libs: ${appDir}/package.json not found`);
  process.exit(1);
}
const libs = new Set();
const visit = (dir) => {
  for (const dep of Object.keys(readJson(join(root, dir, 'package.json')).dependencies ?? {})) {
    const depDir = dirs.get(dep);
    if (!depDir || libs.has(depDir)) continue;
    if (!depDir.startsWith('libs/')) {
      console.error(`pack-libs: ${dir} depends on ${dep} (${depDir}), which is not a lib`);
      process.exit(1);
    }
    libs.add(depDir);
    visit(depDir);
  }
};
visit(appDir);

for (const lib of [...libs].sort()) {
  const dist = join(root, lib, 'dist');
  if (!existsSync(dist)) {
    console.error(`pack-libs: ${lib}/dist is missing: compile the lib first (tsc -b ${lib}/tsconfig.lib.json)`);
    process.exit(1);
  }
  mkdirSync(join(out, lib), { recursive: true });
  cpSync(join(root, lib, 'package.json'), join(out, lib, 'package.json'));
  cpSync(dist, join(out, lib, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.tsbuildinfo') });
  console.log(`pack-libs: ${lib}`);
}
if (libs.size === 0) mkdirSync(join(out, 'libs'), { recursive: true });
