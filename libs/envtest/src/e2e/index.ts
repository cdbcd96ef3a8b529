// End-to-end plumbing for suites that run an operator in a real cluster (`nx run <app>:e2e`):
// the cluster check, image build and delivery, port-forward, waits on workloads, hardening
// checks and timed steps. Re-exported by the package index.
export { connectCluster, ClusterUnavailableError, type E2ECluster } from './cluster.ts';
export {
  buildImage,
  templateCommand,
  shellQuote,
  ImageBuildError,
  type ImageSpec,
  type BuildImageOptions,
  type BuiltImage,
} from './images.ts';
export { portForward, PortForwardError, type PortForward } from './port-forward.ts';
export { hardeningProblems, type PodSpecLike } from './hardening.ts';
export { listPods, describePods, waitForDeploymentAvailable, waitForGone, type PodLike } from './workloads.ts';
export { step, stepReport, type StepTime } from './steps.ts';
export {
  renderOperatorTree,
  buildAppImage,
  clusterEnv,
  runNxTarget,
  kubectlOk,
  applyThroughWebhooks,
  waitForTreeGone,
  type OperatorTree,
  type ContainerLike,
} from './operator.ts';
export {
  describeOperatorE2E,
  expectReady,
  type OperatorE2E,
  type OperatorE2EOptions,
  type E2EObject,
} from './operator-suite.ts';
export { imageFromEnv, jobTemplateContainers, type ImageHolder } from './sample-images.ts';
export { expectJobsFromTemplate } from './jobs.ts';
