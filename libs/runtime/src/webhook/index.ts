export {
  WebhookServer,
  WebhookError,
  mutatePath,
  validatePath,
  type AdmissionRequest,
  type AdmissionResponse,
  type Defaulter,
  type Validator,
  type WebhookRegistration,
  type WebhookOptions,
  type ConversionSpoke,
  type ConversionRequest,
  type ConversionResponse,
  CONVERSION_PATH,
  type WebhookServerOptions,
  type Operation,
} from './server.ts';
export { ensureLocalWebhookCerts, type LocalWebhookCerts } from './local-certs.ts';
export { createPatch, applyPatch, escapePointer, type JsonPatchOp } from './json-patch.ts';
export {
  webhookConfigurations,
  webhookName,
  mutatingConfigurationName,
  validatingConfigurationName,
  type WebhookTarget,
  type WebhookConfigurations,
  type WebhookConfigurationsOptions,
} from './configurations.ts';
export { applyWebhookConfigurations, registerLocalWebhooks } from './local-registration.ts';
