import { Type } from '@kubeloop/runtime';
import { MAX_VALUE } from './group.ts';

export const SafeInt64 = (description: string) =>
  Type.Integer({ format: 'int64', minimum: -MAX_VALUE, maximum: MAX_VALUE, description });

/** metav1.Condition, as every kind's status carries it. */
export const ConditionSchema = Type.Object({
  type: Type.String({ maxLength: 316, description: 'Condition type, e.g. Ready.' }),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.String({ minLength: 1, maxLength: 1024, description: 'CamelCase reason for the last transition.' }),
  message: Type.String({ maxLength: 32768, description: 'Human-readable detail; may be empty.' }),
  lastTransitionTime: Type.String({ format: 'date-time', description: 'When status last flipped.' }),
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64', minimum: 0 })),
});

export const Conditions = Type.Array(ConditionSchema, {
  maxItems: 8,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  description: 'Standard conditions; Ready summarises whether every child has reported.',
});

export const ObservedGeneration = Type.Integer({
  format: 'int64',
  minimum: 0,
  description: 'The metadata.generation this status was computed from.',
});

export const READY_COLUMN = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
} as const;
