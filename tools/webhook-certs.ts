/**
 * Webhook serving certificates for `tools/deploy.ts deploy <app>`, the two ways kubebuilder
 * projects get them:
 *
 * - cert-manager installed (the CRD certificates.cert-manager.io exists): apply the app's
 *   deploy/<app>/cert-manager/ tree (an Issuer and a Certificate). cert-manager writes the Secret
 *   and its cainjector copies the CA into the webhook configurations that carry the
 *   `cert-manager.io/inject-ca-from` annotation.
 * - otherwise: make a self-signed CA and a serving certificate for the webhook Service's DNS
 *   names, store them in the Secret the manager mounts (tls.crt, tls.key, ca.crt), and after the
 *   rollout patch the CA into each webhook's `clientConfig.caBundle`. An existing Secret is
 *   reused, so redeploying neither rotates the certificate nor restarts anything.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createCA, createCert } from '@kubeloop/certs';
import type { DeployContext, DeployStep } from './deploy.ts';

export interface WebhookCertConfig {
  namespace: string;
  /** The Secret the manager mounts as its webhook cert dir. */
  secretName: string;
  /** The Service in front of the webhook server; the certificate names it. */
  serviceName: string;
  /** Webhook configuration names whose every webhook gets the caBundle. */
  mutating: string[];
  validating: string[];
  /** CRDs whose conversion webhook (`spec.conversion.webhook.clientConfig`) gets the caBundle. */
  conversionCrds?: string[];
  /** Relative to deploy/<app>: the Namespace manifest and the cert-manager tree. */
  namespaceManifest: string;
  certManagerDir: string;
}

export interface WebhookCertSteps {
  beforeApply: DeployStep[];
  afterApply: DeployStep[];
}

type Mode = { kind: 'cert-manager' } | { kind: 'self-signed'; caPem: string } | { kind: 'dry-run' };

export function webhookCertSteps(config: WebhookCertConfig): WebhookCertSteps {
  let mode: Mode | undefined;
  return {
    beforeApply: [
      {
        name: 'webhook serving certificate',
        async run(ctx) {
          if (ctx.options.dryRun) {
            ctx.log('  dry run: no certificate is created, no caBundle patched');
            mode = { kind: 'dry-run' };
            return;
          }
          // Only when missing: re-applying it alone would strip the labels kustomize adds, and
          // a second deploy would then change the Namespace twice.
          if ((await ctx.kubectl(['get', 'namespace', config.namespace, '-o', 'name'], { allowFailure: true })) !== 0) {
            await ctx.kubectl(['apply', '-f', join(ctx.dir, config.namespaceManifest)]);
          }
          if ((await ctx.kubectl(['get', 'crd', 'certificates.cert-manager.io'], { allowFailure: true })) === 0) {
            ctx.log('  cert-manager found: it issues the certificate and injects the CA');
            await ctx.kubectl(['apply', '-k', join(ctx.dir, config.certManagerDir)]);
            mode = { kind: 'cert-manager' };
            return;
          }
          const existing = readSecretCA(ctx, config);
          if (existing) {
            ctx.log(`  reusing the certificate in secret/${config.secretName}`);
            mode = { kind: 'self-signed', caPem: existing };
            return;
          }
          ctx.log(`  cert-manager not found: creating a self-signed CA and secret/${config.secretName}`);
          const { caPem, secret } = selfSignedServingCert(config);
          await ctx.kubectl(['apply', '-f', '-'], { input: JSON.stringify(secret) });
          mode = { kind: 'self-signed', caPem };
        },
      },
    ],
    afterApply: [
      {
        name: 'webhook CA bundle',
        async run(ctx) {
          if (mode?.kind !== 'self-signed') return;
          const caBundle = Buffer.from(mode.caPem).toString('base64');
          for (const [resource, names] of [
            ['mutatingwebhookconfiguration', config.mutating],
            ['validatingwebhookconfiguration', config.validating],
          ] as const) {
            for (const name of names) {
              const count = webhookCount(ctx, resource, name);
              const patch = Array.from({ length: count }, (_, i) => ({
                op: 'add',
                path: `/webhooks/${i}/clientConfig/caBundle`,
                value: caBundle,
              }));
              await ctx.kubectl(['patch', resource, name, '--type=json', '-p', JSON.stringify(patch)]);
            }
          }
          for (const crd of config.conversionCrds ?? []) {
            const patch = { spec: { conversion: { webhook: { clientConfig: { caBundle } } } } };
            await ctx.kubectl(['patch', 'crd', crd, '--type=merge', '-p', JSON.stringify(patch)]);
          }
        },
      },
    ],
  };
}

/**
 * A new self-signed CA and a serving certificate for the webhook Service's DNS names, as the
 * Secret the manager mounts. Used by `deploy` without cert-manager and by `build-installer
 * --webhook-certs self-signed`.
 */
export function selfSignedServingCert(config: WebhookCertConfig): { caPem: string; secret: object } {
  const ca = createCA({ commonName: `${config.serviceName}-ca` });
  const host = `${config.serviceName}.${config.namespace}.svc`;
  const serving = createCert(ca, {
    commonName: host,
    dnsNames: [host, `${host}.cluster.local`, config.serviceName],
    server: true,
  });
  return { caPem: ca.cert, secret: tlsSecret(config, ca.cert, serving.cert, serving.key) };
}

export function tlsSecret(config: WebhookCertConfig, caPem: string, certPem: string, keyPem: string): object {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: config.secretName,
      namespace: config.namespace,
      labels: { 'app.kubernetes.io/part-of': 'kubeloop' },
    },
    data: { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem), 'ca.crt': b64(caPem) },
  };
}

/** kubectl with the context's flags, capturing stdout (DeployContext.kubectl streams it). */
function kubectlOutput(ctx: DeployContext, args: string[]): { status: number; stdout: string } {
  const flags = [
    ...(ctx.options.kubeconfig ? ['--kubeconfig', ctx.options.kubeconfig] : []),
    ...(ctx.options.context ? ['--context', ctx.options.context] : []),
  ];
  const r = spawnSync('kubectl', [...flags, ...args], { encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}

function readSecretCA(ctx: DeployContext, config: WebhookCertConfig): string | undefined {
  const r = kubectlOutput(ctx, ['get', 'secret', config.secretName, '-n', config.namespace, '-o', 'json']);
  if (r.status !== 0) return undefined;
  const data = (JSON.parse(r.stdout) as { data?: Record<string, string> }).data ?? {};
  if (!data['ca.crt'] || !data['tls.crt'] || !data['tls.key']) return undefined;
  return Buffer.from(data['ca.crt'], 'base64').toString('utf8');
}

function webhookCount(ctx: DeployContext, resource: string, name: string): number {
  const r = kubectlOutput(ctx, ['get', resource, name, '-o', 'json']);
  if (r.status !== 0) return 0;
  return ((JSON.parse(r.stdout) as { webhooks?: unknown[] }).webhooks ?? []).length;
}
