import { formatFiles, installPackagesTask, names, updateJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAppName, checkDomain } from '../shared/names.ts';
import { writeNewFiles } from '../shared/write-files.ts';

export interface OperatorGeneratorSchema {
  name: string;
  domain: string;
  namespaced?: boolean;
  force?: boolean;
  skipFormat?: boolean;
  /** Leave `npm install` (which records the new workspace package in package-lock.json) to you. */
  skipInstall?: boolean;
}

/**
 * `nx g @kubeloop/nx:operator <name> --domain <domain> [--namespaced]` — kubebuilder's `init`:
 * apps/<name> (manager main.ts with the manager's flags, setup.ts, manifests.ts, README,
 * vitest config, test harness; its image is the workspace Dockerfile with APP=<name>) and the
 * deploy/<name>/ kustomize tree (namespace,
 * manager Deployment and metrics Service, RBAC with leader election, crd/ and samples/ for the
 * kinds `api` adds). `--namespaced`: the manager watches only WATCH_NAMESPACE (the Deployment
 * sets it to its own namespace) and its RBAC is a Role + RoleBinding there.
 */
export async function operatorGenerator(tree: Tree, options: OperatorGeneratorSchema): Promise<GeneratorCallback> {
  checkAppName(options.name);
  checkDomain(options.domain);
  const namespaced = options.namespaced === true;
  writeNewFiles(
    tree,
    join(dirname(fileURLToPath(import.meta.url)), 'files'),
    '.',
    {
      name: options.name,
      className: names(options.name).className,
      domain: options.domain,
      namespaced,
      namespace: `${options.name}-system`,
    },
    options.force === true,
  );
  // The root project references (what `nx sync` would add), so typecheck sees the app at once.
  if (tree.exists('tsconfig.json'))
    updateJson(tree, 'tsconfig.json', (json: { references?: { path: string }[] }) => {
      const path = `./apps/${options.name}`;
      if (!json.references?.some((r) => r.path === path)) json.references = [...(json.references ?? []), { path }];
      return json;
    });
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    // A new npm workspace package: package-lock.json must list it, or `npm ci` refuses the lockfile.
    if (!options.skipInstall) installPackagesTask(tree, true);
    console.log(
      `\nNext: npx nx g @kubeloop/nx:api --project ${options.name} --group <group> --api-version v1 --kind <Kind>`,
    );
  };
}

export default operatorGenerator;
