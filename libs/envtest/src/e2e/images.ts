import { runCommand, type CommandResult } from '../command.ts';
import { EnvtestError } from '../errors.ts';

/** An image to build from this repository. */
export interface ImageSpec {
  dockerfile: string;
  /** The build context (the workspace root for kubeloop's Dockerfile). */
  context: string;
  tag: string;
  buildArgs?: Record<string, string>;
}

export interface BuildImageOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * The cluster the image is for (an E2ECluster): a kind cluster gets it with `kind load`; one
   * whose nodes share the local docker's images (minikube after `eval $(minikube docker-env)`,
   * docker-desktop, rancher-desktop) needs nothing more; any other needs KUBELOOP_IMAGE_BUILD.
   * Without it the image is only built (`nx run <app>:docker-build`).
   */
  cluster?: { context: string; kindCluster?: string };
  cwd?: string;
  /** Receives the build's output as it arrives (default: discarded; a failure quotes it). */
  onOutput?: (chunk: string) => void;
}

export interface BuiltImage {
  tag: string;
  /** The command lines that ran, in order. */
  commands: string[];
  ms: number;
}

export class ImageBuildError extends EnvtestError {
  constructor(message: string) {
    super('ImageBuild', message);
  }
}

/** Single-quotes a word for sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function buildArgFlags(spec: ImageSpec): string[] {
  return Object.entries(spec.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
}

/**
 * The shell command KUBELOOP_IMAGE_BUILD describes for one image: `{dockerfile}`, `{context}`,
 * `{tag}` and `{buildArgs}` (`--build-arg K=V ...`) are replaced by shell-quoted values; when the
 * template has no `{buildArgs}`, the build arguments are appended, as `docker build`, `podman
 * build`, `buildah bud` and realk8s's node/image.sh all accept them after their operands.
 */
export function templateCommand(template: string, spec: ImageSpec): string {
  const args = buildArgFlags(spec).map(shellQuote).join(' ');
  let cmd = template
    .replaceAll('{dockerfile}', shellQuote(spec.dockerfile))
    .replaceAll('{context}', shellQuote(spec.context))
    .replaceAll('{tag}', shellQuote(spec.tag));
  if (cmd.includes('{buildArgs}')) cmd = cmd.replaceAll('{buildArgs}', args);
  else if (args) cmd = `${cmd} ${args}`;
  return cmd;
}

/**
 * Builds an image and makes it available to the cluster's nodes, for a Pod with
 * `imagePullPolicy: IfNotPresent`: with KUBELOOP_IMAGE_BUILD set, by running that command (it must
 * do both, e.g. build with buildah and import into the node's containerd); otherwise `docker
 * build`, then `kind load docker-image` when the cluster is a kind cluster. Other clusters need
 * the template (or, for minikube, `eval $(minikube docker-env)` so docker builds into its node).
 */
export async function buildImage(spec: ImageSpec, opts: BuildImageOptions = {}): Promise<BuiltImage> {
  const env = opts.env ?? process.env;
  const started = Date.now();
  const commands: string[] = [];
  const run = async (cmd: string, args: string[], shown: string): Promise<CommandResult> => {
    commands.push(shown);
    opts.onOutput?.(`$ ${shown}\n`);
    const child = runCommand(cmd, args, { cwd: opts.cwd, env, onOutput: opts.onOutput });
    const r = await child;
    if (r.code !== 0) {
      const tail = r.output.trim().split('\n').slice(-25).join('\n');
      throw new ImageBuildError(`image ${spec.tag}: \`${shown}\` failed (exit ${r.code ?? 'signal'}):\n${tail}`);
    }
    return r;
  };
  const template = env.KUBELOOP_IMAGE_BUILD;
  if (template) {
    const cmd = templateCommand(template, spec);
    await run('sh', ['-c', cmd], cmd);
  } else {
    const cluster = opts.cluster;
    const sharesDocker =
      !!env.MINIKUBE_ACTIVE_DOCKERD || ['docker-desktop', 'rancher-desktop'].includes(cluster?.context ?? '');
    if (cluster && !cluster.kindCluster && !sharesDocker)
      throw new ImageBuildError(
        `context "${cluster.context}" is not a kind cluster and its nodes do not use this machine's docker images: ` +
          "set KUBELOOP_IMAGE_BUILD='<command> {dockerfile} {context} {tag}' to a command that builds the image " +
          'and leaves it on the nodes (e.g. docker build + push to a registry they pull from, `k3d image import`, ' +
          'or `eval $(minikube docker-env)` first for minikube)',
      );
    const args = ['build', '-f', spec.dockerfile, '-t', spec.tag, ...buildArgFlags(spec), spec.context];
    await run('docker', args, `docker ${args.map(shellQuote).join(' ')}`);
    if (cluster?.kindCluster) {
      const load = ['load', 'docker-image', spec.tag, '--name', cluster.kindCluster];
      await run('kind', load, `kind ${load.join(' ')}`);
    }
  }
  return { tag: spec.tag, commands, ms: Date.now() - started };
}
