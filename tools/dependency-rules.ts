import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The dependency rules of docs/architecture.md as data, and a checker that reads every
 * project's imports and package.json against them. The point of the rules: libs stay
 * independently testable (local-apiserver must remain an independent model of the API server,
 * so it can catch the runtime's mistakes instead of sharing them), apps stay deployable alone,
 * and test-only machinery (envtest) never ships in a manager image.
 */

export type ProjectKind = 'app' | 'lib';

export interface Project {
  /** Nx name = directory name: `runtime`, `math`. */
  name: string;
  kind: ProjectKind;
  /** Workspace-relative, posix: `libs/runtime`. */
  root: string;
  packageName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

export interface SourceFile {
  project: string;
  /** Workspace-relative, posix. */
  path: string;
  text: string;
}

export interface Violation {
  rule: string;
  file: string;
  line?: number;
  import?: string;
  message: string;
}

interface LibRule {
  /** Workspace projects production code may import. */
  workspace: string[];
  /** Non-workspace packages production code may import; undefined = any declared dependency. */
  external?: string[];
  /** Extra workspace projects tests may import. */
  testWorkspace: string[];
  /**
   * A development tool that never ships in an image: its imports are declared in
   * devDependencies (so `npm prune --omit=dev` in the Dockerfiles drops them).
   */
  devOnly?: boolean;
}

/**
 * What each lib's production code may import (the architecture table, plus libs/certs: node
 * built-ins only, usable by runtime, local-apiserver and envtest). Apps share one rule below.
 */
export const LIB_RULES: Record<string, LibRule> = {
  certs: { workspace: [], external: [], testWorkspace: [] },
  runtime: {
    workspace: ['certs'],
    // client-node for kubeconfig/auth, pino logs, prom-client metrics, typebox for kinds-as-values
    // (re-exported as Type/Static), yaml for generated manifests.
    external: ['@kubernetes/client-node', 'pino', 'prom-client', '@sinclair/typebox', 'yaml'],
    testWorkspace: ['envtest'],
  },
  reconcile: { workspace: ['runtime'], testWorkspace: ['envtest'] },
  // Never runtime/reconcile, and never envtest (which is built on it): it must stay an independent model.
  'local-apiserver': { workspace: ['certs'], testWorkspace: [] },
  envtest: { workspace: ['local-apiserver', 'certs'], testWorkspace: [] },
  // The Nx plugin (@kubeloop/nx): generators write apps as text, they never import the libs.
  'nx-plugin': { workspace: [], external: ['@nx/devkit', 'yaml'], testWorkspace: [], devOnly: true },
};

export const APP_RULE: LibRule = { workspace: ['runtime', 'reconcile'], testWorkspace: ['envtest'] };

/** Packages every project's tests may use without declaring them: the workspace's test toolchain. */
export const TEST_TOOLCHAIN = ['vitest', '@vitest/coverage-v8', 'vite', 'typescript', 'tsx', 'yaml', '@types/node'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]!);
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`. */
export function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Test code: spec files, test helpers, and anything under the project's test/ directory,
 * conformance/ (local-apiserver's differential suite: its harness, cases and recorder) or e2e/
 * (an app's end-to-end suite).
 */
export function isTestFile(project: Project, path: string): boolean {
  const inProject = posix.relative(project.root, path);
  return (
    /\.(spec|test)\.tsx?$/.test(path) ||
    /\.test-helpers\.ts$/.test(path) ||
    inProject.startsWith('test/') ||
    inProject.startsWith('conformance/') ||
    inProject.startsWith('e2e/')
  );
}

/** Files at the project root (vitest.config.ts and the like) and the e2e suite's vitest config. */
export function isConfigFile(project: Project, path: string): boolean {
  const inProject = posix.relative(project.root, path);
  return !inProject.includes('/') || inProject === 'e2e/vitest.config.ts';
}

export interface ImportRef {
  spec: string;
  line: number;
}

/** Every module specifier a file names: static imports, re-exports, `import type`, dynamic import() with a literal. */
export function importsOf(text: string): ImportRef[] {
  const info = ts.preProcessFile(text, true, true);
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return info.importedFiles.map((f) => ({ spec: f.fileName, line: lineOf(f.pos) }));
}

function ruleFor(project: Project): LibRule | undefined {
  return project.kind === 'app' ? APP_RULE : LIB_RULES[project.name];
}

/** Checks source files and package.json dependencies of all projects; returns every broken rule. */
export function checkWorkspace(projects: Project[], files: SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  const byName = new Map(projects.map((p) => [p.name, p]));
  const byPackage = new Map(projects.map((p) => [p.packageName, p]));

  for (const project of projects) {
    const rule = ruleFor(project);
    if (!rule) {
      violations.push({
        rule: 'unknown-project',
        file: `${project.root}/package.json`,
        message: `${project.root} has no dependency rule: add it to LIB_RULES in tools/dependency-rules.ts and the table in docs/architecture.md`,
      });
      continue;
    }
    const pkgFile = `${project.root}/package.json`;
    const checkDeclared = (deps: Record<string, string>, field: string, allowed: string[]) => {
      for (const dep of Object.keys(deps)) {
        const target = byPackage.get(dep);
        if (!target || target.name === project.name) continue;
        if (!allowed.includes(target.name)) {
          violations.push({
            rule:
              target.kind === 'app' && project.kind === 'app'
                ? 'apps-never-import-apps'
                : target.name === 'envtest' && rule.testWorkspace.includes('envtest')
                  ? 'envtest-only-in-tests'
                  : 'allowed-workspace-deps',
            file: pkgFile,
            import: dep,
            message: `${field} of ${project.name} lists ${dep}, but ${project.name} may only depend on ${allowed.join(', ') || 'no workspace project'}${field === 'dependencies' && rule.testWorkspace.includes(target.name) ? ` (${target.name} is allowed in devDependencies only: tests)` : ''}`,
          });
        }
      }
    };
    checkDeclared(project.dependencies, 'dependencies', rule.workspace);
    checkDeclared(project.devDependencies, 'devDependencies', [...rule.workspace, ...rule.testWorkspace]);
  }

  for (const file of files) {
    const project = byName.get(file.project);
    const rule = project && ruleFor(project);
    if (!project || !rule) continue;
    if (isConfigFile(project, file.path)) {
      for (const { spec, line } of importsOf(file.text)) {
        if (!spec.startsWith('.')) continue;
        const resolved = posix.normalize(posix.join(posix.dirname(file.path), spec));
        if (resolved.startsWith('tools/')) {
          violations.push({
            file: file.path,
            line,
            import: spec,
            rule: 'no-imports-from-tools',
            message: `${spec} is inside tools/ (Nx project workspace-tools, which imports runtime and the apps): importing it makes ${project.name} depend on them, a build cycle. Shared config lives at the workspace root (vitest-preset.ts)`,
          });
        }
      }
      continue;
    }
    const test = isTestFile(project, file.path);
    const allowedWorkspace = test ? [...rule.workspace, ...rule.testWorkspace] : rule.workspace;
    for (const { spec, line } of importsOf(file.text)) {
      const at = { file: file.path, line, import: spec };
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const resolved = posix.normalize(posix.join(posix.dirname(file.path), spec));
        if (spec.startsWith('/') || !(resolved === project.root || resolved.startsWith(`${project.root}/`))) {
          const other = projects.find((p) => resolved.startsWith(`${p.root}/`));
          violations.push({
            ...at,
            rule:
              other?.kind === 'app' && project.kind === 'app'
                ? 'apps-never-import-apps'
                : 'relative-import-escapes-project',
            message: `${spec} reaches outside ${project.root}${other ? ` into ${other.root}` : ''}: import other projects by package name (${other?.packageName ?? '@kubeloop/<lib>'}), through their src/index.ts`,
          });
        }
        continue;
      }
      if (isBuiltin(spec)) continue;
      const pkg = packageOf(spec);
      const target = byPackage.get(pkg);
      if (target) {
        if (spec !== pkg) {
          violations.push({
            ...at,
            rule: 'no-deep-imports',
            message: `${spec} imports a file inside ${pkg}: use what ${pkg} exports from its src/index.ts (export it there if it is public)`,
          });
        }
        if (target.name === project.name) continue;
        if (target.kind === 'app' && project.kind === 'app') {
          violations.push({
            ...at,
            rule: 'apps-never-import-apps',
            message: `app ${project.name} imports app ${target.name}: share code through a lib instead`,
          });
        } else if (project.name === 'local-apiserver' && (target.name === 'runtime' || target.name === 'reconcile')) {
          violations.push({
            ...at,
            rule: 'local-apiserver-independent',
            message: `local-apiserver imports ${pkg}: it must stay an independent model of the API server, never built on the runtime it tests`,
          });
        } else if (target.name === 'envtest' && !test && rule.testWorkspace.includes('envtest')) {
          violations.push({
            ...at,
            rule: 'envtest-only-in-tests',
            message: `production code of ${project.name} imports @kubeloop/envtest: envtest is for tests only (*.spec.ts, test/)`,
          });
        } else if (!allowedWorkspace.includes(target.name)) {
          violations.push({
            ...at,
            rule: 'allowed-workspace-deps',
            message: `${project.name}${test ? ' tests' : ''} may import ${allowedWorkspace.map((n) => byName.get(n)?.packageName ?? n).join(', ') || 'no workspace project'}, not ${pkg}`,
          });
        } else if (!(pkg in project.dependencies) && !(test && pkg in project.devDependencies)) {
          violations.push({
            ...at,
            rule: 'declared-dependency',
            message: `${pkg} is imported but not declared in ${project.root}/package.json ${test ? 'dependencies or devDependencies' : 'dependencies'}`,
          });
        }
        continue;
      }
      // A third-party package.
      if (!test && rule.external && !rule.external.includes(pkg)) {
        violations.push({
          ...at,
          rule: 'allowed-external-deps',
          message: `${project.name} may import ${rule.external.length ? `${rule.external.join(', ')} and ` : ''}node built-ins only, not ${pkg}`,
        });
        continue;
      }
      const declared =
        pkg in project.dependencies ||
        ((test || rule.devOnly) && pkg in project.devDependencies) ||
        (test && TEST_TOOLCHAIN.includes(pkg));
      const typesOnly = pkg.startsWith('@types/');
      if (!declared && !typesOnly) {
        violations.push({
          ...at,
          rule: 'declared-dependency',
          message: `${pkg} is imported but not declared in ${project.root}/package.json ${test || rule.devOnly ? 'dependencies or devDependencies' : 'dependencies'}`,
        });
      }
    }
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}${v.line ? `:${v.line}` : ''}${v.import ? ` imports '${v.import}'` : ''} — [${v.rule}] ${v.message}`;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'out-tsc') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mts|cts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
}

