import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createCA, createCert, writeCertDir } from '@kubeloop/certs';

/** The files a real control plane needs, all inside one directory. */
export interface ControlPlanePki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** Service-account token signing: private key for the apiserver and the controller-manager... */
  saKey: string;
  /** ...and the matching certificate the apiserver verifies tokens with. */
  saCert: string;
  tokenFile: string;
  /** The admin's bearer token (user `envtest-admin`, group system:masters). */
  adminToken: string;
  /** PEM of the CA, for the kubeconfig. */
  caPem: string;
}

/**
 * Generates a fresh PKI per control plane: a CA, a serving certificate for 127.0.0.1/localhost
 * (plus the in-cluster service names so a webhook or kubectl inside the "cluster" would also
 * accept it), a separate key pair for service-account tokens, and a static token file with one
 * admin in system:masters. A static token keeps the kubeconfig simple for child processes; this
 * is a test cluster on loopback, never a pattern for a real one.
 */
export function createControlPlanePki(dir: string): ControlPlanePki {
  const ca = createCA({ commonName: 'kubeloop-envtest-ca' });
  const serving = createCert(ca, {
    commonName: 'kube-apiserver',
    dnsNames: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ],
    ipAddresses: ['127.0.0.1', '10.0.0.1'],
    server: true,
  });
  const sa = createCA({ commonName: 'kubeloop-envtest-service-accounts' });
  const adminToken = randomBytes(24).toString('hex');
  writeCertDir(dir, {
    'ca.key': ca.key,
    'ca.crt': ca.cert,
    'apiserver.key': serving.key,
    'apiserver.crt': serving.cert,
    'sa-signer.key': sa.key,
    'sa-signer.crt': sa.cert,
    'tokens.csv': `${adminToken},envtest-admin,envtest-admin,"system:masters"\n`,
  });
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    saKey: join(dir, 'sa-signer.key'),
    saCert: join(dir, 'sa-signer.crt'),
    tokenFile: join(dir, 'tokens.csv'),
    adminToken,
    caPem: ca.cert,
  };
}
