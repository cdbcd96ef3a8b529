/**
 * The built-in resource types local-apiserver serves, each with its strategy (one file per kind in
 * strategies/). Discovery, the path grammar and the engine all read this table through the Registry.
 */
import type { ResourceType } from '../types.ts';
import type { Strategy } from './strategy.ts';
import { CORE_SELECTABLE_FIELDS, EVENTS_V1_FIELD_LABELS } from '../selectors/field-selector.ts';
import { configMapStrategy } from './strategies/configmap.ts';
import { crdStrategy } from './strategies/crd.ts';
import { cronJobStrategy } from './strategies/cronjob.ts';
import { deploymentStrategy } from './strategies/deployment.ts';
import { coreEventStrategy, eventsV1Strategy } from './strategies/event.ts';
import { jobStrategy } from './strategies/job.ts';
import { leaseStrategy } from './strategies/lease.ts';
import { namespaceStrategy } from './strategies/namespace.ts';
import { podStrategy } from './strategies/pod.ts';
import {
  RBAC_GROUP,
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategy,
} from './strategies/rbac.ts';
import { replicaSetStrategy } from './strategies/replicaset.ts';
import { secretStrategy } from './strategies/secret.ts';
import { serviceAccountStrategy } from './strategies/service-account.ts';
import { serviceStrategy } from './strategies/service.ts';
import { webhookConfigStrategy } from './strategies/webhook-configuration.ts';

const VERBS8 = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface BuiltinEntry {
  rt: ResourceType;
  strategy: Strategy;
}

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: VERBS8,
    subresources: { status: false },
    storageKey: `${group}/${plural}`,
    origin: 'builtin',
    selectableFields: CORE_SELECTABLE_FIELDS[kind] && group === '' ? CORE_SELECTABLE_FIELDS[kind] : [],
    ...extra,
  };
}

export function builtinEntries(): BuiltinEntry[] {
  return [
    {
      rt: rt('', 'v1', 'Namespace', 'namespaces', false, {
        shortNames: ['ns'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        subresources: { status: true, finalize: true },
      }),
      strategy: namespaceStrategy,
    },
    { rt: rt('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }), strategy: configMapStrategy },
    { rt: rt('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }), strategy: coreEventStrategy },
    {
      rt: rt('', 'v1', 'Pod', 'pods', true, {
        shortNames: ['po'],
        categories: ['all'],
        subresources: { status: true },
      }),
      strategy: podStrategy,
    },
    { rt: rt('', 'v1', 'Secret', 'secrets', true), strategy: secretStrategy },
    {
      rt: rt('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
      strategy: serviceAccountStrategy,
    },
    {
      rt: rt('', 'v1', 'Service', 'services', true, {
        shortNames: ['svc'],
        categories: ['all'],
        subresources: { status: true },
      }),
      strategy: serviceStrategy,
    },
    {
      rt: rt('apps', 'v1', 'Deployment', 'deployments', true, {
        shortNames: ['deploy'],
        categories: ['all'],
        subresources: {
          status: true,
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
      }),
      strategy: deploymentStrategy,
    },
    {
      rt: rt('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
        shortNames: ['rs'],
        categories: ['all'],
        subresources: {
          status: true,
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
      }),
      strategy: replicaSetStrategy,
    },
    {
      rt: rt('batch', 'v1', 'CronJob', 'cronjobs', true, {
        shortNames: ['cj'],
        categories: ['all'],
        subresources: { status: true },
      }),
      strategy: cronJobStrategy,
    },
    {
      rt: rt('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: { status: true } }),
      strategy: jobStrategy,
    },
    { rt: rt('coordination.k8s.io', 'v1', 'Lease', 'leases', true), strategy: leaseStrategy },
    {
      rt: rt('events.k8s.io', 'v1', 'Event', 'events', true, {
        shortNames: ['ev'],
        storageKey: '/events',
        selectableFields: Object.keys(EVENTS_V1_FIELD_LABELS).filter((f) => !f.startsWith('metadata.')),
      }),
      strategy: eventsV1Strategy,
    },
    {
      rt: rt('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: { status: true },
      }),
      strategy: crdStrategy,
    },
    {
      rt: rt(
        'admissionregistration.k8s.io',
        'v1',
        'MutatingWebhookConfiguration',
        'mutatingwebhookconfigurations',
        false,
        { categories: ['api-extensions'] },
      ),
      strategy: webhookConfigStrategy,
    },
    {
      rt: rt(
        'admissionregistration.k8s.io',
        'v1',
        'ValidatingWebhookConfiguration',
        'validatingwebhookconfigurations',
        false,
        { categories: ['api-extensions'] },
      ),
      strategy: webhookConfigStrategy,
    },
    {
      rt: rt(RBAC_GROUP, 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
      strategy: clusterRoleBindingStrategy,
    },
    { rt: rt(RBAC_GROUP, 'v1', 'ClusterRole', 'clusterroles', false), strategy: clusterRoleStrategy },
    { rt: rt(RBAC_GROUP, 'v1', 'RoleBinding', 'rolebindings', true), strategy: roleBindingStrategy },
    { rt: rt(RBAC_GROUP, 'v1', 'Role', 'roles', true), strategy: roleStrategy },
  ];
}