/** Reads apps/* and libs/* of the workspace at root: package.json, src/**, test/**, conformance/** and e2e/** sources, and root-level config files. */
export function loadWorkspace(root: string): { projects: Project[]; files: SourceFile[] } {
  const projects: Project[] = [];
  const files: SourceFile[] = [];
  for (const [dir, kind] of [
    ['apps', 'app'],
    ['libs', 'lib'],
  ] as const) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const pkgPath = join(base, name, 'package.json');
      if (!existsSync(pkgPath)) continue;
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
        name: string;
        nx?: { name?: string };
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const project: Project = {
        name: pkg.nx?.name ?? name,
        kind,
        root: `${dir}/${name}`,
        packageName: pkg.name,
        dependencies: pkg.dependencies ?? {},
        devDependencies: pkg.devDependencies ?? {},
      };
      projects.push(project);
      const sources: string[] = [];
      walk(join(base, name, 'src'), sources);
      walk(join(base, name, 'test'), sources);
      walk(join(base, name, 'conformance'), sources);
      walk(join(base, name, 'e2e'), sources);
      for (const f of readdirSync(join(base, name))) {
        if (/\.(ts|mts|cts)$/.test(f) && !f.endsWith('.d.ts')) sources.push(join(base, name, f));
      }
      for (const full of sources.sort()) {
        files.push({ project: project.name, path: toPosix(relative(root, full)), text: readFileSync(full, 'utf8') });
      }
    }
  }
  return { projects, files };
}
