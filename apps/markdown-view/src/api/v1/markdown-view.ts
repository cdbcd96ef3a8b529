import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

export const GROUP = 'view.kubebuilder.example.com';
export const VERSION = 'v1';

/** Bounds of spec.replicas: in the schema (holds with webhooks off) and in the webhook's message. */
export const MIN_REPLICAS = 1;
export const MAX_REPLICAS = 5;
export const DEFAULT_REPLICAS = 1;

/** The key every book needs: the viewer's table of contents. */
export const SUMMARY_KEY = 'SUMMARY.md';

/**
 * A book of markdown pages served by the markdown viewer: the controller keeps a ConfigMap
 * `markdowns-<name>` with the pages, a Deployment `viewer-<name>` running the viewer with the
 * ConfigMap mounted, and a Service `viewer-<name>` in front of it.
 */
export const MarkdownView = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'MarkdownView',
  plural: 'markdownviews',
  scope: 'Namespaced',
  shortNames: ['mdv'],
  categories: ['kubeloop'],
  description: 'A markdown book (SUMMARY.md plus pages) served by the markdown viewer.',
  spec: Type.Object({
    markdowns: Type.Record(Type.String(), Type.String(), {
      minProperties: 1,
      description: 'Pages by file name; must contain SUMMARY.md (the table of contents). Keys are ConfigMap keys.',
    }),
    replicas: Type.Optional(
      Type.Integer({
        format: 'int32',
        minimum: MIN_REPLICAS,
        maximum: MAX_REPLICAS,
        default: DEFAULT_REPLICAS,
        description: 'Number of viewer pods, 1 to 5.',
      }),
    ),
    viewerImage: Type.Optional(
      Type.String({ description: 'Container image of the viewer; the mutating webhook fills in the default.' }),
    ),
  }),
  status: Type.Object({
    replicas: Type.Optional(
      Type.Integer({ format: 'int32', minimum: 0, description: 'Viewer pods the Deployment has.' }),
    ),
    availableReplicas: Type.Optional(
      Type.Integer({ format: 'int32', minimum: 0, description: 'Viewer pods available.' }),
    ),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Available, Progressing and Degraded.')),
  }),
  printerColumns: [
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Available', type: 'string', jsonPath: '.status.conditions[?(@.type=="Available")].status' },
  ],
});

export type MarkdownViewObject = ObjectOf<typeof MarkdownView>;
export type MarkdownViewSpec = MarkdownViewObject['spec'];
export type MarkdownViewStatus = NonNullable<MarkdownViewObject['status']>;
