/**
 * Build, install, deploy and remove an operator app with kubectl (kubebuilder's `make
 * docker-build`, `make install`, `make deploy`, `make undeploy`, `make build-installer`):
 *
 *   tsx tools/deploy.ts install   <app> [--kubeconfig F] [--context C] [--timeout 120s] [--dry-run]
 *   tsx tools/deploy.ts uninstall <app> [...]
 *   tsx tools/deploy.ts deploy    <app> [--image IMG] [...]  # apply the rendered deploy/<app>, wait for the rollout
 *   tsx tools/deploy.ts undeploy  <app> [...]
 *   tsx tools/deploy.ts build-installer <app> [--image IMG] [--out FILE] [--webhook-certs cert-manager|self-signed]
 *   tsx tools/deploy.ts docker-build <app> [--image IMG]      # any app with src/main.ts, also markdown-viewer
 *
 * `--image` defaults to $IMG (kubebuilder's variable), then to the image deploy/<app> names.
 * deploy/<app> is rendered once, by renderApp (`kubectl kustomize`), for deploy, undeploy,
 * build-installer and the static test of the container command line, so they see the same
 * objects. Every kubectl command is printed before it runs, so a failed step can be rerun by
 * hand. kubectl is never assumed: no package source here provides it, so its absence is
 * reported plainly.
 *
 * Apps differ in what must happen around `apply` (an app with webhooks needs serving
 * certificates before its Deployment can start): appConfig derives each app's hook steps from
 * its deploy/<app> tree — a step is a named async function over the DeployContext — and the flow
 * runs them at fixed points. Every app the Nx plugin generates follows the same layout, so a new
 * operator deploys with no entry here.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { installerObjects, type WebhookCertsMode } from './installer.ts';
import { webhookCertSteps, type WebhookCertConfig } from './webhook-certs.ts';

export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export class DeployError extends Error {
  constructor(
    readonly code: 'KubectlMissing' | 'UnknownApp' | 'Usage' | 'CommandFailed' | 'MissingManifests',
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

export type Command = 'install' | 'uninstall' | 'deploy' | 'undeploy' | 'build-installer' | 'docker-build';
const COMMANDS: readonly Command[] = ['install', 'uninstall', 'deploy', 'undeploy', 'build-installer', 'docker-build'];

export interface DeployOptions {
  kubeconfig?: string;
  context?: string;
  /** How long to wait for CRDs to be Established and for the rollout (kubectl duration). */
  timeout: string;
  /** Server-side dry run: everything is validated, nothing is stored, no rollout wait. */
  dryRun: boolean;
  /** The manager image for deploy and build-installer, the tag for docker-build (default: $IMG, then deploy/<app>'s). */
  image?: string;
  /** build-installer: where to write (default dist/<app>/install.yaml). */
  out?: string;
  /** build-installer, for apps with webhooks: how the serving certificate is made (default cert-manager). */
  webhookCerts?: WebhookCertsMode;
}

export interface DeployContext {
  app: string;
  config: AppConfig;
  /** deploy/<app>, absolute. */
  dir: string;
  options: DeployOptions;
  /** Runs kubectl with the context's kubeconfig/context flags, printing the command; throws on failure. */
  kubectl(args: string[], opts?: { input?: string; allowFailure?: boolean }): Promise<number>;
  log(message: string): void;
}

export interface DeployStep {
  name: string;
  run(ctx: DeployContext): Promise<void>;
}

export interface AppConfig {
  /** The namespace kustomize puts the manager into (deploy/<app>/kustomization.yaml). */
  namespace: string;
  /** The manager Deployment whose rollout `deploy` waits for (after namePrefix). */
  deployment: string;
  /** The manager's container in that Deployment (default `manager`, else the first). */
  container?: string;
  /** For apps with admission webhooks: where their serving certificate goes (build-installer). */
  webhookCerts?: WebhookCertConfig;
  /** Runs before `kubectl apply -k` on deploy (e.g. create webhook certificates). */
  beforeApply?: DeployStep[];
  /** Runs after the rollout finished on deploy (e.g. patch a webhook caBundle). */
  afterApply?: DeployStep[];
  /** Runs after `kubectl delete -k` on undeploy (e.g. remove certificate Secrets). */
  afterDelete?: DeployStep[];
}

