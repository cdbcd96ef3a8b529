import { setCondition } from '@kubeloop/reconcile';
import type { GuestbookObject, GuestbookStatus } from '../api/v1/guestbook.ts';

/**
 * The status a Guestbook's reconcile reports, from the object alone: Ready=True for the
 * generation it saw (observedGeneration, on the condition too, so a reader can tell a stale
 * Ready from a current one). The source's reconcile runs no Pods for a Guestbook, so there is
 * no active node and no standby node to name: `active` is "" and `standby` is empty — both are
 * required by the schema, and a reader must see "none", not a stale name.
 */
export function guestbookStatus(guestbook: GuestbookObject): GuestbookStatus {
  const generation = guestbook.metadata.generation;
  return {
    active: '',
    standby: [],
    observedGeneration: generation,
    conditions: setCondition(guestbook.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: `size ${guestbook.spec.size}, configuration in ConfigMap ${guestbook.spec.configMapName}`,
      observedGeneration: generation,
    }),
  };
}
