import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * Guestbook is the Schema for the guestbooks API: the single source of truth of its CRD
 * (`nx run guestbook:manifests` renders deploy/guestbook/crd/webapp.my.domain_guestbooks.yaml from it).
 * TODO(user): describe what a Guestbook is for.
 */
export const Guestbook = defineKind({
  group: 'webapp.my.domain',
  version: 'v1',
  kind: 'Guestbook',
  plural: 'guestbooks',
  scope: 'Namespaced',
  description: 'Guestbook is the Schema for the guestbooks API.',
  // The desired state. TODO(user): declare the fields, with their bounds and defaults (the API
  // server enforces them: a bad spec is refused before any controller sees it).
  spec: Type.Object({
    foo: Type.Optional(Type.String({ description: 'An example field of Guestbook; edit or remove it.' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the Guestbook is reconciled.')),
  }),
});

export type GuestbookObject = ObjectOf<typeof Guestbook>;
