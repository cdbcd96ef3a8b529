/**
 * Install, deploy and remove an operator app with kubectl (kubebuilder's `make install`,
 * `make deploy`, `make undeploy`):
 *
 *   tsx tools/deploy.ts install   <app> [--kubeconfig F] [--context C] [--timeout 120s] [--dry-run]
 *   tsx tools/deploy.ts uninstall <app> [...]
 *   tsx tools/deploy.ts deploy    <app> [...]      # kubectl apply -k deploy/<app>, then wait for the rollout
 *   tsx tools/deploy.ts undeploy  <app> [...]
 *
 * Every command is printed before it runs, so a failed step can be rerun by hand. kubectl is
 * never assumed: no package source here provides it, so its absence is reported plainly.
 *
 * Apps differ in what must happen around `apply` (an app with webhooks needs serving
 * certificates before its Deployment can start): appConfig derives each app's hook steps from
 * its deploy/<app> tree — a step is a named async function over the DeployContext — and the flow
 * runs them at fixed points. Every app the Nx plugin generates follows the same layout, so a new
 * operator deploys with no entry here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { webhookCertSteps } from './webhook-certs.ts';

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

export type Command = 'install' | 'uninstall' | 'deploy' | 'undeploy';
const COMMANDS: readonly Command[] = ['install', 'uninstall', 'deploy', 'undeploy'];

export interface DeployOptions {
  kubeconfig?: string;
  context?: string;
  /** How long to wait for CRDs to be Established and for the rollout (kubectl duration). */
  timeout: string;
  /** Server-side dry run: everything is validated, nothing is stored, no rollout wait. */
  dryRun: boolean;
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
  return {
    ...config,
    ...webhookCertSteps({
      namespace,
      secretName: `${app}-webhook-server-cert`,
      serviceName: `${app}-webhook-service`,
      mutating: named('MutatingWebhookConfiguration'),
      validating: named('ValidatingWebhookConfiguration'),
      conversionCrds,
      namespaceManifest: 'namespace.yaml',
      certManagerDir: 'cert-manager',
    }),
  };
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

const USAGE = `usage: tsx tools/deploy.ts <${COMMANDS.join('|')}> <app> [--kubeconfig FILE] [--context NAME] [--timeout 120s] [--dry-run]`;

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

/** Runs one command for one app. Resolves when done; throws DeployError with a stable code. */
export async function run(
  command: Command,
  app: string,
  options: DeployOptions,
  log: (m: string) => void = console.log,
): Promise<void> {
  const config = appConfig(app);
  if (!config)
    throw new DeployError(
      'UnknownApp',
      `unknown app "${app}" (no deploy/${app}/kustomization.yaml); known: ${deployableApps().join(', ')}`,
      2,
    );
  const kubectlPath = findKubectl();
  if (!kubectlPath) {
    throw new DeployError(
      'KubectlMissing',
      'kubectl not found on PATH. Install kubectl (v1.32 or newer; it includes kustomize) and retry — ' +
        'this script only drives kubectl, it does not talk to the cluster itself.',
      127,
    );
  }
  const ctx = createContext(app, config, options, kubectlPath, log);
  const crdDir = join(ctx.dir, 'crd');
  const dry = options.dryRun ? ['--dry-run=server'] : [];
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
    case 'deploy':
      requireDir(ctx.dir, 'no deploy tree for this app');
      await runSteps(ctx, config.beforeApply, 'before apply');
      await ctx.kubectl(['apply', ...dry, '-k', ctx.dir]);
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
    case 'undeploy':
      requireDir(ctx.dir, 'no deploy tree for this app');
      await ctx.kubectl([
        'delete',
        ...dry,
        '--ignore-not-found',
        '--wait',
        '--timeout',
        options.timeout,
        '-k',
        ctx.dir,
      ]);
      if (!options.dryRun) await runSteps(ctx, config.afterDelete, 'after delete');
      break;
  }
  log(`${command} ${app}: done`);
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
