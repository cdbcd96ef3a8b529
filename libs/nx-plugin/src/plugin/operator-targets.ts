import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * How the plugin recognises an operator app: a project under apps/ with `src/manifests.ts`
 * (the `{ app, kinds, controllers, webhooks? }` that `tools/manifests.ts` renders). The app's
 * directory name is its Nx project name and its deploy/<app>/ tree; the workspace scripts the
 * targets call (tools/manifests.ts, tools/deploy.ts) address apps by that name.
 */
export const OPERATOR_GLOB = 'apps/*/src/manifests.ts';

/** The workspace libs and scripts load from TypeScript sources (docs/toolchain.md). */
const TSX = 'tsx --conditions=@kubeloop/source';

/** Local runs serve no metrics (kubebuilder's `make run` default) and probes on a free port. */
const LOCAL_PORTS = '--metrics-bind-address=0 --health-probe-bind-address=:0';

/** The plugin takes no options (yet); nx.json lists it as `"@kubeloop/nx"`. */
export type OperatorTargetsOptions = Record<string, never>;

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
 * - `docker-build`: the app's image from the workspace Dockerfile (APP=<app>), tagged $IMG or
 *   what deploy/<app> runs;
 * - `e2e`, for apps with an `e2e/vitest.config.ts`: the end-to-end suite against the current
 *   kubeconfig's cluster (never cached).
 *
 * install, deploy, serve and build-installer depend on manifests, as kubebuilder's targets do,
 * so what reaches a cluster is never older than the TypeScript declarations.
 */
export function operatorTargets(
  app: string,
  projectRoot: string,
  _options: OperatorTargetsOptions = {},
  workspaceRoot = '.',
): Record<string, TargetConfiguration> {
  const cwd = { cwd: '{workspaceRoot}' };
  const kubectl = (command: string, description: string, extra: Partial<TargetConfiguration> = {}) => ({
    command: `${TSX} tools/deploy.ts ${command} ${app}`,
    options: cwd,
    cache: false,
    metadata: { description },
    ...extra,
  });
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
      // tools/serve.ts stops the manager when the Nx command is gone (a SIGTERM to `npx nx`
      // ends only npm); metrics off and probes on a free port, so managers run side by side.
      command: `node --import tsx --conditions=@kubeloop/source tools/serve.ts ${projectRoot}/src/main.ts --local-webhooks ${LOCAL_PORTS}`,
      options: cwd,
      continuous: true,
      cache: false,
      dependsOn: ['manifests'],
      metadata: { description: `Run the ${app} manager here against the current kubeconfig (make run)` },
    },
    'docker-build': kubectl(
      'docker-build',
      `Build the ${app} manager image from the workspace Dockerfile (APP=${app}; IMG=<registry>/${app}:<tag> to name it, default: the image deploy/${app} runs)`,
    ),
  };
  if (existsSync(join(workspaceRoot, projectRoot, 'e2e', 'vitest.config.ts'))) {
    targets['e2e'] = {
      command: `vitest run --config ${projectRoot}/e2e/vitest.config.ts`,
      options: cwd,
      cache: false,
      metadata: {
        description: `End-to-end suite of ${app} against the current kubeconfig's cluster (README, "End-to-end tests")`,
      },
    };
  }
  return targets;
}

export const createNodes: CreateNodes<OperatorTargetsOptions> = [
  OPERATOR_GLOB,
  (files, options, context) =>
    files.map((file) => {
      const projectRoot = dirname(dirname(file));
      const app = basename(projectRoot);
      return [
        file,
        {
          projects: {
            [projectRoot]: {
              targets: operatorTargets(app, projectRoot, options ?? {}, context.workspaceRoot),
              metadata: {
                targetGroups: {
                  operator: ['manifests', 'install', 'uninstall', 'serve', 'deploy', 'undeploy'],
                  release: ['docker-build', 'build-installer', 'e2e'],
                },
              },
            },
          },
        },
      ] as const;
    }),
];
