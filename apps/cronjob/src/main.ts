import { runManager } from '@kubeloop/runtime';
import { app, namespaced } from './manifests.ts';
import { setupCronjob } from './setup.ts';

// The cronjob manager, as its container runs it and `nx run cronjob:serve` runs it here.
// Flags and environment as every kubeloop manager (--kubeconfig, --leader-elect,
// --metrics-bind-address, --health-probe-bind-address, --local-webhooks, ...; --help lists them).
await runManager(app, setupCronjob, { namespaced });
