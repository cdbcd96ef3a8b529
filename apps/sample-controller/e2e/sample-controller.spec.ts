import { resolve } from 'node:path';
import { describeOperatorE2E } from '@kubeloop/envtest';
import { expect } from 'vitest';

/**
 * The sample-controller operator as a user runs it (kubebuilder's `make test-e2e`): its image
 * built from the workspace Dockerfile and delivered to the cluster, `nx run
 * sample-controller:deploy`, the samples, `nx run sample-controller:undeploy`. Runs against the
 * current kubeconfig's cluster and fails, saying why, when it has no Ready node.
 */
describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'sample-controller',
  namespaced: false,
  samplesTitle: "every sample Foo gets its Deployment and mirrors the Deployment's availableReplicas",
  // Foo has no Ready condition (upstream's kind): synced = its Deployment exists, controlled by
  // it, and status.availableReplicas was written equal to the Deployment's (an image the node
  // cannot pull keeps that at 0).
  async checkSample(foo, e2e) {
    const deployment = await e2e.get('deployment', (foo.spec as { deploymentName: string }).deploymentName);
    expect(deployment.metadata.ownerReferences?.find((r) => r.controller)?.uid).toBe(foo.metadata.uid);
    expect(foo.status?.availableReplicas, JSON.stringify(foo.status)).toBe(deployment.status?.availableReplicas ?? 0);
  },
});
