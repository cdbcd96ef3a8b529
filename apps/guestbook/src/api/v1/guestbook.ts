import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/** The kinds of entry a guestbook collects (kubebuilder's `+kubebuilder:validation:Enum=Phone;Address;Name`). */
export const ALIASES = ['Phone', 'Address', 'Name'] as const;

/**
 * Guestbook is the Schema for the guestbooks API: the single source of truth of its CRD
 * (`nx run guestbook:manifests` renders deploy/guestbook/crd/webapp.my.domain_guestbooks.yaml from it).
 * It is the kubebuilder quick start's Guestbook as one of our sources edited it: every bound
 * lives in the schema, so the API server refuses a bad spec with its own message
 * (`spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1`)
 * before any controller sees it.
 */
export const Guestbook = defineKind({
  group: 'webapp.my.domain',
  version: 'v1',
  kind: 'Guestbook',
  plural: 'guestbooks',
  scope: 'Namespaced',
  description: 'Guestbook is the Schema for the guestbooks API.',
  spec: Type.Object({
    size: Type.Integer({ format: 'int32', minimum: 1, maximum: 10, description: 'Quantity of instances.' }),
    configMapName: Type.String({
      minLength: 1,
      maxLength: 15,
      description: "Name of the ConfigMap for the Guestbook's configuration.",
    }),
    // The Go field is `Type`; its JSON name, which users write, is `alias`.
    alias: Type.Optional(
      Type.Union(
        ALIASES.map((a) => Type.Literal(a)),
        { description: 'The kind of entry the guestbook collects.' },
      ),
    ),
  }),
  // The observed state, written only by the controller (the /status subresource). `active` and
  // `standby` are required inside status, as the source declares them (no omitempty).
  status: Type.Object({
    active: Type.String({ description: 'Pod name of the active Guestbook node ("" while none runs).' }),
    standby: Type.Array(Type.String(), { description: 'Pod names of the standby Guestbook nodes.' }),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the Guestbook is reconciled.')),
  }),
});

export type GuestbookObject = ObjectOf<typeof Guestbook>;
export type GuestbookStatus = NonNullable<GuestbookObject['status']>;
