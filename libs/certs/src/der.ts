/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules) writer and reader: just enough to build
 * X.509 certificates and to pull the subject name back out of one. DER is the canonical form a
 * signature covers, so every length is written in its shortest form and every SET/BIT STRING
 * follows the strict rules — a lax encoder produces certificates Go's crypto/x509 rejects.
 */

export type Der = Buffer;

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag-length-value with a raw tag byte (class, constructed bit and number already combined). */
export function tlv(tag: number, value: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));

/** SET OF: DER requires the encodings sorted as octet strings. */
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));

export const nullValue = (): Der => Buffer.from([0x05, 0x00]);

export const boolean = (v: boolean): Der => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));

/** INTEGER from unsigned big-endian bytes: strips redundant leading zeros, adds one when the top bit is set. */
export function integer(value: number | Buffer): Der {
  let bytes: Buffer;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`integer: ${value} is not a non-negative safe integer`);
    const out: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
    bytes = Buffer.from(out.length ? out : [0]);
  } else {
    bytes = value;
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1]! & 0x80) === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map((p) => {
    if (!/^\d+$/.test(p)) throw new RangeError(`oid: bad arc in ${dotted}`);
    return Number(p);
  });
  if (parts.length < 2) throw new RangeError(`oid: ${dotted} needs at least two arcs`);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const arc of parts.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export const octetString = (v: Buffer): Der => tlv(0x04, v);
export const utf8String = (s: string): Der => tlv(0x0c, Buffer.from(s, 'utf8'));
export const ia5String = (s: string): Der => tlv(0x16, Buffer.from(s, 'ascii'));

/** BIT STRING holding whole bytes (signatures, keys). */
export const bitString = (v: Buffer): Der => tlv(0x03, Buffer.concat([Buffer.from([0]), v]));

/**
 * BIT STRING of named bits (bit 0 is the most significant bit of the first byte), with trailing
 * zero bits removed as DER demands for named bit lists such as keyUsage.
 */
export function namedBits(bits: number[]): Der {
  if (bits.length === 0) return tlv(0x03, Buffer.from([0]));
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  const unused = 7 - (max % 8);
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5), always to the second in UTC. */
export function time(d: Date): Der {
  const iso = d.toISOString(); // 2026-11-23T10:00:00.000Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, ''); // 20261123100000
  const year = d.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

/** Context-specific tag: [n] EXPLICIT wraps a whole encoding; [n] IMPLICIT replaces a primitive's tag. */
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);
export const implicitPrimitive = (n: number, value: Buffer): Der => tlv(0x80 | n, value);

export interface DerNode {
  tag: number;
  /** The full encoding (tag, length and value). */
  raw: Buffer;
  /** The value bytes only. */
  value: Buffer;
}

/** Reads one TLV at `offset`; throws on truncated or indefinite-length input (not DER). */
export function readTlv(buf: Buffer, offset = 0): DerNode & { next: number } {
  if (offset + 2 > buf.length) throw new RangeError('der: truncated');
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('der: unsupported length form');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i]!;
    header += n;
  }
  const end = offset + header + len;
  if (end > buf.length) throw new RangeError('der: truncated');
  return { tag, raw: buf.subarray(offset, end), value: buf.subarray(offset + header, end), next: end };
}

/** The children of a constructed value. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let off = 0; off < node.value.length;) {
    const child = readTlv(node.value, off);
    out.push(child);
    off = child.next;
  }
  return out;
}
