import {
  isNotFound,
  MutatingWebhookConfiguration,
  ValidatingWebhookConfiguration,
  type Client,
  mutatePath,
  validatePath,
  type WebhookServer,
} from '@kubeloop/runtime';
import { MarkdownView } from '../api/v1/markdown-view.ts';
import { DEFAULT_VIEWER_IMAGE } from '../desired/viewer.ts';
import { defaultMarkdownView, validateMarkdownView } from './markdown-view.validation.ts';

/** Webhook names as the original kubebuilder project registered them (users' configs name them). */
export const MUTATING_WEBHOOK_NAME = 'mmarkdownview.kb.io';
export const VALIDATING_WEBHOOK_NAME = 'vmarkdownview.kb.io';

/**
 * Registers the defaulting and validating webhooks on the manager's webhook server. Deletes are
 * not validated: refusing to delete a broken object would leave users stuck with it.
 */
export function setupMarkdownViewWebhooks(
  webhooks: Pick<WebhookServer, 'defaulter' | 'validator'>,
  defaultViewerImage = DEFAULT_VIEWER_IMAGE,
): void {
  webhooks.defaulter(MarkdownView, (view) => defaultMarkdownView(view, defaultViewerImage));
  webhooks.validator(MarkdownView, {
    create: (view) => validateMarkdownView(view, 'CREATE'),
    update: (_old, view) => validateMarkdownView(view, 'UPDATE'),
  });
}

export const MUTATING_CONFIGURATION = 'markdown-view-mutating-webhook-configuration';
export const VALIDATING_CONFIGURATION = 'markdown-view-validating-webhook-configuration';

/**
 * The two webhook configurations pointing at a webhook server reachable by URL — a manager run
 * outside the cluster (`nx run markdown-view:serve`, tests). In a cluster the configurations in
 * deploy/markdown-view/webhook/ reach the manager through its Service instead; rules, names and
 * paths are the same.
 */
export function webhookConfigurationsFor(
  baseUrl: string,
  caBundle: string,
): { mutating: MutatingWebhookConfiguration; validating: ValidatingWebhookConfiguration } {
  const rules = [
    {
      apiGroups: [MarkdownView.group],
      apiVersions: [MarkdownView.version],
      operations: ['CREATE', 'UPDATE'],
      resources: [MarkdownView.plural],
      scope: 'Namespaced',
    },
  ];
  const common = {
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Fail' as const,
    timeoutSeconds: 10,
    rules,
  };
  const base = baseUrl.replace(/\/$/, '');
  return {
    mutating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: MUTATING_CONFIGURATION, labels: { 'app.kubernetes.io/name': 'markdown-view' } },
      webhooks: [
        {
          name: MUTATING_WEBHOOK_NAME,
          clientConfig: { url: `${base}${mutatePath(MarkdownView)}`, caBundle },
          ...common,
        },
      ],
    },
    validating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: VALIDATING_CONFIGURATION, labels: { 'app.kubernetes.io/name': 'markdown-view' } },
      webhooks: [
        {
          name: VALIDATING_WEBHOOK_NAME,
          clientConfig: { url: `${base}${validatePath(MarkdownView)}`, caBundle },
          ...common,
        },
      ],
    },
  };
}

/**
 * Creates or replaces both configurations (the caBundle changes whenever local certificates are
 * made anew). Only for webhook servers reached by URL; a cluster deploy owns them through
 * kustomize instead.
 */
export async function applyWebhookConfigurations(
  client: Client,
  configs: ReturnType<typeof webhookConfigurationsFor>,
): Promise<void> {
  for (const [kind, desired] of [
    [MutatingWebhookConfiguration, configs.mutating],
    [ValidatingWebhookConfiguration, configs.validating],
  ] as const) {
    const api = client.resource(kind as typeof MutatingWebhookConfiguration);
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
