import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCA, createCert, type Pem } from '@kubeloop/certs';

/**
 * What a client needs to reach this server and what proves it: the CA that signed the serving
 * certificate, and the bearer token. kubectl (client-go) sends a token only over TLS, so the
 * server speaks HTTPS always and the kubeconfig carries both (certificate-authority-data, token).
 */
export interface ServerCredentials {
  ca: Pem;
  serving: Pem;
  token: string;
}

/** 32 random bytes, base64url: what `--token` replaces. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The names a client may dial: the loopback names, plus `host` when it is another one. */
function servingNames(host: string): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set(['localhost']);
  const ipAddresses = new Set(['127.0.0.1', '::1']);
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    if (bare !== '0.0.0.0' && bare !== '::') ipAddresses.add(bare);
  } else if (bare) dnsNames.add(bare);
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

function servingCert(ca: Pem, host: string): Pem {
  return createCert(ca, { commonName: 'kubeloop-local-apiserver', server: true, ...servingNames(host) });
}

/** New credentials: a CA of its own, a serving certificate for `host`, the given or a random token. */
export function createCredentials(host: string, token?: string): ServerCredentials {
  const ca = createCA({ commonName: 'kubeloop-local-apiserver-ca' });
  return { ca, serving: servingCert(ca, host), token: token ?? randomToken() };
}

interface StoredCredentials {
  host: string;
  ca: Pem;
  serving: Pem;
  token: string;
}

/**
 * The credentials of a state directory, created on its first start and kept (mode 0600) with its
 * objects: a restarted server is the same cluster to its clients, so a manager running across
 * the restart keeps its kubeconfig. `token` (`--token`) replaces the stored one; a new `host`
 * gets a serving certificate from the same CA.
 */
export function stateDirCredentials(dir: string, host: string, token?: string): ServerCredentials {
  const path = join(dir, 'credentials.json');
  let stored: StoredCredentials | undefined;
  if (existsSync(path)) stored = JSON.parse(readFileSync(path, 'utf8')) as StoredCredentials;
  let changed = false;
  if (!stored) {
    const created = createCredentials(host, token);
    stored = { host, ...created };
    changed = true;
  }
  if (stored.host !== host) {
    stored = { ...stored, host, serving: servingCert(stored.ca, host) };
    changed = true;
  }
  if (token !== undefined && stored.token !== token) {
    stored = { ...stored, token };
    changed = true;
  }
  if (changed) writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { ca: stored.ca, serving: stored.serving, token: stored.token };
}
