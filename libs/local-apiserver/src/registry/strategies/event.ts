import type { FieldError, KubeObject } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from '../event-conversion.ts';
import { noGeneration, obj } from './shared.ts';
import { dns1123SubdomainErrors, qualifiedNameErrors } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { stableEqual, textOf } from '../../engine/object-values.ts';

// ---------------------------------------------------------------- Events (EV-1, EV-2)

/**
 * legacyValidateEvent: what every Event must pass, in its core (storage) form. `v1` names the
 * reporting controller field as core/v1 clients know it (`reportingComponent`).
 */
function legacyValidateEvent(o: KubeObject, coreRequest: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const io = obj(o.involvedObject);
  const ns = o.metadata?.namespace ?? '';
  const ioNs = typeof io.namespace === 'string' ? io.namespace : '';
  const mismatch = (): FieldError => ({
    type: 'FieldValueInvalid',
    field: 'involvedObject.namespace',
    value: ioNs,
    detail: 'does not match event.namespace',
  });
  if (!o.eventTime) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== ioNs) errs.push(mismatch());
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = coreRequest ? 'reportingComponent' : 'reportingController';
    const controller = typeof o.reportingComponent === 'string' ? o.reportingComponent : '';
    if (!controller) errs.push({ type: 'FieldValueRequired', field: rc });
    for (const m of qualifiedNameErrors(controller))
      errs.push({ type: 'FieldValueInvalid', field: rc, value: controller, detail: m });
    const instance = typeof o.reportingInstance === 'string' ? o.reportingInstance : '';
    if (!instance) errs.push({ type: 'FieldValueRequired', field: 'reportingInstance' });
    if (instance.length > 128)
      errs.push({
        type: 'FieldValueInvalid',
        field: 'reportingInstance',
        value: '',
        detail: 'can have at most 128 characters',
      });
    const action = typeof o.action === 'string' ? o.action : '';
    if (!action) errs.push({ type: 'FieldValueRequired', field: 'action' });
    if (action.length > 128)
      errs.push({ type: 'FieldValueInvalid', field: 'action', value: '', detail: 'can have at most 128 characters' });
    const reason = typeof o.reason === 'string' ? o.reason : '';
    if (!reason) errs.push({ type: 'FieldValueRequired', field: 'reason' });
    if (reason.length > 128)
      errs.push({ type: 'FieldValueInvalid', field: 'reason', value: '', detail: 'can have at most 128 characters' });
    if (typeof o.message === 'string' && o.message.length > 1024)
      errs.push({ type: 'FieldValueInvalid', field: 'message', value: '', detail: 'can have at most 1024 characters' });
  }
  for (const m of dns1123SubdomainErrors(ns))
    errs.push({ type: 'FieldValueInvalid', field: 'namespace', value: ns, detail: m });
  return errs;
}

function validateSeries(o: KubeObject): FieldError[] {
  const series = o.series;
  if (series === undefined || series === null) return [];
  const s = obj(series);
  const errs: FieldError[] = [];
  if (typeof s.count !== 'number' || s.count < 2)
    errs.push({ type: 'FieldValueInvalid', field: 'series.count', value: '', detail: 'should be at least 2' });
  if (!s.lastObservedTime) errs.push({ type: 'FieldValueRequired', field: 'series.lastObservedTime' });
  return errs;
}

const IMMUTABLE_ON_V1_UPDATE = [
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'reason',
  'type',
  'eventTime',
  'action',
  'related',
  'reportingController',
  'reportingInstance',
];

/** ValidateEventCreate/Update for a request through events.k8s.io/v1 (the strict rules), on the core form. */
function validateEventsV1(core: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = legacyValidateEvent(core, false);
  if (!old) {
    errs.push(...validateObjectMeta(core, 'subdomain', true, true));
    errs.push(...validateSeries(core));
    if (!core.eventTime) errs.push({ type: 'FieldValueRequired', field: 'eventTime' });
    if (core.type !== 'Normal' && core.type !== 'Warning')
      errs.push({
        type: 'FieldValueInvalid',
        field: 'type',
        value: '',
        detail: `has invalid value: ${textOf(core.type)}`,
      });
    for (const f of ['firstTimestamp', 'lastTimestamp'])
      if (core[f]) errs.push({ type: 'FieldValueInvalid', field: f, value: '', detail: 'needs to be unset' });
    if (typeof core.count === 'number' && core.count !== 0)
      errs.push({ type: 'FieldValueInvalid', field: 'count', value: '', detail: 'needs to be unset' });
    const source = obj(core.source);
    if (source.component || source.host)
      errs.push({ type: 'FieldValueInvalid', field: 'source', value: '', detail: 'needs to be unset' });
    return errs;
  }
  if (!stableEqual(core.series, old.series)) errs.push(...validateSeries(core));
  for (const f of IMMUTABLE_ON_V1_UPDATE) {
    const key = f === 'reportingController' ? 'reportingComponent' : f;
    if (!stableEqual(core[key] ?? null, old[key] ?? null))
      errs.push({ type: 'FieldValueInvalid', field: f, value: core[key], detail: 'field is immutable' });
  }
  return errs;
}

export const coreEventStrategy: Strategy = {
  ...noGeneration,
  // Events created through core/v1 pass the legacy checks only; then, as for every type, the
  // generic ObjectMeta checks with the name as a path segment (recorders name Events
  // <object>.<hex>, which for an object with a long name exceeds a DNS subdomain's 253).
  ownsObjectMetaValidation: true,
  nameValidation: 'pathSegment',
  validate: (o) => legacyValidateEvent(o, true),
};

export const eventsV1Strategy: Strategy = {
  ...noGeneration,
  ownsObjectMetaValidation: true,
  validationGroup: '',
  toStorage: eventsV1ToCoreEvent,
  fromStorage: coreEventToEventsV1,
  validate: (o, old) => validateEventsV1(eventsV1ToCoreEvent(o), old ? eventsV1ToCoreEvent(old) : undefined),
};
