import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkWorkspace,
  formatViolation,
  importsOf,
  loadWorkspace,
  type Project,
  type SourceFile,
} from './dependency-rules.ts';

const lib = (name: string, deps: string[] = [], devDeps: string[] = []): Project => ({
  name,
  kind: 'lib',
  root: `libs/${name}`,
  packageName: `@kubeloop/${name}`,
  dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
  devDependencies: Object.fromEntries(devDeps.map((d) => [d, '*'])),
});
const app = (
  name: string,
  deps: string[] = ['@kubeloop/runtime', '@kubeloop/reconcile'],
  devDeps: string[] = ['@kubeloop/envtest'],
): Project => ({
  ...lib(name, deps, devDeps),
  kind: 'app',
  root: `apps/${name}`,
});

/** A healthy workspace shaped like ours; each test breaks one thing. */
const projects = (): Project[] => [
  lib('certs'),
  lib('runtime', ['@kubeloop/certs', '@kubernetes/client-node', 'pino'], ['@kubeloop/envtest']),
  lib('reconcile', ['@kubeloop/runtime'], ['@kubeloop/envtest']),
  lib('local-apiserver', ['@kubeloop/certs']),
  lib('envtest', ['@kubeloop/local-apiserver', '@kubeloop/certs', '@kubernetes/client-node']),
  app('math'),
  app('markdown-view'),
];
const file = (project: string, path: string, text: string): SourceFile => ({ project, path, text });

function check(files: SourceFile[], ps = projects()) {
  return checkWorkspace(ps, files);
}

describe('importsOf', () => {
  it('finds static, type-only, re-export and literal dynamic imports with their lines', () => {
    const refs = importsOf(
      [
        `import { a } from 'x';`,
        `import type { B } from '@s/y';`,
        `export * from './z.ts';`,
        `const m = await import('dyn');`,
        `// import 'commented-out';`,
        `const s = "import 'in-a-string'";`,
      ].join('\n'),
    );
    expect(refs).toEqual([
      { spec: 'x', line: 1 },
      { spec: '@s/y', line: 2 },
      { spec: './z.ts', line: 3 },
      { spec: 'dyn', line: 4 },
    ]);
  });
});

