import { Type } from '@kubeloop/runtime';
import { MAX_VALUE } from './group.ts';

export const SafeInt64 = (description: string) =>
  Type.Integer({ format: 'int64', minimum: -MAX_VALUE, maximum: MAX_VALUE, description });

/** The description of every math kind's `status.conditions`. */
export const CONDITIONS_DESCRIPTION = 'Standard conditions; Ready summarises whether every child has reported.';

export const READY_COLUMN = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
} as const;