type Obj = { kind?: string; metadata?: { name?: string }; spec?: { conversion?: { strategy?: string } } };

function objectsIn(dir: string): Obj[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj))
    .filter((o) => o && typeof o === 'object');
}

/**
 * How to deploy an app, from the conventions of its deploy/<app> tree (what the operator
 * generator scaffolds): the namespace of its kustomization.yaml (default `<app>-system`), the
 * Deployment `<app>-controller-manager`, and — when it has a webhook/ directory — the webhook
 * certificate steps for the configurations and conversion CRDs that `manifests` generated.
 */
export function appConfig(app: string, root = WORKSPACE_ROOT): AppConfig | undefined {
  const dir = join(root, 'deploy', app);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(app) || !existsSync(join(dir, 'kustomization.yaml'))) return undefined;
  const kustomization = (parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]?.toJS() ?? {}) as {
    namespace?: string;
  };
  const namespace = kustomization.namespace ?? `${app}-system`;
  const config: AppConfig = { namespace, deployment: `${app}-controller-manager` };
  if (!existsSync(join(dir, 'webhook'))) return config;
  const configurations = objectsIn(join(dir, 'webhook'));
  const named = (kind: string) =>
    configurations.filter((o) => o.kind === kind && o.metadata?.name).map((o) => o.metadata!.name!);
  const conversionCrds = objectsIn(join(dir, 'crd'))
    .filter((o) => o.kind === 'CustomResourceDefinition' && o.spec?.conversion?.strategy === 'Webhook')
    .map((o) => o.metadata!.name!);
  const webhookCerts: WebhookCertConfig = {
    namespace,
    secretName: `${app}-webhook-server-cert`,
    serviceName: `${app}-webhook-service`,
    mutating: named('MutatingWebhookConfiguration'),
    validating: named('ValidatingWebhookConfiguration'),
    conversionCrds,
    namespaceManifest: 'namespace.yaml',
    certManagerDir: 'cert-manager',
  };
  return { ...config, webhookCerts, ...webhookCertSteps(webhookCerts) };
}

/**
 * Default tags of apps without a deploy tree (docker-build). Loaded on demand, as is the image
 * builder: deploy and undeploy start faster without them (tsx compiles what is imported).
 */
async function imageOfAppWithoutTree(app: string): Promise<string | undefined> {
  if (app !== 'markdown-viewer') return undefined;
  return (await import('../apps/markdown-view/src/desired/viewer.ts')).DEFAULT_VIEWER_IMAGE;
}

/** Apps with a deploy tree. */
export function deployableApps(root = WORKSPACE_ROOT): string[] {
  const dir = join(root, 'deploy');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((a) => appConfig(a, root))
        .sort()
    : [];
}

export function parseArgs(argv: string[]): { command: Command; app: string; options: DeployOptions } {
  const positional: string[] = [];
  const options: DeployOptions = { timeout: '120s', dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--')
      ? (arg.split(/=(.*)/s, 2) as [string, string | undefined])
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new DeployError('Usage', `${flag} needs a value`, 2);
      return v;
    };
    switch (flag) {
      case '--kubeconfig':
        options.kubeconfig = value();
        break;
      case '--context':
        options.context = value();
        break;
      case '--timeout':
        options.timeout = value();
        break;
      case '--dry-run':
        options.dryRun = inline === undefined || inline === 'true' || inline === 'server';
        break;
      case '--image':
        options.image = value();
        break;
      case '--out':
        options.out = value();
        break;
      case '--webhook-certs': {
        const mode = value();
        if (mode !== 'cert-manager' && mode !== 'self-signed')
          throw new DeployError('Usage', `--webhook-certs ${mode}: use cert-manager or self-signed`, 2);
        options.webhookCerts = mode;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new DeployError('Usage', `unknown flag ${arg}\n${USAGE}`, 2);
        positional.push(arg);
    }
  }
  const [command, app] = positional;
  if (!command || !COMMANDS.includes(command as Command) || !app || positional.length > 2) {
    throw new DeployError('Usage', USAGE, 2);
  }
  if (!/^\d+(ms|s|m|h)$/.test(options.timeout)) {
    throw new DeployError('Usage', `--timeout ${options.timeout}: use a kubectl duration such as 90s or 5m`, 2);
  }
  return { command: command as Command, app, options };
}

