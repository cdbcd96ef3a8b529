import type {
  AdmissionWebhook,
  MutatingWebhookConfiguration,
  ValidatingWebhookConfiguration,
  WebhookClientConfig,
} from '../kinds/builtin.ts';
import type { Kind, KubeObject } from '../kinds/kind.ts';
import type { WebhookRegistration } from './server.ts';

/**
 * Where the API server reaches the webhook server: through the manager's Service in a cluster
 * (`service`, the CA injected later by cert-manager or `tools/deploy.ts`), or by URL with a
 * known CA for a manager run outside the cluster (`nx run <app>:serve`, tests, `npm start`).
 */
export type WebhookTarget =
  | { service: { name: string; namespace: string; port?: number }; caBundle?: string }
  | { url: string; caBundle: string };

export interface WebhookConfigurationsOptions {
  /** The app; names the configurations `<app>-mutating-webhook-configuration` / `-validating-`. */
  app: string;
  target: WebhookTarget;
  /** Metadata annotations of both configurations (cert-manager's `inject-ca-from`). */
  annotations?: Record<string, string>;
}

export interface WebhookConfigurations {
  mutating?: MutatingWebhookConfiguration;
  validating?: ValidatingWebhookConfiguration;
}

/**
 * kubebuilder's webhook name: `m<kind>-<version>.kb.io` for defaulting, `v<kind>-<version>.kb.io`
 * for validation (controller-gen's marker default). A registration may name itself otherwise.
 */
export function webhookName(type: 'mutating' | 'validating', kind: Kind<KubeObject>): string {
  return `${type === 'mutating' ? 'm' : 'v'}${kind.kind.toLowerCase()}-${kind.version}.kb.io`;
}

export function mutatingConfigurationName(app: string): string {
  return `${app}-mutating-webhook-configuration`;
}

export function validatingConfigurationName(app: string): string {
  return `${app}-validating-webhook-configuration`;
}

function clientConfig(target: WebhookTarget, path: string): WebhookClientConfig {
  if ('url' in target) return { url: `${target.url.replace(/\/$/, '')}${path}`, caBundle: target.caBundle };
  const { name, namespace, port } = target.service;
  return {
    service: { name, namespace, path, port: port ?? 443 },
    ...(target.caBundle ? { caBundle: target.caBundle } : {}),
  };
}

/**
 * The Mutating/ValidatingWebhookConfigurations for what a webhook server serves, as
 * controller-gen writes them from kubebuilder's markers: one webhook per registration, its
 * rules the kind's group/version/plural/scope and the operations the registration handles,
 * `failurePolicy: Fail` (an unreachable webhook refuses the write rather than letting an
 * unchecked object in), `sideEffects: None`, `admissionReviewVersions: [v1]`. The same function
 * renders deploy/<app>/webhook/manifests.yaml (service target) and what a local run registers
 * (URL target), so the two never differ in anything but how the server is reached. Conversion
 * registrations are not admission webhooks: the CRD carries them (see crdFor's `conversion`).
 */
export function webhookConfigurations(
  registrations: readonly WebhookRegistration[],
  opts: WebhookConfigurationsOptions,
): WebhookConfigurations {
  const webhooksOf = (type: 'mutating' | 'validating'): AdmissionWebhook[] =>
    registrations
      .filter((r) => r.type === type)
      .map((r) => ({
        name: r.name ?? webhookName(type, r.kind),
        admissionReviewVersions: ['v1'],
        clientConfig: clientConfig(opts.target, r.path),
        failurePolicy: 'Fail',
        sideEffects: 'None',
        rules: [
          {
            apiGroups: [r.kind.group],
            apiVersions: [r.kind.version],
            operations: [...r.operations],
            resources: [r.kind.plural],
            // Spelled out (the API server's default is "*"): what a re-apply finds unchanged.
            scope: r.kind.namespaced ? 'Namespaced' : 'Cluster',
          },
        ],
      }));
  const metadata = (name: string) => ({
    name,
    labels: { 'app.kubernetes.io/name': opts.app },
    ...(opts.annotations && Object.keys(opts.annotations).length ? { annotations: { ...opts.annotations } } : {}),
  });
  const out: WebhookConfigurations = {};
  const mutating = webhooksOf('mutating');
  if (mutating.length > 0)
    out.mutating = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: metadata(mutatingConfigurationName(opts.app)),
      webhooks: mutating,
    };
  const validating = webhooksOf('validating');
  if (validating.length > 0)
    out.validating = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: metadata(validatingConfigurationName(opts.app)),
      webhooks: validating,
    };
  return out;
}
