import { runManager } from '@kubeloop/runtime';
import { app, namespaced } from './manifests.ts';
import { setupSampleController } from './setup.ts';

// The sample-controller manager, as its container runs it and `nx run sample-controller:serve` runs it here.
// Flags and environment as every kubeloop manager (--kubeconfig, --leader-elect,
// --metrics-bind-address, --health-probe-bind-address, --local-webhooks, ...; --help lists them).
await runManager(app, setupSampleController, { namespaced });
