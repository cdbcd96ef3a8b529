import { StartError } from './errors.ts';

interface WebhookConfiguration {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; [k: string]: unknown };
  webhooks?: {
    name: string;
    clientConfig: { url?: string; service?: { path?: string }; caBundle?: string };
    [k: string]: unknown;
  }[];
}

const KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);

/**
 * The app's own webhook configurations (deploy/<app>/webhook/), pointed at a manager running on
 * this machine: each webhook's `clientConfig.service` (a Service nothing serves here) becomes a
 * `url` on `baseUrl` with the same path, and `caBundle` is the local CA. The cert-manager
 * annotation goes: no cainjector runs here, and it would name a Certificate that does not exist.
 * Taking the committed manifests rather than writing new ones keeps the rules, failure policy
 * and timeouts exactly those a cluster gets.
 */
export function localWebhookConfigurations(docs: readonly object[], baseUrl: string, caPem: string): object[] {
  const caBundle = Buffer.from(caPem).toString('base64');
  const out = docs
    .filter((d) => KINDS.has((d as { kind?: string }).kind ?? ''))
    .map((d) => {
      const config = structuredClone(d) as WebhookConfiguration;
      if (config.metadata.annotations) {
        delete config.metadata.annotations['cert-manager.io/inject-ca-from'];
        if (Object.keys(config.metadata.annotations).length === 0) delete config.metadata.annotations;
      }
      for (const webhook of config.webhooks ?? []) {
        const path = webhook.clientConfig.service?.path ?? new URL(webhook.clientConfig.url ?? '/', 'https://x').pathname;
        webhook.clientConfig = { url: new URL(path, baseUrl).href, caBundle };
      }
      return config;
    });
  if (out.length === 0) throw new StartError('NoWebhookConfigurations', 'the webhook manifests hold no Mutating/ValidatingWebhookConfiguration');
  return out;
}
