import type { Deployment } from '@kubeloop/runtime';
import type { FooObject } from '../api/v1alpha1/foo.ts';

/**
 * A Foo's status: its Deployment's availableReplicas, 0 while the Deployment reports none (as
 * upstream writes the int32 field's zero value), so a user sees the number once the Foo is synced.
 */
export function fooStatus(deployment: Deployment): NonNullable<FooObject['status']> {
  return { availableReplicas: deployment.status?.availableReplicas ?? 0 };
}
