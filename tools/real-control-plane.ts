/**
 * Starts a real control plane (etcd, kube-apiserver, kube-controller-manager from
 * KUBEBUILDER_ASSETS, with envtest's flags) on free loopback ports and keeps it running until
 * Ctrl-C, printing its kubeconfig: a private real server to ask questions of, or to record the
 * local-apiserver conformance suite from (libs/local-apiserver/README.md "Conformance suite").
 *
 *   KUBEBUILDER_ASSETS=/work/realk8s/assets npm run real-control-plane
 */
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startControlPlane } from '@kubeloop/envtest';

const { values } = parseArgs({ options: { 'kubeconfig-out': { type: 'string' } } });
const assetsDir = process.env.KUBEBUILDER_ASSETS;
if (!assetsDir) {
  console.error('set KUBEBUILDER_ASSETS to the directory holding etcd, kube-apiserver and kube-controller-manager');
  process.exit(2);
}
const cp = await startControlPlane({ kind: 'real', assetsDir });
let kubeconfig = cp.kubeconfigPath;
if (values['kubeconfig-out']) {
  kubeconfig = resolve(values['kubeconfig-out']);
  copyFileSync(cp.kubeconfigPath, kubeconfig);
}
console.log(`real control plane up; KUBECONFIG=${kubeconfig}  (Ctrl-C stops it)`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cp.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
// Stay up until a signal: the control plane's child processes keep the event loop alive.
