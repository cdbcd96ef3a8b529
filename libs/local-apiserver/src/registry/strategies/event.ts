import type { FieldError, KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { EVENT_V1_TO_CORE, coreEventToEventsV1, eventsV1ToCoreEvent } from '../event-conversion.ts';
import { noGeneration, obj } from './shared.ts';

// ---------------------------------------------------------------- Events (EV-1, EV-2)
function validateCoreEvent(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const io = obj(o.involvedObject);
  const ns = o.metadata?.namespace ?? '';
  if (!o.eventTime) {
    const ioNs = (io.namespace as string | undefined) ?? '';
    if (ioNs !== ns && !(ns === 'default' && ioNs === '') && !(ioNs === '' && ns)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'involvedObject.namespace',
        value: ioNs,
        detail: 'does not match event.namespace',
      });
    }
  } else {
    if (!o.reportingComponent) errs.push({ type: 'FieldValueRequired', field: 'reportingController' });
    if (!o.reportingInstance) errs.push({ type: 'FieldValueRequired', field: 'reportingInstance' });
    if (!o.action) errs.push({ type: 'FieldValueRequired', field: 'action' });
    if (!o.reason) errs.push({ type: 'FieldValueRequired', field: 'reason' });
    if (typeof o.message === 'string' && o.message.length > 1024) {
      errs.push({ type: 'FieldValueTooLong', field: 'note', detail: 'may not be more than 1024 bytes' });
    }
  }
  if (o.type !== undefined && o.type !== '' && o.type !== 'Normal' && o.type !== 'Warning' && o.eventTime) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'type',
      value: o.type,
      detail: 'supported values: "Normal", "Warning"',
    });
  }
  return errs;
}

export const coreEventStrategy: Strategy = {
  ...noGeneration,
  // kube-apiserver v1.36 checks a core/v1 Event's name only as a path segment: recorders name
  // Events <object>.<hex>, which for an object with a long name exceeds a DNS subdomain's 253.
  nameValidation: 'pathSegment',
  validate: validateCoreEvent,
};

export const eventsV1Strategy: Strategy = {
  ...noGeneration,
  toStorage: eventsV1ToCoreEvent,
  fromStorage: coreEventToEventsV1,
  validate(o, old) {
    const errs: FieldError[] = [];
    if (!old) {
      if (!o.eventTime) errs.push({ type: 'FieldValueRequired', field: 'eventTime' });
      if (o.type !== 'Normal' && o.type !== 'Warning') {
        errs.push({
          type: 'FieldValueNotSupported',
          field: 'type',
          value: o.type ?? '',
          detail: 'supported values: "Normal", "Warning"',
        });
      }
      for (const [v1, core] of EVENT_V1_TO_CORE.slice(2, 6))
        if (o[core] !== undefined && o[core] !== null)
          errs.push({ type: 'FieldValueInvalid', field: v1, value: o[core], detail: 'needs to be unset' });
    }
    if (errs.length) return errs;
    return validateCoreEvent(o);
  },
};
