/// <reference types="vitest/config" />
import { defaultServerConditions, defineConfig, type UserConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * The one vitest configuration every project uses. Tests run from TypeScript sources through
 * the `@kubeloop/source` export condition (no build step), never in watch mode, and each
 * project writes a JSON report that tools/run-tests.mjs sums into the closing
 * `N passed, M failed` line.
 */
export function kubeloopVitest(projectRoot: string, projectName: string, overrides: UserConfig['test'] = {}) {
  // The preset lives at the workspace root, outside every Nx project: were it inside one
  // (it used to be tools/vitest-preset.ts), importing it would make every project depend on
  // that project, and through it on whatever that project imports.
  const workspaceRoot = import.meta.dirname;
  return defineConfig({
    root: projectRoot,
    cacheDir: resolve(workspaceRoot, 'node_modules/.vite', projectName),
    ssr: { resolve: { conditions: ['@kubeloop/source', ...defaultServerConditions] } },
    test: {
      name: projectName,
      watch: false,
      passWithNoTests: true,
      environment: 'node',
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: resolve(workspaceRoot, '.test-results', `${projectName}.json`) },
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
