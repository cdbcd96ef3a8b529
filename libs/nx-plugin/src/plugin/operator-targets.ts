import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
import { basename, dirname } from 'node:path';

/**
 * How the plugin recognises an operator app: a project under apps/ with `src/manifests.ts`
 * (the `{ app, kinds, controllers, webhooks? }` that `tools/manifests.ts` renders). The app's
 * directory name is its Nx project name and its deploy/<app>/ tree; the workspace scripts the
 * targets call (tools/manifests.ts, tools/deploy.ts) address apps by that name.
 */
export const OPERATOR_GLOB = 'apps/*/src/manifests.ts';

/** The workspace libs and scripts load from TypeScript sources (docs/toolchain.md). */
const TSX = 'tsx --conditions=@kubeloop/source';

export interface OperatorTargetsOptions {
  /** Image used by docker-build when IMAGE is not set; `{app}` is replaced. */
  image?: string;
}

const DEFAULT_IMAGE = 'ghcr.io/kubeloop/{app}:v0.1.0';

/**
 * kubebuilder's Makefile targets as Nx targets, for every operator app, with no line in its
 * project.json or package.json:
 *
 * - `manifests` (cached): CRDs, the manager's role and the webhook configurations, rendered
 *   from the app's TypeScript declarations — its inputs are the app's sources and its
 *   dependencies' production sources; its outputs are exactly the generated files (not the
 *   hand-written kustomization.yaml beside them, which a cache restore must never touch);
 * - `install` / `uninstall` (CRDs only), `deploy` / `undeploy` (the whole kustomize tree),
 *   `build-installer` (dist/<app>/install.yaml): kubectl against the current kubeconfig,
 *   never cached — their effect is on a cluster, not in files Nx could restore;
 * - `serve`: the manager on this machine against the current kubeconfig (`make run`), with its
 *   webhooks served locally and registered by URL;
 * - `docker-build`: the app's image from apps/<app>/Dockerfile.
 *
 * install, deploy, serve and build-installer depend on manifests, as kubebuilder's targets do,
 * so what reaches a cluster is never older than the TypeScript declarations.
 */
export function operatorTargets(
  app: string,
  projectRoot: string,
  options: OperatorTargetsOptions = {},
): Record<string, TargetConfiguration> {
  const cwd = { cwd: '{workspaceRoot}' };
  const kubectl = (command: string, description: string, extra: Partial<TargetConfiguration> = {}) => ({
    command: `${TSX} tools/deploy.ts ${command} ${app}`,
    options: cwd,
    cache: false,
    metadata: { description },
    ...extra,
  });
  const image = (options.image ?? DEFAULT_IMAGE).replace('{app}', app);
  const targets: Record<string, TargetConfiguration> = {
    manifests: {
      command: `${TSX} tools/manifests.ts ${app}`,
      options: cwd,
      cache: true,
      inputs: [
        '{projectRoot}/src/**/*.ts',
        '!{projectRoot}/src/**/*.spec.ts',
        '!{projectRoot}/src/**/*.test-helpers.ts',
        '^production',
        '{workspaceRoot}/tools/manifests.ts',
        '{workspaceRoot}/tools/generate-manifests.ts',
        { externalDependencies: ['yaml', '@sinclair/typebox'] },
      ],
      outputs: [
        `{workspaceRoot}/deploy/${app}/crd/*_*.yaml`,
        `{workspaceRoot}/deploy/${app}/rbac/role.yaml`,
        `{workspaceRoot}/deploy/${app}/webhook/manifests.yaml`,
      ],
      metadata: { description: `Generate deploy/${app}/ CRDs, RBAC role and webhook configurations` },
    },
    install: kubectl('install', `Install the CRDs of ${app} into the current cluster`, { dependsOn: ['manifests'] }),
    uninstall: kubectl('uninstall', `Remove the CRDs of ${app} (and every object of their kinds)`),
    deploy: kubectl('deploy', `Deploy the ${app} manager to the current cluster and wait for the rollout`, {
      dependsOn: ['manifests'],
    }),
    undeploy: kubectl('undeploy', `Remove everything deploy created`),
    'build-installer': kubectl(
      'build-installer',
      `Write dist/${app}/install.yaml: the whole operator in one file for kubectl apply -f`,
      { dependsOn: ['manifests'], outputs: [`{workspaceRoot}/dist/${app}/install.yaml`] },
    ),
    serve: {
      command: `${TSX} ${projectRoot}/src/main.ts --local-webhooks`,
      options: cwd,
      continuous: true,
      cache: false,
      dependsOn: ['manifests'],
      metadata: { description: `Run the ${app} manager here against the current kubeconfig (make run)` },
    },
    'docker-build': {
      command: `docker build -f ${projectRoot}/Dockerfile -t \${IMAGE:-${image}} .`,
      options: cwd,
      cache: false,
      metadata: { description: `Build the ${app} manager image (IMAGE=<registry>/${app}:<tag> to name it)` },
    },
  };
  return targets;
}

export const createNodes: CreateNodes<OperatorTargetsOptions> = [
  OPERATOR_GLOB,
  (files, options) =>
    files.map((file) => {
      const projectRoot = dirname(dirname(file));
      const app = basename(projectRoot);
      return [
        file,
        {
          projects: {
            [projectRoot]: {
              targets: operatorTargets(app, projectRoot, options ?? {}),
              metadata: {
                targetGroups: {
                  operator: ['manifests', 'install', 'uninstall', 'serve', 'deploy', 'undeploy'],
                  release: ['docker-build', 'build-installer'],
                },
              },
            },
          },
        },
      ] as const;
    }),
];
