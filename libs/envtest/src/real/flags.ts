import type { ControlPlanePki } from './pki.ts';

/**
 * Command lines of the three binaries. Pure functions, so the flags are unit-tested without
 * binaries and reviewed in one place. They follow controller-runtime's envtest
 * (pkg/internal/testing/controlplane) with the differences noted at each flag.
 */

export function etcdArgs(o: { dataDir: string; clientPort: number; peerPort: number }): string[] {
  const client = `http://127.0.0.1:${o.clientPort}`;
  const peer = `http://127.0.0.1:${o.peerPort}`;
  return [
    '--name=envtest',
    `--data-dir=${o.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=envtest=${peer}`,
    // A test cluster's data is thrown away: fsync only costs time (envtest does the same).
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiServerArgs(o: { etcdUrl: string; port: number; certDir: string; pki: ControlPlanePki }): string[] {
  return [
    `--etcd-servers=${o.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${o.port}`,
    `--cert-dir=${o.certDir}`,
    `--tls-cert-file=${o.pki.servingCert}`,
    `--tls-private-key-file=${o.pki.servingKey}`,
    `--client-ca-file=${o.pki.caCert}`,
    `--token-auth-file=${o.pki.tokenFile}`,
    // RBAC so that tests of a manager's ClusterRole mean something; the admin is in system:masters.
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${o.pki.saCert}`,
    `--service-account-signing-key-file=${o.pki.saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    // As envtest: without it every Pod create would wait for a default ServiceAccount, which only
    // exists when a controller-manager runs (and, even then, appears a moment after the namespace).
    '--disable-admission-plugins=ServiceAccount',
    // The default reconciler tries to write a loopback address into default/kubernetes's
    // Endpoints, which is invalid, and logs an error every 10 s; "none" keeps the Service only.
    '--endpoint-reconciler-type=none',
  ];
}

/**
 * The controllers that need nodes, a cloud or a scheduler to mean anything. Without nodes they
 * only log (or, for node-lifecycle and taint eviction, act on nothing), and skipping them saves
 * CPU on a 2-core CI machine.
 */
export const NODE_CONTROLLERS = [
  'node-ipam-controller',
  'node-lifecycle-controller',
  'node-route-controller',
  'cloud-node-lifecycle-controller',
  'service-lb-controller',
  'persistentvolume-attach-detach-controller',
  'taint-eviction-controller',
  'device-taint-eviction-controller',
  'ttl-controller',
];

export function controllerManagerArgs(o: {
  kubeconfig: string;
  port: number;
  certDir: string;
  pki: ControlPlanePki;
}): string[] {
  return [
    `--kubeconfig=${o.kubeconfig}`,
    `--authentication-kubeconfig=${o.kubeconfig}`,
    `--authorization-kubeconfig=${o.kubeconfig}`,
    // Token auth only: the extension-apiserver-authentication ConfigMap holds no client CA for it to look up.
    '--authentication-skip-lookup=true',
    '--bind-address=127.0.0.1',
    `--secure-port=${o.port}`,
    `--cert-dir=${o.certDir}`,
    '--leader-elect=false',
    `--controllers=*,${NODE_CONTROLLERS.map((c) => `-${c}`).join(',')}`,
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${o.pki.saKey}`,
    `--root-ca-file=${o.pki.caCert}`,
    `--cluster-signing-cert-file=${o.pki.caCert}`,
    `--cluster-signing-key-file=${o.pki.caKey}`,
    '--cluster-name=envtest',
  ];
}
