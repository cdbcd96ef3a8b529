/**
 * Event conversion (EV-2): events.k8s.io/v1 Events are stored as core/v1 Events, so both APIs
 * serve the same objects; the field renames below are the whole difference.
 */
import type { KubeObject } from '../types.ts';

export const EVENT_V1_TO_CORE: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function renameFields(o: KubeObject, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { ...o };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

/** events.k8s.io/v1 → the core/v1 storage form. */
export function eventsV1ToCoreEvent(o: KubeObject): KubeObject {
  const out = renameFields(o, EVENT_V1_TO_CORE);
  out.apiVersion = 'v1';
  out.kind = 'Event';
  return out;
}

/** The core/v1 storage form → events.k8s.io/v1. */
export function coreEventToEventsV1(o: KubeObject): KubeObject {
  const out = renameFields(
    o,
    EVENT_V1_TO_CORE.map(([a, b]) => [b, a] as [string, string]),
  );
  out.apiVersion = 'events.k8s.io/v1';
  out.kind = 'Event';
  return out;
}