const USAGE = `usage: tsx tools/deploy.ts <${COMMANDS.join('|')}> <app> [--kubeconfig FILE] [--context NAME] [--timeout 120s] [--dry-run] [--image IMG] [--out FILE] [--webhook-certs cert-manager|self-signed]`;

/** The path of kubectl on PATH, or undefined. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v kubectl'], { env, encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

function createContext(
  app: string,
  config: AppConfig,
  options: DeployOptions,
  kubectlPath: string,
  log: (m: string) => void,
): DeployContext {
  const dir = join(WORKSPACE_ROOT, 'deploy', app);
  const globalFlags = [
    ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : []),
    ...(options.context ? ['--context', options.context] : []),
  ];
  return {
    app,
    config,
    dir,
    options,
    log,
    kubectl(args, opts = {}) {
      const full = [...globalFlags, ...args];
      log(`› kubectl ${full.join(' ')}`);
      return new Promise((resolvePromise, reject) => {
        const child = spawn(kubectlPath, full, {
          stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
        });
        if (opts.input !== undefined) child.stdin!.end(opts.input);
        child.on('error', (err) => reject(new DeployError('CommandFailed', `kubectl could not start: ${err.message}`)));
        child.on('close', (code) => {
          if (code === 0 || opts.allowFailure) resolvePromise(code ?? 1);
          else
            reject(
              new DeployError(
                'CommandFailed',
                `kubectl ${args[0]} failed (exit ${code}); the command is printed above`,
              ),
            );
        });
      });
    },
  };
}

async function runSteps(ctx: DeployContext, steps: DeployStep[] | undefined, when: string): Promise<void> {
  for (const step of steps ?? []) {
    ctx.log(`• ${step.name} (${when})`);
    await step.run(ctx);
  }
}

/**
 * `-f` flags for the CRD manifests of a kustomize directory: `kubectl wait` has no `-k`, and
 * kustomization.yaml itself is not an object it could wait for.
 */
export function crdFileFlags(crdDir: string): string[] {
  return readdirSync(crdDir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .sort()
    .flatMap((f) => ['-f', join(crdDir, f)]);
}

function requireDir(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new DeployError('MissingManifests', `${path} does not exist: ${what}`);
  }
}

/** The app's config, or an UnknownApp error listing the deployable apps. */
function knownApp(app: string): AppConfig {
  const config = appConfig(app);
  if (!config)
    throw new DeployError(
      'UnknownApp',
      `unknown app "${app}" (no deploy/${app}/kustomization.yaml); known: ${deployableApps().join(', ')}`,
      2,
    );
  return config;
}

/** A Kubernetes object as kustomize renders it. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface PodTemplateHolder {
  spec: { template: { spec: { containers: { name: string; image?: string }[] } } };
}

/** The manager Deployment of a rendered app and its manager container (by name, else the first). */
export function managerContainer(
  objects: RenderedObject[],
  config: AppConfig,
): {
  deployment: RenderedObject & PodTemplateHolder;
  container: { name: string; image?: string; [f: string]: unknown };
} {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === config.deployment) as
    (RenderedObject & PodTemplateHolder) | undefined;
  if (!deployment) throw new DeployError('MissingManifests', `deploy tree renders no Deployment ${config.deployment}`);
  const containers = deployment.spec.template.spec.containers;
  const container = containers.find((c) => c.name === (config.container ?? 'manager')) ?? containers[0]!;
  return { deployment, container };
}