describe('dependency rules on synthetic workspaces', () => {
  it('accepts code that follows the rules', () => {
    const v = check([
      file(
        'runtime',
        'libs/runtime/src/client.ts',
        `import https from 'node:https';\nimport { KubeConfig } from '@kubernetes/client-node';\nimport { createCA } from '@kubeloop/certs';\nimport { x } from './x.ts';`,
      ),
      file(
        'runtime',
        'libs/runtime/src/client.spec.ts',
        `import { startControlPlane } from '@kubeloop/envtest';\nimport { it } from 'vitest';`,
      ),
      file(
        'math',
        'apps/math/src/main.ts',
        `import { Manager } from '@kubeloop/runtime';\nimport { createOrUpdate } from '@kubeloop/reconcile';\nimport { t } from '../src/api/t.ts';`,
      ),
      file(
        'math',
        'apps/math/test/tuple.spec.ts',
        `import { startControlPlane } from '@kubeloop/envtest';\nimport { Tuple } from '../src/api/v1beta1/tuple.ts';`,
      ),
      file(
        'certs',
        'libs/certs/src/pki.ts',
        `import { generateKeyPairSync } from 'crypto';\nimport { x } from 'node:fs';`,
      ),
    ]);
    expect(v.map(formatViolation)).toEqual([]);
  });

  it('an app’s e2e/ suite is test code: envtest and its own src are fine, another app or a deep import is not', () => {
    expect(
      check([
        file(
          'math',
          'apps/math/e2e/math.spec.ts',
          `import { connectCluster } from '@kubeloop/envtest';\nimport { Tuple } from '../src/api/v1beta1/tuple.ts';`,
        ),
        file('math', 'apps/math/e2e/expected.ts', `import { step } from '@kubeloop/envtest';`),
        file('math', 'apps/math/e2e/vitest.config.ts', `import { kubeloopVitest } from '../../../vitest-preset.ts';`),
      ]),
    ).toEqual([]);
    const v = check([
      file('math', 'apps/math/e2e/helper.ts', `import { x } from '../../markdown-view/src/a.ts';`),
      file('math', 'apps/math/e2e/deep.ts', `import { y } from '@kubeloop/envtest/src/e2e/cluster.ts';`),
    ]);
    expect(v.map((x) => [x.rule, x.file])).toEqual([
      ['apps-never-import-apps', 'apps/math/e2e/helper.ts'],
      ['no-deep-imports', 'apps/math/e2e/deep.ts'],
    ]);
  });

  it('envtest only in tests: production code of an app or lib importing it fails', () => {
    const v = check([file('math', 'apps/math/src/main.ts', `import { eventually } from '@kubeloop/envtest';`)]);
    expect(v).toMatchObject([
      { rule: 'envtest-only-in-tests', file: 'apps/math/src/main.ts', line: 1, import: '@kubeloop/envtest' },
    ]);
    const v2 = check([
      file(
        'reconcile',
        'libs/reconcile/src/helpers.test-helpers.ts',
        `import { eventually } from '@kubeloop/envtest';`,
      ),
    ]);
    expect(v2).toEqual([]);
  });

  it('envtest in an app’s package.json dependencies (not devDependencies) fails', () => {
    const ps = projects().map((p) =>
      p.name === 'math' ? app('math', ['@kubeloop/runtime', '@kubeloop/envtest'], []) : p,
    );
    expect(check([], ps)).toMatchObject([
      { rule: 'envtest-only-in-tests', file: 'apps/math/package.json', import: '@kubeloop/envtest' },
    ]);
  });

  it('no deep imports into another project', () => {
    const v = check([
      file('math', 'apps/math/src/a.ts', `import { Client } from '@kubeloop/runtime/src/client/client.ts';`),
    ]);
    expect(v).toMatchObject([{ rule: 'no-deep-imports', import: '@kubeloop/runtime/src/client/client.ts' }]);
  });

  it('apps never import apps, by package name or by relative path', () => {
    const v = check([
      file('math', 'apps/math/src/a.ts', `import { x } from '@kubeloop/markdown-view';`),
      file('markdown-view', 'apps/markdown-view/src/b.ts', `import { y } from '../../math/src/api/v1beta1/tuple.ts';`),
    ]);
    expect(v.map((x) => [x.rule, x.file])).toEqual([
      ['apps-never-import-apps', 'apps/math/src/a.ts'],
      ['apps-never-import-apps', 'apps/markdown-view/src/b.ts'],
    ]);
  });

  it('relative imports may not reach into a lib either', () => {
    const v = check([file('math', 'apps/math/src/a.ts', `import { x } from '../../../libs/runtime/src/index.ts';`)]);
    expect(v).toMatchObject([
      { rule: 'relative-import-escapes-project', import: '../../../libs/runtime/src/index.ts' },
    ]);
    expect(v[0]!.message).toContain('@kubeloop/runtime');
  });

  it('local-apiserver never imports runtime or reconcile, not even in tests', () => {
    const v = check([
      file('local-apiserver', 'libs/local-apiserver/src/server.ts', `import { Client } from '@kubeloop/runtime';`),
      file(
        'local-apiserver',
        'libs/local-apiserver/src/server.spec.ts',
        `import { createOrUpdate } from '@kubeloop/reconcile';`,
      ),
    ]);
    expect(v.map((x) => x.rule)).toEqual(['local-apiserver-independent', 'local-apiserver-independent']);
  });

  it('libs import only the workspace projects the table allows', () => {
    const v = check([
      file('runtime', 'libs/runtime/src/a.ts', `import { createOrUpdate } from '@kubeloop/reconcile';`),
      file('certs', 'libs/certs/src/a.ts', `import { Client } from '@kubeloop/runtime';`),
      file('envtest', 'libs/envtest/src/a.ts', `import { Client } from '@kubeloop/runtime';`),
    ]);
    expect(v.map((x) => [x.rule, x.file])).toEqual([
      ['allowed-workspace-deps', 'libs/runtime/src/a.ts'],
      ['allowed-workspace-deps', 'libs/certs/src/a.ts'],
      ['allowed-workspace-deps', 'libs/envtest/src/a.ts'],
    ]);
  });

  it('certs uses node built-ins only; runtime only its listed libraries', () => {
    const v = check([
      file('certs', 'libs/certs/src/a.ts', `import forge from 'node-forge';`),
      file('runtime', 'libs/runtime/src/a.ts', `import express from 'express';`),
    ]);
    expect(v.map((x) => [x.rule, x.import])).toEqual([
      ['allowed-external-deps', 'node-forge'],
      ['allowed-external-deps', 'express'],
    ]);
  });

  it('every imported package must be declared in the project’s package.json', () => {
    const v = check([
      file('math', 'apps/math/src/a.ts', `import pino from 'pino';`),
      file('math', 'apps/math/src/a.spec.ts', `import { it } from 'vitest';\nimport request from 'supertest';`),
      file(
        'reconcile',
        'libs/reconcile/src/a.ts',
        `import { Client } from '@kubeloop/runtime';\nimport { eventually } from '@kubeloop/envtest';`,
      ),
    ]);
    expect(v.map((x) => [x.rule, x.import])).toEqual([
      ['declared-dependency', 'pino'],
      ['declared-dependency', 'supertest'],
      ['envtest-only-in-tests', '@kubeloop/envtest'],
    ]);
  });

  it('package.json may not declare a forbidden workspace dependency', () => {
    const ps = projects().map((p) =>
      p.name === 'local-apiserver' ? lib('local-apiserver', ['@kubeloop/certs'], ['@kubeloop/runtime']) : p,
    );
    expect(check([], ps)).toMatchObject([
      { rule: 'allowed-workspace-deps', file: 'libs/local-apiserver/package.json', import: '@kubeloop/runtime' },
    ]);
  });

  it('config files at a project root may import the root preset but nothing inside tools/', () => {
    const v = check([
      file('math', 'apps/math/vitest.config.ts', `import { kubeloopVitest } from '../../vitest-preset.ts';`),
      file(
        'runtime',
        'libs/runtime/vitest.config.ts',
        `import { kubeloopVitest } from '../../tools/vitest-preset.ts';`,
      ),
    ]);
    expect(v).toMatchObject([{ rule: 'no-imports-from-tools', file: 'libs/runtime/vitest.config.ts', line: 1 }]);
  });

  it('a project with no rule is reported instead of passing silently', () => {
    const ps = [...projects(), lib('new-thing')];
    expect(check([], ps)).toMatchObject([{ rule: 'unknown-project', file: 'libs/new-thing/package.json' }]);
  });

  it('formats a violation with file, line, import and rule', () => {
    const [v] = check([file('math', 'apps/math/src/main.ts', `\nimport { eventually } from '@kubeloop/envtest';`)]);
    expect(formatViolation(v!)).toBe(
      `apps/math/src/main.ts:2 imports '@kubeloop/envtest' — [envtest-only-in-tests] production code of math imports @kubeloop/envtest: envtest is for tests only (*.spec.ts, test/)`,
    );
  });
});

