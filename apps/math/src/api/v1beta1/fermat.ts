import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';
import { CATEGORIES, GROUP, VERSION } from './group.ts';
import { CONDITIONS_DESCRIPTION, READY_COLUMN } from './schema.ts';

/** Each unit of spec.number creates about one Number; the bound keeps one object from flooding a cluster. */
export const MAX_FERMAT_NUMBER = 10_000;

/**
 * Checks Fermat's theorem on sums of two squares for one number: a Tuple `[i, n−i]` per split,
 * and a witness when some Tuple is all squares.
 */
export const Fermat = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Fermat',
  plural: 'fermats',
  scope: 'Namespaced',
  categories: CATEGORIES,
  description: 'Looks for a way to write spec.number as a sum of two positive squares.',
  spec: Type.Object({
    number: Type.Integer({
      format: 'int64',
      minimum: 0,
      maximum: MAX_FERMAT_NUMBER,
      description: 'The number to split into two squares, 0..10000.',
    }),
  }),
  status: Type.Object({
    twoSquaresFound: Type.Optional(Type.Boolean({ description: 'True iff some child Tuple [i, n−i] is all squares.' })),
    witness: Type.Optional(Type.String({ description: 'The first split found, e.g. "1^2 + 2^2"; absent when none.' })),
    prime: Type.Optional(Type.Boolean({ description: 'Whether spec.number is prime.' })),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions(CONDITIONS_DESCRIPTION)),
  }),
  printerColumns: [
    { name: 'Number', type: 'integer', jsonPath: '.spec.number' },
    { name: 'TwoSquares', type: 'boolean', jsonPath: '.status.twoSquaresFound' },
    { name: 'Witness', type: 'string', jsonPath: '.status.witness' },
    { name: 'Prime', type: 'boolean', jsonPath: '.status.prime' },
    READY_COLUMN,
  ],
});

export type FermatObject = ObjectOf<typeof Fermat>;
export type FermatStatus = NonNullable<FermatObject['status']>;
