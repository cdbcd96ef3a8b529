/**
 * The sample-controller app as the foo benchmark sees it: its kind, manager setup and the pure
 * functions its controller writes with, so the floor client writes byte-for-byte what the
 * controller would.
 */
import { crdFor } from '@kubeloop/runtime';
import { Foo, type FooObject } from '../../apps/sample-controller/src/api/v1alpha1/foo.ts';
import { fooController } from '../../apps/sample-controller/src/controllers/foo.controller.ts';
import { applyDeployment, desiredDeployments } from '../../apps/sample-controller/src/desired/deployment.ts';
import { setupSampleController } from '../../apps/sample-controller/src/setup.ts';
import { fooStatus } from '../../apps/sample-controller/src/status/foo-status.ts';

export { applyDeployment, desiredDeployments, Foo, fooController, fooStatus, setupSampleController, type FooObject };

export function fooCrd(): object {
  return crdFor(Foo);
}

/** The i-th Foo a user applies: Deployment `foo-<i>`, replicas 1 (upstream's example-foo). */
export function newFoo(namespace: string, i: number): FooObject {
  return {
    apiVersion: Foo.apiVersion,
    kind: 'Foo',
    metadata: { name: `foo-${i}`, namespace },
    spec: { deploymentName: `foo-${i}`, replicas: 1 },
  };
}
