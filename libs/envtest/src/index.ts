export { startControlPlane, selectControlPlane, type StartControlPlaneOptions } from './control-plane.ts';
export type { ControlPlane, ControlPlaneKind, Target } from './types.ts';
export { installCRDs, type InstallCRDsOptions } from './crds.ts';
export { createTestNamespace } from './namespace.ts';
export { operatorTestHarness, type OperatorHarnessOptions, type OperatorTestEnv } from './operator-harness.ts';
export { applyManifests } from './apply.ts';
export { eventually, type EventuallyOptions } from './eventually.ts';
export { loadManifests, type ManifestInput } from './manifest-input.ts';
export { apiRequest, type ApiResponse } from './api-request.ts';
export { runCommand, runKubectl, type CommandResult, type RunCommandOptions } from './command.ts';
export {
  EnvtestError,
  ControlPlaneStartError,
  AssetsMissingError,
  EventuallyTimeoutError,
  ApiRequestError,
  UnknownKindError,
  InvalidManifestError,
} from './errors.ts';
export * from './e2e/index.ts';
