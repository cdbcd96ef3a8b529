/**
 * `build-installer <app>` (kubebuilder's `make build-installer`): the whole rendered deploy tree
 * as one file a user installs with a single `kubectl apply -f`. Apps with admission webhooks
 * need a serving certificate in it too, one of two ways:
 *
 * - `cert-manager` (the default, as kubebuilder's config/default): the Issuer and Certificate of
 *   deploy/<app>/cert-manager are added; cert-manager issues the Secret and injects the CA into
 *   the webhook configurations. Needs cert-manager in the cluster. The file holds no secret, so
 *   it can be published as a release asset.
 * - `self-signed`: a new CA and serving certificate are made now, the Secret is added after the
 *   Namespace and the CA is written into every webhook's caBundle (admission webhooks and CRD
 *   conversion webhooks). Works on any cluster, but the
 *   file then holds a private key: use it for one cluster, never publish it.
 */
import type { AppConfig, RenderedObject } from './deploy.ts';
import { selfSignedServingCert } from './webhook-certs.ts';

export type WebhookCertsMode = 'cert-manager' | 'self-signed';

export interface InstallerOptions {
  app: string;
  config: AppConfig;
  webhookCerts: WebhookCertsMode;
  /** The rendered cert-manager tree (Issuer, Certificate) of an app with webhooks. */
  certManagerObjects?: () => Promise<RenderedObject[]>;
  log: (message: string) => void;
}

interface WebhookConfiguration extends RenderedObject {
  webhooks?: { clientConfig: { caBundle?: string } }[];
}

interface ConversionCrd extends RenderedObject {
  spec?: { conversion?: { webhook?: { clientConfig?: { caBundle?: string } } } };
}

export async function installerObjects(objects: RenderedObject[], opts: InstallerOptions): Promise<RenderedObject[]> {
  const certs = opts.config.webhookCerts;
  if (!certs) return objects;
  if (opts.webhookCerts === 'cert-manager') {
    if (!opts.certManagerObjects) throw new Error(`${opts.app}: no cert-manager tree configured`);
    opts.log(
      `webhook certificates: cert-manager (the cluster needs cert-manager; --webhook-certs self-signed otherwise)`,
    );
    return [...objects, ...(await opts.certManagerObjects())];
  }
  opts.log(
    'webhook certificates: a new self-signed CA — install.yaml holds its private key: apply it to one cluster, never publish it',
  );
  const { caPem, secret } = selfSignedServingCert(certs);
  const caBundle = Buffer.from(caPem).toString('base64');
  const out: RenderedObject[] = [];
  for (const o of objects) {
    const isWebhookConfig =
      (o.kind === 'MutatingWebhookConfiguration' && certs.mutating.includes(o.metadata.name)) ||
      (o.kind === 'ValidatingWebhookConfiguration' && certs.validating.includes(o.metadata.name));
    const isConversionCrd =
      o.kind === 'CustomResourceDefinition' && (certs.conversionCrds ?? []).includes(o.metadata.name);
    if (isWebhookConfig) {
      const copy = structuredClone(o) as WebhookConfiguration;
      for (const hook of copy.webhooks ?? []) hook.clientConfig.caBundle = caBundle;
      // Nobody injects into it here; the annotation would only confuse a cert-manager installed later.
      delete copy.metadata.annotations?.['cert-manager.io/inject-ca-from'];
      out.push(copy);
    } else if (isConversionCrd) {
      const copy = structuredClone(o) as ConversionCrd;
      const webhook = copy.spec?.conversion?.webhook;
      if (webhook) webhook.clientConfig = { ...webhook.clientConfig, caBundle };
      delete copy.metadata.annotations?.['cert-manager.io/inject-ca-from'];
      out.push(copy);
    } else {
      out.push(o);
    }
    // The Secret right after its Namespace: kubectl apply -f creates objects in file order.
    if (o.kind === 'Namespace' && o.metadata.name === certs.namespace) out.push(secret as RenderedObject);
  }
  if (!out.includes(secret as RenderedObject))
    throw new Error(`${opts.app}: the rendered tree has no Namespace ${certs.namespace}`);
  return out;
}