describe('loadWorkspace', () => {
  it('reads package.json, src/, test/ and root config files of apps and libs, and the checker sees their violations', () => {
    const root = mkdtempSync(join(tmpdir(), 'dep-rules-'));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      put('libs/runtime/package.json', JSON.stringify({ name: '@kubeloop/runtime', nx: { name: 'runtime' } }));
      put('libs/runtime/src/index.ts', `export const x = 1;\n`);
      put(
        'apps/math/package.json',
        JSON.stringify({ name: '@kubeloop/math', dependencies: { '@kubeloop/runtime': '*' } }),
      );
      put('apps/math/src/main.ts', `import { x } from '@kubeloop/runtime/src/index.ts';\n`);
      put('apps/math/test/it.spec.ts', `import { y } from '../../../libs/runtime/src/index.ts';\n`);
      put('apps/math/vitest.config.ts', `import { p } from '../../tools/vitest-preset.ts';\n`);
      put('apps/math/dist/ignored.ts', `import 'anything';\n`);
      const { projects, files } = loadWorkspace(root);
      expect(projects.map((p) => [p.name, p.kind, p.root])).toEqual([
        ['math', 'app', 'apps/math'],
        ['runtime', 'lib', 'libs/runtime'],
      ]);
      expect(files.map((f) => f.path)).toEqual([
        'apps/math/src/main.ts',
        'apps/math/test/it.spec.ts',
        'apps/math/vitest.config.ts',
        'libs/runtime/src/index.ts',
      ]);
      expect(checkWorkspace(projects, files).map((v) => v.rule)).toEqual([
        'no-deep-imports',
        'relative-import-escapes-project',
        'no-imports-from-tools',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the kubeloop workspace', () => {
  it('follows the dependency rules of docs/architecture.md', () => {
    const { projects, files } = loadWorkspace(resolve(import.meta.dirname, '..'));
    expect(projects.map((p) => p.name)).toEqual(
      expect.arrayContaining(['runtime', 'reconcile', 'local-apiserver', 'envtest', 'certs', 'math']),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => f.path)).toContain('libs/envtest/vitest.config.ts');
    expect(checkWorkspace(projects, files).map(formatViolation)).toEqual([]);
  });
});
