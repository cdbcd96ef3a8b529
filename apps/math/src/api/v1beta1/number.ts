import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';
import { CATEGORIES, GROUP, VERSION } from './group.ts';
import { CONDITIONS_DESCRIPTION, SafeInt64 } from './schema.ts';

/**
 * A single integer; its controller reports FizzBuzz and whether it is a perfect square. The value
 * is `NumberKind` (the Kubernetes kind stays `Number`) so that it never shadows the global `Number`.
 */
export const NumberKind = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Number',
  plural: 'numbers',
  scope: 'Namespaced',
  categories: CATEGORIES,
  description: 'An integer whose FizzBuzz word and squareness the math operator reports.',
  spec: Type.Object({
    value: SafeInt64('The integer, within ±(2^53−1) so that it is exact in JavaScript.'),
  }),
  status: Type.Object({
    fizzBuzz: Type.Optional(Type.String({ description: '"FizzBuzz", "Fizz", "Buzz", or the decimal value.' })),
    isSquare: Type.Optional(
      Type.Boolean({ description: 'Whether value is the square of an integer (0 is; negatives are not).' }),
    ),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions(CONDITIONS_DESCRIPTION)),
  }),
  printerColumns: [
    { name: 'Value', type: 'integer', jsonPath: '.spec.value' },
    { name: 'FizzBuzz', type: 'string', jsonPath: '.status.fizzBuzz' },
    { name: 'Square', type: 'boolean', jsonPath: '.status.isSquare' },
  ],
});

export type NumberObject = ObjectOf<typeof NumberKind>;
export type NumberStatus = NonNullable<NumberObject['status']>;
