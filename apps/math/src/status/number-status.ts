import { setCondition } from '@kubeloop/reconcile';
import type { NumberObject, NumberStatus } from '../api/v1beta1/number.ts';
import { fizzBuzz, isSquare } from '../arithmetic/arithmetic.ts';

/**
 * A Number's status depends only on its spec, so it is always Ready once computed. Both fields
 * are always written — `isSquare: false` included, so the Square column is never blank.
 */
export function numberStatus(number: NumberObject, now = new Date()): NumberStatus {
  const generation = number.metadata.generation;
  return {
    fizzBuzz: fizzBuzz(number.spec.value),
    isSquare: isSquare(number.spec.value),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: setCondition(
      number.status?.conditions,
      { type: 'Ready', status: 'True', reason: 'Computed', message: '', ...(generation !== undefined ? { observedGeneration: generation } : {}) },
      now,
    ),
  };
}