/**
 * deploy/<app> rendered by `kubectl kustomize` (what `kubectl apply -k` would apply), with the
 * manager's image replaced when `image` is given (kubebuilder's `IMG`). The one rendering used by
 * deploy, undeploy, build-installer and tools/container-command.spec.ts.
 */
export async function renderApp(
  app: string,
  opts: { image?: string; kubectl?: string } = {},
): Promise<RenderedObject[]> {
  const config = knownApp(app);
  const dir = join(WORKSPACE_ROOT, 'deploy', app);
  requireDir(dir, 'no deploy tree for this app');
  const kubectl = opts.kubectl ?? findKubectl();
  if (!kubectl) throw kubectlMissing();
  let yaml: string;
  try {
    ({ stdout: yaml } = await promisify(execFile)(kubectl, ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new DeployError('CommandFailed', `kubectl kustomize ${dir} failed: ${(e.stderr || e.message).trim()}`);
  }
  const objects = parseAllDocuments(yaml)
    .map((d) => d.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => !!o);
  if (opts.image) managerContainer(objects, config).container.image = opts.image;
  return objects;
}

/** A YAML stream of objects, as kubectl apply -f reads and kustomize writes. */
export function toYamlStream(objects: object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

function kubectlMissing(): DeployError {
  return new DeployError(
    'KubectlMissing',
    'kubectl not found on PATH. Install kubectl (v1.32 or newer; it includes kustomize) and retry — ' +
      'this script only drives kubectl, it does not talk to the cluster itself.',
    127,
  );
}

/** The image docker-build tags: --image / $IMG, else what deploy/<app> runs, else imageOfAppWithoutTree. */
export async function defaultImage(app: string, options: DeployOptions): Promise<string> {
  const image = options.image ?? process.env.IMG;
  if (image) return image;
  const fixed = await imageOfAppWithoutTree(app);
  if (fixed) return fixed;
  const config = appConfig(app);
  if (!config) throw new DeployError('Usage', `no default image for ${app}: pass --image <registry>/${app}:<tag>`, 2);
  const { container } = managerContainer(await renderApp(app), config);
  return container.image!;
}

/** Runs one command for one app. Resolves when done; throws DeployError with a stable code. */
export async function run(
  command: Command,
  app: string,
  options: DeployOptions,
  log: (m: string) => void = console.log,
): Promise<void> {
  if (command === 'docker-build') return dockerBuild(app, options, log);
  const config = knownApp(app);
  const kubectlPath = findKubectl();
  if (!kubectlPath) throw kubectlMissing();
  const ctx = createContext(app, config, options, kubectlPath, log);
  const crdDir = join(ctx.dir, 'crd');
  const dry = options.dryRun ? ['--dry-run=server'] : [];
  const image = options.image ?? process.env.IMG;
  const rendered = async () => {
    log(`› kubectl kustomize ${relative(WORKSPACE_ROOT, ctx.dir)}${image ? ` (manager image ${image})` : ''}`);
    return toYamlStream(await renderApp(app, { image, kubectl: kubectlPath }));
  };
  log(`${command} ${app}${options.dryRun ? ' (server-side dry run)' : ''}`);

  switch (command) {
    case 'install':
      requireDir(crdDir, `run \`nx run ${app}:manifests\` first`);
      await ctx.kubectl(['apply', ...dry, '-k', crdDir]);
      if (!options.dryRun) {
        await ctx.kubectl([
          'wait',
          '--for',
          'condition=Established',
          '--timeout',
          options.timeout,
          ...crdFileFlags(crdDir),
        ]);
      }
      break;
    case 'uninstall':
      requireDir(crdDir, `run \`nx run ${app}:manifests\` first`);
      // Deleting a CRD deletes every object of its kind: that is what uninstall means.
      await ctx.kubectl(['delete', ...dry, '--ignore-not-found', '-k', crdDir]);
      break;
    case 'deploy': {
      requireDir(ctx.dir, 'no deploy tree for this app');
      const manifests = await rendered();
      await runSteps(ctx, config.beforeApply, 'before apply');
      await ctx.kubectl(['apply', ...dry, '-f', '-'], { input: manifests });
      if (options.dryRun) break;
      await ctx.kubectl([
        'wait',
        '--for',
        'condition=Established',
        '--timeout',
        options.timeout,
        ...crdFileFlags(crdDir),
      ]);
      log(`waiting up to ${options.timeout} for deployment/${config.deployment} in ${config.namespace} to roll out`);
      await ctx.kubectl([
        'rollout',
        'status',
        `deployment/${config.deployment}`,
        '-n',
        config.namespace,
        '--timeout',
        options.timeout,
      ]);
      await runSteps(ctx, config.afterApply, 'after rollout');
      break;
    }
    case 'undeploy': {
      requireDir(ctx.dir, 'no deploy tree for this app');
      const manifests = await rendered();
      await ctx.kubectl(['delete', ...dry, '--ignore-not-found', '--wait', '--timeout', options.timeout, '-f', '-'], {
        input: manifests,
      });
      if (!options.dryRun) await runSteps(ctx, config.afterDelete, 'after delete');
      break;
    }
    case 'build-installer': {
      const out = resolve(options.out ?? join(WORKSPACE_ROOT, 'dist', app, 'install.yaml'));
      const objects = installerObjects(await renderApp(app, { image, kubectl: kubectlPath }), {
        app,
        config,
        certManagerObjects: config.webhookCerts
          ? async () => renderDir(join(ctx.dir, config.webhookCerts!.certManagerDir), kubectlPath)
          : undefined,
        webhookCerts: options.webhookCerts ?? 'cert-manager',
        log,
      });
      const header =
        `# ${app} operator installer, generated by \`nx run ${app}:build-installer\` from deploy/${app}.\n` +
        `# Install: kubectl apply -f install.yaml   Remove: kubectl delete -f install.yaml\n`;
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, header + toYamlStream(await objects));
      log(`wrote ${relative(process.cwd(), out) || out}`);
      break;
    }
  }
  log(`${command} ${app}: done`);
}

/** `kubectl kustomize DIR` as objects (cert-manager/ and other side trees). */
async function renderDir(dir: string, kubectl: string): Promise<RenderedObject[]> {
  requireDir(dir, 'referenced by the app config in tools/deploy.ts');
  const { stdout } = await promisify(execFile)(kubectl, ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => !!o);
}

/**
 * `docker-build <app>`: the workspace Dockerfile with APP=<app>, tagged --image / $IMG / the
 * image deploy/<app> runs. KUBELOOP_IMAGE_BUILD replaces `docker build` (see README).
 */
async function dockerBuild(app: string, options: DeployOptions, log: (m: string) => void): Promise<void> {
  if (!existsSync(join(WORKSPACE_ROOT, 'apps', app, 'src', 'main.ts')))
    throw new DeployError(
      'UnknownApp',
      `apps/${app}/src/main.ts does not exist: docker-build builds an app's main.ts`,
      2,
    );
  const tag = await defaultImage(app, options);
  const { buildImage } = await import('@kubeloop/envtest');
  const built = await buildImage(
    { dockerfile: join(WORKSPACE_ROOT, 'Dockerfile'), context: WORKSPACE_ROOT, tag, buildArgs: { APP: app } },
    { cwd: WORKSPACE_ROOT, onOutput: (chunk) => process.stdout.write(chunk) },
  );
  log(`docker-build ${app}: ${tag} in ${(built.ms / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  try {
    const { command, app, options } = parseArgs(process.argv.slice(2));
    await run(command, app, options);
  } catch (err) {
    if (err instanceof DeployError) {
      console.error(`error [${err.code}]: ${err.message}`);
      process.exit(err.exitCode);
    }
    throw err;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
