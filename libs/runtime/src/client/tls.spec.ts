import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { createCA, createCert, type Pem } from '@kubeloop/certs';
import { ConfigMap } from '../kinds/builtin.ts';
import { Client } from './client.ts';
import { ConnectionError } from './errors.ts';

let ca: Pem;
let server: https.Server;
let url: string;
const seen: { cn?: string; auth?: string }[] = [];

const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  ca = createCA({ commonName: 'test-ca' });
  const serving = createCert(ca, {
    commonName: 'apiserver',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
    server: true,
  });
  server = https.createServer(
    { cert: serving.cert, key: serving.key, ca: ca.cert, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({ cn: String(peer?.subject?.CN ?? ''), auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ metadata: { name: 'cm', namespace: 'ns' } }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function kubeConfig(cluster: Record<string, unknown>, user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'k', cluster: { server: url, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    }),
  );
  return kc;
}

describe('Client over HTTPS with kubeconfig TLS material', () => {
  it('verifies the server against the kubeconfig CA and presents a client certificate', async () => {
    const clientCert = createCert(ca, { commonName: 'kubeloop-admin', organization: ['system:masters'], client: true });
    const client = new Client(
      kubeConfig(
        { 'certificate-authority-data': b64(ca.cert) },
        { 'client-certificate-data': b64(clientCert.cert), 'client-key-data': b64(clientCert.key) },
      ),
    );
    expect((await client.resource(ConfigMap).get('ns', 'cm'))?.metadata.name).toBe('cm');
    await client.resource(ConfigMap).get('ns', 'cm'); // second call: same pooled agent
    expect(seen.slice(-2).map((s) => s.cn)).toEqual(['kubeloop-admin', 'kubeloop-admin']);
    client.close();
  });

  it('refuses a server its CA did not sign, unless insecure-skip-tls-verify', async () => {
    const otherCA = createCA({ commonName: 'other' });
    const strict = new Client(kubeConfig({ 'certificate-authority-data': b64(otherCA.cert) }, { token: 't' }), {
      maxRetries: 0,
    });
    await expect(strict.resource(ConfigMap).get('ns', 'cm')).rejects.toBeInstanceOf(ConnectionError);
    strict.close();
    const insecure = new Client(kubeConfig({ 'insecure-skip-tls-verify': true }, { token: 't' }));
    expect(await insecure.resource(ConfigMap).get('ns', 'cm')).toBeDefined();
    expect(seen.at(-1)?.auth).toBe('Bearer t');
    insecure.close();
  });

  it('reads fixed credentials from the kubeconfig once, and per request when a plugin or a file may change them', async () => {
    const fixedConfig = kubeConfig({ 'certificate-authority-data': b64(ca.cert) }, { token: 'fixed' });
    const fixedReads = vi.spyOn(fixedConfig, 'applyToHTTPSOptions');
    const fixed = new Client(fixedConfig);
    await Promise.all([1, 2, 3].map(() => fixed.resource(ConfigMap).get('ns', 'cm')));
    await fixed.resource(ConfigMap).get('ns', 'cm');
    expect(fixedReads).toHaveBeenCalledTimes(1);
    expect(seen.slice(-4).map((s) => s.auth)).toEqual(Array(4).fill('Bearer fixed'));
    fixed.close();

    // A token file (as in-cluster): client-node's file authenticator re-reads it, so it is asked each time.
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'kubeloop-token-')), 'token');
    writeFileSync(tokenFile, 'from-file');
    const fileConfig = kubeConfig(
      { 'certificate-authority-data': b64(ca.cert) },
      { 'auth-provider': { name: 'file', config: { tokenFile } } },
    );
    const fileReads = vi.spyOn(fileConfig, 'applyToHTTPSOptions');
    const viaFile = new Client(fileConfig);
    for (let i = 0; i < 3; i++) await viaFile.resource(ConfigMap).get('ns', 'cm');
    expect(fileReads).toHaveBeenCalledTimes(3);
    expect(seen.slice(-3).map((s) => s.auth)).toEqual(Array(3).fill('Bearer from-file'));
    viaFile.close();
  });
});
