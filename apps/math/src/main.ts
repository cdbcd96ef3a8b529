import { runManager } from '@kubeloop/runtime';
import { controllers } from './manifests.ts';

// The manager for Number, Tuple and Fermat: flags and environment as every kubeloop manager
// (--kubeconfig, --metrics-bind-address, --health-probe-bind-address, --leader-elect, …).
runManager('math', (mgr) => {
  for (const controller of controllers) mgr.add(controller);
});
