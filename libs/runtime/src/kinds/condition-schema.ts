import { Type } from '@sinclair/typebox';

/**
 * Schemas every kind's status shares, declared once so that each CRD validates conditions the
 * way kube-apiserver validates metav1.Condition (the bounds below are metav1.Condition's own)
 * and so that `kubectl wait --for=condition=Ready` and printer columns work alike everywhere.
 * Use them inside `defineKind({ status: Type.Object({ conditions: Type.Optional(Conditions()) }) })`;
 * `@kubeloop/reconcile`'s `setCondition` produces values of exactly this shape.
 */

/** metav1.Condition: one entry of `status.conditions`. */
export const ConditionSchema = Type.Object({
  type: Type.String({ maxLength: 316, description: 'Condition type, e.g. Ready.' }),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.String({ minLength: 1, maxLength: 1024, description: 'CamelCase reason for the last transition.' }),
  message: Type.String({ maxLength: 32768, description: 'Human-readable detail; may be empty.' }),
  lastTransitionTime: Type.String({ format: 'date-time', description: 'When status last flipped.' }),
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64', minimum: 0 })),
});

/**
 * `status.conditions`: a list keyed by `type` (listType=map), as Kubernetes' own types declare
 * it, so a server-side apply or a merge by another field manager treats each condition type as
 * one entry rather than replacing the whole list. `description` names the kind's condition types
 * for `kubectl explain`.
 */
export function Conditions(description = 'Standard conditions (metav1.Condition), one per type.') {
  return Type.Array(ConditionSchema, {
    maxItems: 8,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
    description,
  });
}

/**
 * `status.observedGeneration`: the `metadata.generation` the status was computed from. Readers
 * compare the two to tell a current status from one that has not caught up with a spec edit.
 */
export const ObservedGeneration = Type.Integer({
  format: 'int64',
  minimum: 0,
  description: 'The metadata.generation this status was computed from.',
});
