import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCA, createCert, writeCertDir } from '@kubeloop/certs';

export interface LocalWebhookCerts {
  certDir: string;
  /** The CA certificate, PEM. */
  caPem: string;
  /** base64 of caPem: the `clientConfig.caBundle` of a webhook configuration. */
  caBundle: string;
}

const DAY = 86_400_000;

function reusable(dir: string, hosts: string[]): string | undefined {
  const files = ['ca.crt', 'tls.crt', 'tls.key'].map((f) => join(dir, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  try {
    const caPem = readFileSync(files[0]!, 'utf8');
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(readFileSync(files[1]!, 'utf8'));
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return undefined;
    if (Date.parse(leaf.validTo) - Date.now() < DAY) return undefined;
    const ok = hosts.every((h) => (isIP(h) ? leaf.checkIP(h) : leaf.checkHost(h)) !== undefined);
    return ok ? caPem : undefined;
  } catch {
    return undefined;
  }
}

/**
 * For local runs and tests only: makes sure `dir` holds a CA (ca.crt) and a serving pair
 * (tls.crt, tls.key) valid for `hosts`, reusing what is there when it still fits, and returns
 * the CA bundle to put into the webhook configuration. In a cluster, use cert-manager (or
 * another issuer) and mount its Secret instead: this CA's key is never stored.
 */
export function ensureLocalWebhookCerts(dir: string, hosts: string[] = ['localhost', '127.0.0.1']): LocalWebhookCerts {
  let caPem = reusable(dir, hosts);
  if (!caPem) {
    const ca = createCA({ commonName: 'kubeloop-webhook-ca' });
    const leaf = createCert(ca, {
      commonName: hosts[0] ?? 'localhost',
      dnsNames: hosts.filter((h) => !isIP(h)),
      ipAddresses: hosts.filter((h) => isIP(h)),
      server: true,
    });
    // Key first: a watcher that reloads on the certificate's change then finds a matching key.
    writeCertDir(dir, { 'ca.crt': ca.cert, 'tls.key': leaf.key });
    writeCertDir(dir, { 'tls.crt': leaf.cert });
    caPem = ca.cert;
  }
  return { certDir: dir, caPem, caBundle: Buffer.from(caPem).toString('base64') };
}
