import type { Client } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import {
  CustomResourceDefinition,
  MutatingWebhookConfiguration,
  ValidatingWebhookConfiguration,
} from '../kinds/builtin.ts';
import type { KubeObject } from '../kinds/kind.ts';
import { webhookConfigurations, type WebhookConfigurations } from './configurations.ts';
import type { WebhookRegistration } from './server.ts';

/**
 * Creates or replaces the webhook configurations (the caBundle changes whenever local
 * certificates are made anew). For webhook servers reached by URL — a manager run outside the
 * cluster; a cluster deploy owns the configurations through kustomize instead.
 */
export async function applyWebhookConfigurations(client: Client, configs: WebhookConfigurations): Promise<void> {
  for (const [kind, desired] of [
    [MutatingWebhookConfiguration, configs.mutating],
    [ValidatingWebhookConfiguration, configs.validating],
  ] as const) {
    if (!desired) continue;
    const api = client.resource(kind);
    const existing = await api
      .get('', desired.metadata.name!)
      .catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (existing)
      await api.update({
        ...desired,
        metadata: { ...desired.metadata, resourceVersion: existing.metadata.resourceVersion },
      });
    else await api.create(desired);
  }
}

/**
 * Points the API server at a webhook server on this machine (`nx run <app>:serve`, `npm start`):
 * the app's admission webhook configurations with `url` and `caBundle`, and each CRD with a
 * registered conversion webhook switched to `conversion.strategy: Webhook` at that URL. A CRD
 * not installed yet is skipped (install it, then restart): conversion is only asked for when a
 * kind has several versions, which means its CRD was installed by `install`.
 */
export async function registerLocalWebhooks(
  client: Client,
  app: string,
  registrations: readonly WebhookRegistration[],
  target: { url: string; caBundle: string },
): Promise<{ configurations: string[]; crds: string[] }> {
  const configs = webhookConfigurations(registrations, { app, target });
  await applyWebhookConfigurations(client, configs);
  const crds: string[] = [];
  for (const reg of registrations.filter((r) => r.type === 'conversion')) {
    const name = `${reg.kind.plural}.${reg.kind.group}`;
    const patch = {
      spec: {
        conversion: {
          strategy: 'Webhook',
          webhook: {
            clientConfig: {
              url: `${target.url.replace(/\/$/, '')}${reg.path}`,
              caBundle: target.caBundle,
              service: null,
            },
            conversionReviewVersions: ['v1'],
          },
        },
      },
    };
    const done = await client
      .resource(CustomResourceDefinition)
      .patch(undefined, name, patch, 'merge')
      .then(
        () => true,
        (e: unknown) => (isNotFound(e) ? false : Promise.reject(e)),
      );
    if (done) crds.push(name);
  }
  return {
    configurations: [configs.mutating, configs.validating]
      .filter((c): c is NonNullable<typeof c> => c !== undefined)
      .map((c) => (c as KubeObject).metadata.name!),
    crds,
  };
}
