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
  type WebhookServerOptions,
  type Operation,
} from './server.ts';
export { ensureLocalWebhookCerts, type LocalWebhookCerts } from './local-certs.ts';
export { createPatch, applyPatch, escapePointer, type JsonPatchOp } from './json-patch.ts';
