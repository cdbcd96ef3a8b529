import { readJson, type Tree } from '@nx/devkit';
import { GeneratorError } from './write-files.ts';

export interface OperatorApp {
  name: string;
  root: string;
  domain: string;
  namespaced: boolean;
}

/** An app made by the operator generator: apps/<name> with src/manifests.ts and the domain in its package.json. */
export function readOperatorApp(tree: Tree, name: string): OperatorApp {
  const root = `apps/${name}`;
  if (!tree.exists(`${root}/src/manifests.ts`) || !tree.exists(`${root}/package.json`))
    throw new GeneratorError(
      'NotAnOperator',
      `--project ${name}: ${root}/src/manifests.ts does not exist; create the operator first with \`nx g @kubeloop/nx:operator ${name} --domain <domain>\``,
    );
  const pkg = readJson<{ kubeloop?: { domain?: string; namespaced?: boolean } }>(tree, `${root}/package.json`);
  if (!pkg.kubeloop?.domain)
    throw new GeneratorError(
      'NotAnOperator',
      `${root}/package.json has no "kubeloop": { "domain": … }: add the domain its API groups end with (what \`operator --domain\` records)`,
    );
  return { name, root, domain: pkg.kubeloop.domain, namespaced: pkg.kubeloop.namespaced === true };
}
