import type { Deployment } from '@kubeloop/runtime';
import type { FooObject } from '../api/v1alpha1/foo.ts';

/** The one child a Foo wants, as syncOwnedChildren takes it. */
export interface DesiredDeployment {
  name: string;
  /** The Foo's spec.replicas; undefined leaves the Deployment's as they are (server default 1). */
  replicas: number | undefined;
  /** `app=nginx, controller=<foo>`: the selector and the Pods' labels. */
  podLabels: Record<string, string>;
}

/** The Deployment a Foo asks for, or none while spec.deploymentName is empty (upstream: nothing happens). */
export function desiredDeployments(foo: FooObject): DesiredDeployment[] {
  const name = foo.spec.deploymentName;
  if (!name) return [];
  return [{ name, replicas: foo.spec.replicas, podLabels: { app: 'nginx', controller: foo.metadata.name! } }];
}

/**
 * Sets what the Foo owns on its Deployment, as syncOwnedChildren's `apply`. A new Deployment is
 * upstream's newDeployment: selector and Pod labels `app=nginx,controller=<foo>`, one `nginx`
 * container of `nginx:latest`, `spec.replicas`. On an existing one only `spec.replicas` is the
 * Foo's: upstream's whole-object Update on a replicas change would also reset every other field
 * (and send them all), where one field differs. The selector is immutable anyway, and the
 * template is left to whoever edits it, as upstream leaves it while the replicas agree.
 */
export function applyDeployment(deployment: Deployment, want: DesiredDeployment): void {
  const fresh = deployment.metadata.uid === undefined;
  if (fresh) {
    deployment.spec = {
      selector: { matchLabels: { ...want.podLabels } },
      template: {
        metadata: { labels: { ...want.podLabels } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] },
      },
    };
  }
  if (want.replicas !== undefined && deployment.spec) deployment.spec.replicas = want.replicas;
}

/** Whether a cached Deployment already has what applyDeployment would set (the Foo's replicas). */
export function deploymentMatches(deployment: Deployment, want: DesiredDeployment): boolean {
  return want.replicas === undefined || deployment.spec?.replicas === want.replicas;
}
