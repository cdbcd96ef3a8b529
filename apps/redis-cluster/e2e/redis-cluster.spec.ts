import { resolve } from 'node:path';
import { describeOperatorE2E, imageFromEnv } from '@kubeloop/envtest';

/**
 * The redis-cluster operator as a user runs it (kubebuilder's `make test-e2e`): its image built
 * from the workspace Dockerfile and delivered to the cluster, `nx run redis-cluster:deploy`, the
 * samples Ready, `nx run redis-cluster:undeploy`. Runs against the current kubeconfig's cluster
 * and fails, saying why, when it has no Ready node.
 */
describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'redis-cluster',
  namespaced: false,
  // The Pods run spec.image (redis:7 unless set). A node that cannot pull it (an offline one) is
  // given an image it has through E2E_REDIS_IMAGE (the realk8s node: registry.k8s.io/pause:3.10.2):
  // the operator only creates and counts Pods, it never talks to Redis.
  prepareSamples: imageFromEnv('E2E_REDIS_IMAGE', (sample) => [(sample.spec ??= {})]),
});
