import { join } from 'node:path';
import { runCommand, runKubectl, type CommandResult } from '../command.ts';
import { EnvtestError } from '../errors.ts';
import { eventually } from '../eventually.ts';
import { renderKustomizations } from '../kustomize.ts';
import { loadManifests } from '../manifest-input.ts';
import type { E2ECluster } from './cluster.ts';
import { buildImage, type BuiltImage } from './images.ts';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface ContainerLike {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}

/** An operator's deploy tree as kustomize renders it, and its manager Deployment. */
export interface OperatorTree {
  app: string;
  objects: Obj[];
  manager: {
    namespace: string;
    name: string;
    /** `a=b,c=d`, the Deployment's pod selector. */
    selector: string;
    container: ContainerLike;
  };
}

/**
 * Renders `<root>/deploy/<app>` with `kubectl kustomize` and finds the manager: the Deployment
 * labelled `control-plane: controller-manager`, as kubebuilder scaffolds it.
 */
export async function renderOperatorTree(root: string, app: string): Promise<OperatorTree> {
  const objects = loadManifests(await renderKustomizations(join(root, 'deploy', app))) as Obj[];
  const managers = objects.filter(
    (o) => o.kind === 'Deployment' && o.metadata.labels?.['control-plane'] === 'controller-manager',
  );
  if (managers.length !== 1)
    throw new EnvtestError(
      'OperatorTree',
      `deploy/${app} renders ${managers.length} Deployments labelled control-plane=controller-manager; expected one`,
    );
  const d = managers[0]! as Obj & {
    spec: { selector: { matchLabels: Record<string, string> }; template: { spec: { containers: ContainerLike[] } } };
  };
  const containers = d.spec.template.spec.containers;
  return {
    app,
    objects,
    manager: {
      namespace: d.metadata.namespace ?? 'default',
      name: d.metadata.name,
      selector: Object.entries(d.spec.selector.matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      container: containers.find((c) => c.name === 'manager') ?? containers[0]!,
    },
  };
}

/** Builds `<root>/Dockerfile` with APP=<app> as `tag` and delivers it to the cluster's nodes (buildImage). */
export function buildAppImage(root: string, app: string, tag: string, cluster: E2ECluster): Promise<BuiltImage> {
  return buildImage(
    { dockerfile: join(root, 'Dockerfile'), context: root, tag, buildArgs: { APP: app } },
    {
      cwd: root,
      cluster,
      onOutput: process.env.E2E_VERBOSE ? (chunk) => process.stdout.write(chunk) : undefined,
    },
  );
}

/** The environment for child processes that must use the e2e cluster (kubectl, nx targets). */
export function clusterEnv(cluster: E2ECluster, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: cluster.kubeconfigPath, ...extra };
}

/**
 * `npx nx run <project>:<target>` against the e2e cluster, as a user runs our targets; throws
 * with the end of its output when it fails. Extra arguments go to the target's command.
 */
export async function runNxTarget(
  root: string,
  target: string,
  cluster: E2ECluster,
  opts: { args?: string[]; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<CommandResult> {
  const args = [
    'nx',
    'run',
    target,
    '--skip-nx-cache',
    '--outputStyle=stream',
    ...(opts.args?.length ? ['--', ...opts.args] : []),
  ];
  const r = await runCommand('npx', args, {
    cwd: root,
    env: clusterEnv(cluster, { NX_DAEMON: 'false', NX_TUI: 'false', ...opts.env }),
    timeout: opts.timeout ?? 10 * 60_000,
    onOutput: process.env.E2E_VERBOSE ? (chunk) => process.stdout.write(chunk) : undefined,
  });
  if (r.code !== 0) {
    throw new EnvtestError(
      'TargetFailed',
      `npx ${args.join(' ')} failed (exit ${r.code ?? 'signal'}):\n${r.output.trim().split('\n').slice(-40).join('\n')}`,
    );
  }
  return r;
}

/** kubectl against the e2e cluster; throws with its output unless it exits 0. */
export async function kubectlOk(cluster: E2ECluster, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  const r = await runKubectl(cluster, args, { cwd: opts.cwd, timeout: 120_000 });
  if (r.code !== 0)
    throw new EnvtestError('KubectlFailed', `kubectl ${args.join(' ')} failed (exit ${r.code}):\n${r.output.trim()}`);
  return r.stdout;
}

/**
 * `kubectl apply` right after a deploy. The manager's pod being Ready does not mean its webhook
 * Service routes yet: the EndpointSlice and kube-proxy follow the pod's readiness by a moment, and
 * meanwhile the API server answers `failed calling webhook ... connection refused` (seen on the
 * realk8s node: redis-cluster's sample, applied 0.0 s after the manager was Available). Only
 * that answer is retried, once a second until `timeout`; any other failure throws at once.
 * `input` is applied with `-f -` when given.
 */
export async function applyThroughWebhooks(
  cluster: E2ECluster,
  args: string[],
  opts: { input?: string; timeout?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (opts.timeout ?? 60_000);
  for (;;) {
    const r = await runKubectl(cluster, ['apply', ...args], { timeout: 120_000, input: opts.input });
    if (r.code === 0) return r.stdout;
    if (!/failed calling webhook/.test(r.output) || Date.now() >= deadline)
      throw new EnvtestError(
        'KubectlFailed',
        `kubectl apply ${args.join(' ')} failed (exit ${r.code}):\n${r.output.trim()}`,
      );
    await new Promise((done) => setTimeout(done, 1000));
  }
}

/**
 * Waits until nothing of the rendered tree exists any more (`kubectl get -k deploy/<app>
 * --ignore-not-found` prints nothing): what `undeploy` promises.
 */
export async function waitForTreeGone(
  root: string,
  tree: OperatorTree,
  cluster: E2ECluster,
  timeout = 180_000,
): Promise<void> {
  await eventually(
    async () => {
      const out = await kubectlOk(cluster, [
        'get',
        '-k',
        join(root, 'deploy', tree.app),
        '--ignore-not-found',
        '-o',
        'name',
      ]);
      if (out.trim()) throw new Error(`still there after undeploy:\n${out.trim()}`);
    },
    { timeout, interval: 2000 },
  );
}
