import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpsRequest, createServer as createHttpsServer } from 'node:https';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CertError, createCA, createCert, subjectDer, writeCertDir } from './index.ts';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('createCA', () => {
  it('is a self-signed CA that node parses and verifies', () => {
    const ca = createCA({ commonName: 'test-ca' });
    const x = new X509Certificate(ca.cert);
    expect(x.ca).toBe(true);
    expect(x.subject).toBe('CN=test-ca');
    expect(x.issuer).toBe('CN=test-ca');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
    expect(ca.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const validTo = new Date(x.validTo).getTime();
    expect(validTo - Date.now()).toBeGreaterThan(3649 * 86_400_000);
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
  });

  it('supports RSA keys and validity past 2049 (GeneralizedTime)', () => {
    const ca = createCA({ keyType: 'rsa', days: 365 * 40 });
    const x = new X509Certificate(ca.cert);
    expect(x.publicKey.asymmetricKeyType).toBe('rsa');
    expect(new Date(x.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2060);
    const leaf = new X509Certificate(createCert(ca, { commonName: 'x', dnsNames: ['x'] }).cert);
    expect(leaf.verify(x.publicKey)).toBe(true);
  });
});

describe('createCert', () => {
  const ca = createCA();

  it('signs a serving cert with SANs that checkHost/checkIP accept', () => {
    const pem = createCert(ca, {
      commonName: 'webhook',
      dnsNames: ['localhost', 'svc.ns.svc'],
      ipAddresses: ['127.0.0.1', '::1', 'fe80::1:2'],
      organization: ['kubeloop'],
    });
    const x = new X509Certificate(pem.cert);
    const caX = new X509Certificate(ca.cert);
    expect(x.verify(caX.publicKey)).toBe(true);
    expect(x.checkIssued(caX)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.subject).toBe('O=kubeloop\nCN=webhook');
    expect(x.subjectAltName).toBe(
      'DNS:localhost, DNS:svc.ns.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2',
    );
    expect(x.checkHost('svc.ns.svc')).toBe('svc.ns.svc');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkHost('other')).toBeUndefined();
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x.checkPrivateKey(createPrivateKey(pem.key))).toBe(true);
    expect(subjectDer(x.raw).equals(subjectDer(x.raw))).toBe(true);
    expect(subjectDer(caX.raw).toString('latin1')).toContain('kubeloop-ca');
  });

  it('client certs carry clientAuth and organization (Kubernetes groups)', () => {
    const x = new X509Certificate(
      createCert(ca, { commonName: 'admin', organization: ['system:masters'], client: true }).cert,
    );
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(x.subject).toContain('O=system:masters');
    const both = new X509Certificate(createCert(ca, { commonName: 'b', client: true, server: true }).cert);
    expect(both.keyUsage?.sort()).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('refuses a non-CA issuer, a garbled CA and a host name as IP', () => {
    const leaf = createCert(ca, { commonName: 'leaf', dnsNames: ['leaf'] });
    expect(() => createCert(leaf, { commonName: 'x' })).toThrow(expect.objectContaining({ code: 'NotACA' }));
    expect(() => createCert({ cert: 'nope', key: 'nope' }, { commonName: 'x' })).toThrow(CertError);
    expect(() => createCert(ca, { commonName: 'x', ipAddresses: ['example.com'] })).toThrow(
      expect.objectContaining({ code: 'BadIPAddress' }),
    );
  });

  it('gives each certificate a distinct serial number', () => {
    const a = new X509Certificate(createCert(ca, { commonName: 'a' }).cert);
    const b = new X509Certificate(createCert(ca, { commonName: 'a' }).cert);
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });

  it.skipIf(!hasOpenssl())('openssl parses and verifies the chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certs-openssl-'));
    const leaf = createCert(ca, { commonName: 'srv', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    writeCertDir(dir, { 'ca.crt': ca.cert, 'tls.crt': leaf.cert, 'tls.key': leaf.key });
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(dir, 'tls.crt')]).toString();
    expect(text).toContain('DNS:localhost, IP Address:127.0.0.1');
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toMatch(/Authority Key Identifier/);
    const verify = execFileSync('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'ca.crt'),
      '-purpose',
      'sslserver',
      join(dir, 'tls.crt'),
    ]).toString();
    expect(verify.trim()).toBe(`${join(dir, 'tls.crt')}: OK`);
    execFileSync('openssl', ['pkey', '-noout', '-in', join(dir, 'tls.key')]);
  });
});

describe('TLS handshakes', () => {
  const ca = createCA();
  const server = createCert(ca, { commonName: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });

  it('an https server with the cert is trusted by a client that trusts the CA', async () => {
    const srv = createHttpsServer({ cert: server.cert, key: server.key }, (_req, res) => res.end('hello'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(
            { host, port, ca: ca.cert, servername: host === 'localhost' ? host : undefined },
            (res) => {
              let b = '';
              res.on('data', (c) => (b += c));
              res.on('end', () => resolve(b));
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(body).toBe('hello');
      }
      // A client that does not trust this CA refuses the handshake.
      const other = createCA();
      const err = await new Promise<Error>((resolve) => {
        const req = httpsRequest({ host: '127.0.0.1', port, ca: other.cert }, () =>
          resolve(new Error('unexpected success')),
        );
        req.on('error', resolve);
        req.end();
      });
      expect((err as NodeJS.ErrnoException).code).toMatch(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
      );
    } finally {
      srv.close();
    }
  });

  it('mutual TLS: the server verifies a client cert signed by the CA', async () => {
    const client = createCert(ca, { commonName: 'alice', organization: ['devs'], client: true });
    const srv = createTlsServer(
      { cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true },
      (sock) => {
        const peer = sock.getPeerCertificate();
        sock.end(`${String(peer.subject.CN)}/${String(peer.subject.O)}`);
      },
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    try {
      const got = await new Promise<string>((resolve, reject) => {
        const sock: TLSSocket = tlsConnect(
          { host: '127.0.0.1', port, ca: ca.cert, cert: client.cert, key: client.key },
          () => undefined,
        );
        let b = '';
        sock.on('data', (c) => (b += c));
        sock.on('end', () => resolve(b));
        sock.on('error', reject);
      });
      expect(got).toBe('alice/devs');
    } finally {
      srv.close();
    }
  });
});

describe('writeCertDir', () => {
  it('writes files by rename, keys private, and leaves no temporaries', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'certs-dir-')), 'nested');
    writeCertDir(dir, { 'tls.crt': 'CERT', 'tls.key': 'KEY' });
    writeCertDir(dir, { 'tls.crt': 'CERT2' });
    expect(readFileSync(join(dir, 'tls.crt'), 'utf8')).toBe('CERT2');
    expect(statSync(join(dir, 'tls.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(() => writeCertDir(dir, { '../escape': 'x' })).toThrow(expect.objectContaining({ code: 'BadFileName' }));
  });
});
