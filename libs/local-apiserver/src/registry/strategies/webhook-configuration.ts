import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { obj, setDefault, type Obj } from './shared.ts';

// ---------------------------------------------------------------- webhook configurations
export const webhookConfigStrategy: Strategy = {
  generation: 'nonMetadata',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const mutating = o.kind === 'MutatingWebhookConfiguration';
    for (const w of (o.webhooks as Obj[] | undefined) ?? []) {
      setDefault(w, 'failurePolicy', 'Fail');
      setDefault(w, 'matchPolicy', 'Equivalent');
      if (w.namespaceSelector === undefined) w.namespaceSelector = {};
      if (w.objectSelector === undefined) w.objectSelector = {};
      setDefault(w, 'timeoutSeconds', 10);
      if (mutating) setDefault(w, 'reinvocationPolicy', 'Never');
      for (const r of (w.rules as Obj[] | undefined) ?? []) setDefault(r, 'scope', '*');
      const svc = obj(obj(w.clientConfig).service);
      if (obj(w.clientConfig).service) setDefault(svc, 'port', 443);
    }
  },
  validate(o) {
    const errs: FieldError[] = [];
    ((o.webhooks as Obj[] | undefined) ?? []).forEach((w, i) => {
      if (!w.name) errs.push({ type: 'FieldValueRequired', field: `webhooks[${i}].name` });
      if (w.sideEffects !== 'None' && w.sideEffects !== 'NoneOnDryRun') {
        if (!w.sideEffects)
          errs.push({
            type: 'FieldValueRequired',
            field: `webhooks[${i}].sideEffects`,
            detail: 'must specify one of None, NoneOnDryRun',
          });
        else
          errs.push({
            type: 'FieldValueNotSupported',
            field: `webhooks[${i}].sideEffects`,
            value: w.sideEffects,
            detail: 'supported values: "None", "NoneOnDryRun"',
          });
      }
      const timeout = w.timeoutSeconds;
      if (typeof timeout === 'number' && (timeout < 1 || timeout > 30))
        errs.push({
          type: 'FieldValueInvalid',
          field: `webhooks[${i}].timeoutSeconds`,
          value: timeout,
          detail: 'the timeout value must be between 1 and 30 seconds',
        });
      if (!Array.isArray(w.admissionReviewVersions) || w.admissionReviewVersions.length === 0) {
        errs.push({
          type: 'FieldValueRequired',
          field: `webhooks[${i}].admissionReviewVersions`,
          detail: 'must specify one of v1, v1beta1',
        });
      }
    });
    return errs;
  },
};
