import { runManager } from '@kubeloop/runtime';
import { setupMath } from './setup.ts';

// The manager for Number, Tuple and Fermat: flags and environment as every kubeloop manager
// (--kubeconfig, --metrics-bind-address, --health-probe-bind-address, --leader-elect, …; --help).
await runManager('math', setupMath);
