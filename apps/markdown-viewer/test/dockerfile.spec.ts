import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * There is no Docker engine on the machines that run these tests, so the Dockerfile is checked
 * statically for the properties that matter: several stages, a non-root small runtime without
 * dev dependencies, sources that exist, and an entry point that the TypeScript build produces.
 */
const appRoot = resolve(import.meta.dirname, '..');
const workspaceRoot = resolve(appRoot, '..', '..');
const dockerfile = readFileSync(resolve(appRoot, 'Dockerfile'), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

const all = instructions(dockerfile);
const stages: Instruction[][] = [];
for (const instruction of all) {
  if (instruction.op === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const final = stages.at(-1)!;

describe('markdown-viewer Dockerfile', () => {
  it('is multi-stage and the runtime stage is a small non-root image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const args = Object.fromEntries(
      all.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]),
    );
    const base = final[0]!.args.replace(/\$\{(\w+)\}/g, (_, name: string) => args[name] ?? '');
    expect(base).toMatch(/distroless|alpine|slim/);
    const user = final.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('copies only production dependencies into the runtime', () => {
    const nodeModulesCopy = final.find((i) => i.op === 'COPY' && i.args.includes('node_modules'))!;
    const fromStage = /--from=(\S+)/.exec(nodeModulesCopy.args)![1]!;
    const stage = stages.find((s) => s[0]!.args.split(/\s+AS\s+/i)[1] === fromStage)!;
    const install = stage.find((i) => i.op === 'RUN' && i.args.includes('npm ci'))!;
    expect(install.args).toContain('--omit=dev');
    expect(install.args).toContain('--workspace @kubeloop/markdown-viewer');
    expect(final.some((i) => i.op === 'RUN')).toBe(false);
  });

  it('starts the compiled main.ts on the documented port', () => {
    const tsconfig = JSON.parse(readFileSync(resolve(appRoot, 'tsconfig.lib.json'), 'utf8'));
    expect(tsconfig.compilerOptions.outDir).toBe('dist');
    expect(existsSync(resolve(appRoot, 'src/main.ts'))).toBe(true);
    expect(final.find((i) => i.op === 'CMD')!.args).toBe('["dist/main.js"]');
    expect(final.find((i) => i.op === 'EXPOSE')!.args).toBe('3000');
    expect(final.find((i) => i.op === 'ENV')!.args).toMatch(/BOOK_DIR=\/book\/src/);
    // ESM output needs "type": "module" beside dist/.
    expect(final.some((i) => i.op === 'COPY' && i.args.startsWith('apps/markdown-viewer/package.json'))).toBe(true);
    expect(JSON.parse(readFileSync(resolve(appRoot, 'package.json'), 'utf8')).type).toBe('module');
  });

  it('names only sources that exist in the build context', () => {
    for (const copy of all.filter((i) => i.op === 'COPY' && !i.args.includes('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(resolve(workspaceRoot, source)), source).toBe(true);
    }
  });

  it('keeps node_modules and build output out of the build context', () => {
    const ignore = readFileSync(resolve(appRoot, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git']) expect(ignore).toContain(entry);
  });
});
