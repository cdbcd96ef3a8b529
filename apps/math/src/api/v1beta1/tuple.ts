import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';
import { CATEGORIES, GROUP, VERSION } from './group.ts';
import { CONDITIONS_DESCRIPTION, READY_COLUMN, SafeInt64 } from './schema.ts';

/** At most this many numbers: each becomes a Number object. */
export const MAX_TUPLE_NUMBERS = 1000;

/** A list of integers; its controller creates one Number `<tuple>-<index>` per item. */
export const Tuple = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Tuple',
  plural: 'tuples',
  scope: 'Namespaced',
  shortNames: ['tup'],
  categories: CATEGORIES,
  description: 'A list of integers, each reconciled as a child Number; reports whether all are squares.',
  spec: Type.Object({
    numbers: Type.Array(SafeInt64('One integer of the tuple.'), {
      maxItems: MAX_TUPLE_NUMBERS,
      description: 'The integers; each becomes a Number named <tuple>-<index>.',
    }),
  }),
  status: Type.Object({
    count: Type.Optional(
      Type.Integer({ minimum: 0, description: 'How many numbers spec.numbers holds (for the Numbers column).' }),
    ),
    allSquares: Type.Optional(
      Type.Boolean({ description: 'True iff every child Number has reported and is a square (empty tuple: true).' }),
    ),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions(CONDITIONS_DESCRIPTION)),
  }),
  printerColumns: [
    { name: 'Numbers', type: 'integer', jsonPath: '.status.count' },
    { name: 'AllSquares', type: 'boolean', jsonPath: '.status.allSquares' },
    READY_COLUMN,
  ],
});

export type TupleObject = ObjectOf<typeof Tuple>;
export type TupleStatus = NonNullable<TupleObject['status']>;
