/** Admission webhooks (apiserver.md §9.7). */
export {
  createAdmission,
  admissionModule,
  admissionReview,
  webhookMatches,
  ruleMatches,
  denial,
  WebhookCallError,
} from './admission.ts';
export type { AdmissionOptions, ServiceReference, Webhook } from './admission.ts';
