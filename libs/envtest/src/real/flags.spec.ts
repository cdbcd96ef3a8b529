import { describe, expect, it } from 'vitest';
import { apiServerArgs, controllerManagerArgs, etcdArgs, NODE_CONTROLLERS } from './flags.ts';
import type { ControlPlanePki } from './pki.ts';

const pki: ControlPlanePki = {
  dir: '/p',
  caCert: '/p/ca.crt',
  caKey: '/p/ca.key',
  servingCert: '/p/apiserver.crt',
  servingKey: '/p/apiserver.key',
  saKey: '/p/sa-signer.key',
  saCert: '/p/sa-signer.crt',
  tokenFile: '/p/tokens.csv',
  adminToken: 't',
  caPem: 'PEM',
};

function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

describe('control-plane flags', () => {
  it('etcd listens and advertises on loopback ports only, without fsync', () => {
    const a = etcdArgs({ dataDir: '/d', clientPort: 1111, peerPort: 2222 });
    expect(flag(a, 'listen-client-urls')).toBe('http://127.0.0.1:1111');
    expect(flag(a, 'advertise-client-urls')).toBe('http://127.0.0.1:1111');
    expect(flag(a, 'listen-peer-urls')).toBe('http://127.0.0.1:2222');
    expect(flag(a, 'initial-cluster')).toBe('envtest=http://127.0.0.1:2222');
    expect(flag(a, 'data-dir')).toBe('/d');
    expect(flag(a, 'unsafe-no-fsync')).toBe('true');
  });

  it('kube-apiserver serves TLS on loopback with token auth, RBAC and the service-account key pair', () => {
    const a = apiServerArgs({ etcdUrl: 'http://127.0.0.1:1111', port: 3333, certDir: '/c', pki });
    expect(flag(a, 'etcd-servers')).toBe('http://127.0.0.1:1111');
    expect(flag(a, 'bind-address')).toBe('127.0.0.1');
    expect(flag(a, 'secure-port')).toBe('3333');
    expect(flag(a, 'tls-cert-file')).toBe('/p/apiserver.crt');
    expect(flag(a, 'tls-private-key-file')).toBe('/p/apiserver.key');
    expect(flag(a, 'token-auth-file')).toBe('/p/tokens.csv');
    expect(flag(a, 'authorization-mode')).toBe('RBAC');
    expect(flag(a, 'service-account-key-file')).toBe('/p/sa-signer.crt');
    expect(flag(a, 'service-account-signing-key-file')).toBe('/p/sa-signer.key');
    expect(flag(a, 'service-account-issuer')).toMatch(/^https:\/\//);
    expect(flag(a, 'service-cluster-ip-range')).toBe('10.0.0.0/24');
    expect(flag(a, 'disable-admission-plugins')).toBe('ServiceAccount');
    // no flag twice: kube-apiserver would take the last one silently
    const names = a.map((x) => x.split('=')[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('kube-controller-manager runs every default controller except the node ones, with the SA key and root CA', () => {
    const a = controllerManagerArgs({ kubeconfig: '/k', port: 4444, certDir: '/c', pki });
    const controllers = flag(a, 'controllers')!.split(',');
    expect(controllers[0]).toBe('*');
    for (const c of NODE_CONTROLLERS) expect(controllers).toContain(`-${c}`);
    expect(controllers).not.toContain('-garbage-collector-controller');
    expect(controllers).not.toContain('-namespace-controller');
    expect(flag(a, 'kubeconfig')).toBe('/k');
    expect(flag(a, 'service-account-private-key-file')).toBe('/p/sa-signer.key');
    expect(flag(a, 'root-ca-file')).toBe('/p/ca.crt');
    expect(flag(a, 'leader-elect')).toBe('false');
    expect(flag(a, 'secure-port')).toBe('4444');
  });
});
