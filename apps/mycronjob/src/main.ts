import { runManager } from '@kubeloop/runtime';
import { app, namespaced } from './manifests.ts';
import { setupMycronjob } from './setup.ts';

// The mycronjob manager, as its container runs it and `nx run mycronjob:serve` runs it here.
// Flags and environment as every kubeloop manager (--kubeconfig, --leader-elect,
// --metrics-bind-address, --health-probe-bind-address, --local-webhooks, ...; --help lists them).
await runManager(app, setupMycronjob, { namespaced });
