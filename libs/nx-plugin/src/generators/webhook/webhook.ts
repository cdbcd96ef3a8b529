import { formatFiles, type Tree } from '@nx/devkit';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addToKustomization } from '../shared/kustomization.ts';
import { insertBeforeMarker } from '../shared/markers.ts';
import { checkVersion, kindNames } from '../shared/names.ts';
import { readOperatorApp } from '../shared/operator-app.ts';
import { GeneratorError, renderFiles, writeNewFiles } from '../shared/write-files.ts';

export interface WebhookGeneratorSchema {
  /** The operator app; may be left out when exactly one app has this kind and version. */
  project?: string;
  apiVersion: string;
  kind: string;
  defaulting?: boolean;
  validation?: boolean;
  conversion?: boolean;
  force?: boolean;
  skipFormat?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The app holding src/api/<version>/<kind>.ts: the one named, or the only one that has it. */
function findProject(tree: Tree, options: WebhookGeneratorSchema, kindFile: string): string {
  const apiFile = (app: string) => `apps/${app}/src/api/${options.apiVersion}/${kindFile}.ts`;
  if (options.project) {
    if (!tree.exists(apiFile(options.project)))
      throw new GeneratorError(
        'NoSuchKind',
        `${apiFile(options.project)} does not exist: create the kind first with \`nx g @kubeloop/nx:api --project ${options.project} --group <group> --api-version ${options.apiVersion} --kind ${options.kind}\``,
      );
    return options.project;
  }
  const apps = tree.exists('apps') ? tree.children('apps').filter((a) => tree.exists(apiFile(a))) : [];
  if (apps.length === 1) return apps[0]!;
  throw new GeneratorError(
    'NoSuchKind',
    apps.length === 0
      ? `no app has src/api/${options.apiVersion}/${kindFile}.ts: create the kind with \`nx g @kubeloop/nx:api\` first`
      : `${apps.join(' and ')} all have ${options.kind} ${options.apiVersion}: say which with --project`,
  );
}

/**
 * `nx g @kubeloop/nx:webhook --project <app> --api-version <v> --kind <Kind> [--defaulting]
 * [--validation] [--conversion]` — kubebuilder's `create webhook`: src/webhooks/<kind>.webhook.ts
 * (default()/validate stubs that accept, and their registration) with its test, wired into
 * manifests.ts (so the manager serves them and `manifests` generates their configurations and,
 * for conversion, the CRD's conversion webhook), and the deploy tree for serving them in a
 * cluster: the webhook Service, the cert-manager Certificate, the manager's webhook port and
 * certificate volume (manager_webhook_patch.yaml).
 */
export async function webhookGenerator(tree: Tree, options: WebhookGeneratorSchema): Promise<void> {
  checkVersion(options.apiVersion);
  const k = kindNames(options.kind);
  const { defaulting = false, validation = false, conversion = false } = options;
  if (!defaulting && !validation && !conversion)
    throw new GeneratorError(
      'BadName',
      'say which webhooks to scaffold: --defaulting, --validation and/or --conversion (as kubebuilder create webhook)',
    );
  const app = readOperatorApp(tree, findProject(tree, options, k.fileName));
  const apiText = tree.read(`${app.root}/src/api/${options.apiVersion}/${k.fileName}.ts`, 'utf-8') ?? '';
  const group = /group:\s*'([^']+)'/.exec(apiText)?.[1];
  if (!group)
    throw new GeneratorError(
      'NoSuchKind',
      `${app.root}/src/api/${options.apiVersion}/${k.fileName}.ts has no \`group: '…'\` literal to derive the webhook paths from`,
    );
  const pathPart = `${group.replace(/\./g, '-')}-${options.apiVersion}-${k.lower}`;
  const namespace = `${app.name}-system`;
  const subs = {
    project: app.name,
    namespace,
    version: options.apiVersion,
    kind: k.kind,
    kindFile: k.fileName,
    lower: k.lower,
    namespacedKind: !/scope:\s*'Cluster'/.test(apiText),
    mutatePath: `/mutate-${pathPart}`,
    validatePath: `/validate-${pathPart}`,
    defaulting,
    validation,
    conversion,
  };
  const force = options.force === true;
  writeNewFiles(tree, join(here, 'files'), '.', subs, force);
  // Shared by every webhook of the app: written once, then the user's (never replaced).
  for (const [path, content] of renderFiles(join(here, 'deploy-files'), '.', subs))
    if (!tree.exists(path)) tree.write(path, content);

  const manifests = `${app.root}/src/manifests.ts`;
  insertBeforeMarker(
    tree,
    manifests,
    'imports',
    `import { setup${k.kind}Webhooks } from './webhooks/${k.fileName}.webhook.ts';`,
  );
  insertBeforeMarker(tree, manifests, 'webhooks', `setup${k.kind}Webhooks(server);`);
  // The placeholder that kept `server` used while no webhook was registered.
  tree.write(manifests, tree.read(manifests, 'utf-8')!.replace(/^[ \t]*void server;\n/m, ''));
  const root = `deploy/${app.name}/kustomization.yaml`;
  addToKustomization(tree, root, 'webhook');
  addToKustomization(tree, root, { path: 'manager_webhook_patch.yaml' }, 'patches');
  if (defaulting || validation)
    addToKustomization(tree, `deploy/${app.name}/webhook/kustomization.yaml`, 'manifests.yaml');
  if (!options.skipFormat) await formatFiles(tree);
}

export default webhookGenerator;
