import { runManager } from '@kubeloop/runtime';
import { app, namespaced } from './manifests.ts';
import { setupGuestbook } from './setup.ts';

// The guestbook manager, as its container runs it and `nx run guestbook:serve` runs it here.
// Flags and environment as every kubeloop manager (--kubeconfig, --leader-elect,
// --metrics-bind-address, --health-probe-bind-address, --local-webhooks, ...; --help lists them).
// Namespace-scoped: it watches only WATCH_NAMESPACE (the Deployment sets it to its own namespace)
// and exits 1 when that is unset.
await runManager(app, setupGuestbook, { namespaced });
