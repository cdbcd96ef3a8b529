import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import {
  bitString,
  boolean,
  children,
  explicit,
  implicitPrimitive,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  readTlv,
  sequence,
  set,
  time,
  utf8String,
  type Der,
} from './der.ts';

/** A certificate and its private key, both PEM. The key is PKCS#8 (`BEGIN PRIVATE KEY`). */
export interface Pem {
  cert: string;
  key: string;
}

export type KeyType = 'ec' | 'rsa';

export interface CAOptions {
  commonName?: string;
  /** Validity in days (default 3650). */
  days?: number;
  /** 'ec' (P-256, default: fast to generate) or 'rsa' (2048 bits). */
  keyType?: KeyType;
}

export interface CertOptions {
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Subject O= values; Kubernetes reads these as the groups of a client certificate. */
  organization?: string[];
  /** Extended key usage clientAuth (default false). */
  client?: boolean;
  /** Extended key usage serverAuth (default true unless `client` is set). */
  server?: boolean;
  /** Validity in days (default 365). */
  days?: number;
  keyType?: KeyType;
}

export class CertError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CertError';
    this.code = code;
  }
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 };

/** Back-dating notBefore tolerates clock skew between the machine that signs and the one that verifies. */
const BACKDATE_MS = 60 * 60 * 1000;

function generateKey(type: KeyType = 'ec'): KeyObject {
  if (type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (type === 'ec') return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  throw new CertError('BadKeyType', `unknown key type ${String(type)}: use 'ec' or 'rsa'`);
}

function signatureAlgorithm(key: KeyObject): Der {
  if (key.asymmetricKeyType === 'ec') return sequence(oid(OID.ecdsaWithSHA256));
  if (key.asymmetricKeyType === 'rsa') return sequence(oid(OID.sha256WithRSA), nullValue());
  throw new CertError('BadKeyType', `cannot sign with a ${key.asymmetricKeyType} key: use an EC or RSA CA key`);
}

function name(commonName: string, organization: string[] = []): Der {
  // One attribute per RDN, in the order Go and OpenSSL print them: O before CN.
  const rdns = [
    ...organization.map((o) => set(sequence(oid(OID.organization), utf8String(o)))),
    set(sequence(oid(OID.commonName), utf8String(commonName))),
  ];
  return sequence(...rdns);
}

/** SubjectPublicKeyInfo DER of a key pair (a private KeyObject yields its public half). */
function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** Key identifier: SHA-1 over the whole SubjectPublicKeyInfo (RFC 5280 §4.2.1.2 allows any unique method). */
function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function extension(id: string, critical: boolean, value: Der): Der {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (isIPv6(ip)) {
    const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
    const parse = (s: string | undefined) => (s ? s.split(':').filter((x) => x !== '') : []);
    let h = parse(head);
    let t = parse(tail);
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
    const fix = (groups: string[]) =>
      groups.flatMap((g) =>
        g.includes('.')
          ? ((b) => [((b[0]! << 8) | b[1]!).toString(16), ((b[2]! << 8) | b[3]!).toString(16)])(
              g.split('.').map(Number),
            )
          : [g],
      );
    h = fix(h);
    t = fix(t);
    const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) throw new CertError('BadIPAddress', `cannot encode IPv6 address ${ip}`);
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
  }
  throw new CertError('BadIPAddress', `${ip} is not an IP address: put host names in dnsNames`);
}

function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0]! &= 0x7f; // positive
  b[0]! |= 0x01; // never all-zero-prefixed, so the length is stable
  return b;
}

interface Issuer {
  name: Der;
  key: KeyObject;
  keyId: Buffer;
}

