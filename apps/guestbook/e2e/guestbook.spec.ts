import { resolve } from 'node:path';
import { describeOperatorE2E } from '@kubeloop/envtest';

/**
 * The guestbook operator as a user runs it (kubebuilder's `make test-e2e`): its image built from
 * the workspace Dockerfile and delivered to the cluster, `nx run guestbook:deploy`, the samples,
 * `nx run guestbook:undeploy`. Runs against the current kubeconfig's cluster and fails, saying
 * why, when it has no Ready node. TODO(user): check what your samples should become
 * (`checkSample`; the default waits for each sample's Ready condition) and add your own `tests`.
 */
describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'guestbook',
  // A namespaced manager watches only its own namespace: the samples go there.
  namespaced: true,
});
