import { setCondition } from '@kubeloop/reconcile';
import type { NumberObject, NumberStatus } from '../api/v1beta1/number.ts';
import { fizzBuzz, isSquare } from '../arithmetic/arithmetic.ts';

/**
 * A Number's status depends only on its spec, so it is always Ready once computed. Both fields
 * are always written — `isSquare: false` included, so the Square column is never blank.
 */
export function numberStatus(number: NumberObject, now = new Date()): NumberStatus {
  const generation = number.metadata.generation;
  // The schema requires spec.value only when spec is present; a Number without spec is 0.
  const value = number.spec?.value ?? 0;
  return {
    fizzBuzz: fizzBuzz(value),
    isSquare: isSquare(value),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: setCondition(
      number.status?.conditions,
      {
        type: 'Ready',
        status: 'True',
        reason: 'Computed',
        message: '',
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      },
      now,
    ),
  };
}