function buildCertificate(opts: {
  subject: Der;
  issuer?: Issuer;
  subjectKey: KeyObject;
  days: number;
  extensions: Der[];
}): string {
  const spki = spkiOf(opts.subjectKey);
  const signer = opts.issuer?.key ?? opts.subjectKey;
  const sigAlg = signatureAlgorithm(signer);
  const now = Date.now();
  const exts = [
    ...opts.extensions,
    extension(OID.subjectKeyIdentifier, false, octetString(keyId(spki))),
    ...(opts.issuer
      ? [extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, opts.issuer.keyId)))]
      : []),
  ];
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serialNumber()),
    sigAlg,
    opts.issuer?.name ?? opts.subject,
    sequence(time(new Date(now - BACKDATE_MS)), time(new Date(now + opts.days * 86_400_000))),
    opts.subject,
    spki,
    explicit(3, sequence(...exts)),
  );
  const signature = sign('sha256', tbs, signer);
  const der = sequence(tbs, sigAlg, bitString(signature));
  return toPem('CERTIFICATE', der);
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function keyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A self-signed certificate authority, valid for `days` (default 10 years). */
export function createCA(opts: CAOptions = {}): Pem {
  const key = generateKey(opts.keyType);
  const cert = buildCertificate({
    subject: name(opts.commonName ?? 'kubeloop-ca'),
    subjectKey: key,
    days: opts.days ?? 3650,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
    ],
  });
  return { cert, key: keyPem(key) };
}

/**
 * A leaf certificate signed by `ca`. TLS clients match host names against the SANs only (the
 * common name is ignored by Go and by Node), so a serving certificate needs every name and IP
 * a client will dial in `dnsNames`/`ipAddresses`.
 */
export function createCert(ca: Pem, opts: CertOptions): Pem {
  if (!opts.commonName) throw new CertError('MissingCommonName', 'createCert needs a commonName');
  let caCert: X509Certificate;
  let caKey: KeyObject;
  try {
    caCert = new X509Certificate(ca.cert);
    caKey = createPrivateKey(ca.key);
  } catch (e) {
    throw new CertError(
      'BadCA',
      `the CA passed to createCert cannot be parsed (${(e as Error).message}): pass the Pem returned by createCA`,
    );
  }
  if (!caCert.ca)
    throw new CertError('NotACA', `certificate "${caCert.subject}" is not a CA (basicConstraints cA is false)`);
  const issuer: Issuer = {
    name: subjectDer(caCert.raw),
    key: caKey,
    keyId: keyId(caCert.publicKey.export({ type: 'spki', format: 'der' })),
  };
  const server = opts.server ?? !opts.client;
  const ekus = [...(server ? [OID.serverAuth] : []), ...(opts.client ? [OID.clientAuth] : [])];
  const sans = [
    ...(opts.dnsNames ?? []).map((d) => implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...(opts.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipBytes(ip))),
  ];
  const key = generateKey(opts.keyType);
  const usage = [KEY_USAGE.digitalSignature, ...(key.asymmetricKeyType === 'rsa' ? [KEY_USAGE.keyEncipherment] : [])];
  const cert = buildCertificate({
    subject: name(opts.commonName, opts.organization),
    issuer,
    subjectKey: key,
    days: opts.days ?? 365,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, namedBits(usage)),
      ...(ekus.length ? [extension(OID.extKeyUsage, false, sequence(...ekus.map(oid)))] : []),
      // RFC 5280: SAN is critical only when the subject is empty; ours never is.
      ...(sans.length ? [extension(OID.subjectAltName, false, sequence(...sans))] : []),
    ],
  });
  return { cert, key: keyPem(key) };
}

/** The subject Name of a DER certificate, byte for byte, so a child's issuer matches it exactly. */
export function subjectDer(certDer: Buffer): Buffer {
  const certificate = readTlv(certDer);
  const [tbs] = children(certificate);
  if (!tbs) throw new CertError('BadCertificate', 'certificate has no tbsCertificate');
  const fields = children(tbs);
  // [0] version is optional; subject is the 5th field after it.
  const start = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[start + 4];
  if (!subject || subject.tag !== 0x30) throw new CertError('BadCertificate', 'certificate subject not found');
  return Buffer.from(subject.raw);
}
