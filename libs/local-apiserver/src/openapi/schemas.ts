/** `components.schemas`: meta types, CRD schemas as published (CRD-O-1), open built-in schemas, lists, Scale. */
import type { JsonSchemaProps, ResourceType } from '../types.ts';
import {
  DELETE_OPTIONS,
  LIST_META,
  OBJECT_META,
  PATCH,
  STATUS,
  gvk,
  ref,
  schemaName,
  type Json,
} from './schema-names.ts';

const TYPE_META = {
  apiVersion: {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  },
  kind: {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  },
};

export function metaSchemas(): Json {
  const str = (description: string) => ({ type: 'string', description });
  return {
    [OBJECT_META]: {
      type: 'object',
      description:
        'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      properties: {
        annotations: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Annotations is an unstructured key value map stored with a resource.',
        },
        creationTimestamp: {
          type: 'string',
          format: 'date-time',
          description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
        },
        deletionGracePeriodSeconds: {
          type: 'integer',
          format: 'int64',
          description: 'Number of seconds allowed for this object to gracefully terminate.',
        },
        deletionTimestamp: {
          type: 'string',
          format: 'date-time',
          description: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
        },
        finalizers: {
          type: 'array',
          items: { type: 'string', default: '' },
          'x-kubernetes-list-type': 'set',
          description: 'Must be empty before the object is deleted from the registry.',
        },
        generateName: str(
          'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
        ),
        generation: {
          type: 'integer',
          format: 'int64',
          description: 'A sequence number representing a specific generation of the desired state.',
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Map of string keys and values that can be used to organize and categorize objects.',
        },
        managedFields: {
          type: 'array',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          description:
            'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
        },
        name: str('Name must be unique within a namespace.'),
        namespace: str('Namespace defines the space within which each name must be unique.'),
        ownerReferences: {
          type: 'array',
          description: 'List of objects depended by this object.',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
          items: {
            type: 'object',
            required: ['apiVersion', 'kind', 'name', 'uid'],
            properties: {
              apiVersion: str('API version of the referent.'),
              kind: str('Kind of the referent.'),
              name: str('Name of the referent.'),
              uid: str('UID of the referent.'),
              controller: {
                type: 'boolean',
                description: 'If true, this reference points to the managing controller.',
              },
              blockOwnerDeletion: {
                type: 'boolean',
                description:
                  'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
              },
            },
          },
        },
        resourceVersion: str('An opaque value that represents the internal version of this object.'),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
        uid: str('UID is the unique in time and space value for this object.'),
      },
    },
    [LIST_META]: {
      type: 'object',
      description:
        'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: { type: 'integer', format: 'int64' },
        resourceVersion: str("String that identifies the server's internal version of this object."),
        selfLink: str('Deprecated.'),
      },
    },
    [STATUS]: {
      type: 'object',
      description: "Status is a return value for calls that don't return other objects.",
      properties: {
        ...TYPE_META,
        code: { type: 'integer', format: 'int32' },
        details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        message: { type: 'string' },
        metadata: { allOf: [ref(LIST_META)], default: {} },
        reason: { type: 'string' },
        status: { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [PATCH]: {
      type: 'object',
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    },
    [DELETE_OPTIONS]: {
      type: 'object',
      description: 'DeleteOptions may be provided when deleting an API object.',
      properties: {
        ...TYPE_META,
        dryRun: { type: 'array', items: { type: 'string', default: '' } },
        gracePeriodSeconds: { type: 'integer', format: 'int64' },
        orphanDependents: { type: 'boolean' },
        preconditions: { type: 'object', properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } } },
        propagationPolicy: { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
    },
  };
}

/** A CRD schema as published: its own properties plus TypeMeta and ObjectMeta (CRD-O-1). */
export function customSchema(rt: ResourceType): Json {
  const schema = structuredClone(
    rt.crd?.version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  ) as JsonSchemaProps & Json;
  const properties = { ...(schema.properties ?? {}) } as Json;
  properties.apiVersion = { ...TYPE_META.apiVersion, ...(properties.apiVersion as Json | undefined) };
  properties.kind = { ...TYPE_META.kind, ...(properties.kind as Json | undefined) };
  properties.metadata = {
    allOf: [ref(OBJECT_META)],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  return { ...schema, type: 'object', properties, 'x-kubernetes-group-version-kind': [gvk(rt)] };
}

/**
 * Built-in schemas are open (preserve unknown fields): the server validates built-ins itself and
 * kubectl validates server-side through fieldValidation, so these only name the kind.
 */
export function builtinSchema(rt: ResourceType): Json {
  return {
    type: 'object',
    description: `${rt.kind} (${rt.group || 'core'}/${rt.version}).`,
    properties: { ...TYPE_META, metadata: { allOf: [ref(OBJECT_META)], default: {} } },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [gvk(rt)],
  };
}

export function listSchema(rt: ResourceType): Json {
  return {
    type: 'object',
    description: `${rt.kind}List is a list of ${rt.kind}`,
    required: ['items'],
    properties: {
      ...TYPE_META,
      items: { type: 'array', items: ref(schemaName(rt)) },
      metadata: { allOf: [ref(LIST_META)], default: {} },
    },
    'x-kubernetes-group-version-kind': [gvk(rt, `${rt.kind}List`)],
  };
}

export const scaleSchema: Json = {
  type: 'object',
  description: 'Scale represents a scaling request for a resource.',
  properties: {
    ...TYPE_META,
    metadata: { allOf: [ref(OBJECT_META)], default: {} },
    spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } },
    status: {
      type: 'object',
      required: ['replicas'],
      properties: { replicas: { type: 'integer', format: 'int32', default: 0 }, selector: { type: 'string' } },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};
