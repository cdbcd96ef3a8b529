import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { tokenKubeconfig } from './kubeconfig.ts';

describe('tokenKubeconfig', () => {
  it('is a kubeconfig client-node loads with server, embedded CA and bearer token', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      tokenKubeconfig({
        server: 'https://127.0.0.1:6443',
        caPem: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
        token: 'tok',
      }),
    );
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(kc.getCurrentCluster()!.caData!, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    const opts: { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(opts);
    expect(opts.headers?.Authorization).toBe('Bearer tok');
  });
});
