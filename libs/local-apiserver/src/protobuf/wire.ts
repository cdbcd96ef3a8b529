/**
 * Protocol-buffers wire format reader: just what decoding Kubernetes objects needs (varints,
 * length-delimited fields; fixed 32/64-bit fields are skipped, since no Kubernetes message uses
 * them). Errors read like Go's gogo-protobuf ones because they reach clients verbatim.
 */

export class ProtobufWireError extends Error {
  readonly code = 'ProtobufWireError';
}

export interface WireField {
  number: number;
  wireType: number;
  /** Varint value (wire type 0), as a two's-complement 64-bit BigInt. */
  varint?: bigint;
  /** Payload of a length-delimited field (wire type 2). */
  bytes?: Uint8Array;
}

/** One varint at `pos`: its value and the position after it. */
function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufWireError('unexpected EOF');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, result), pos];
    shift += 7n;
  }
  throw new ProtobufWireError('proto: integer overflow');
}

/** The fields of one message, in wire order (a repeated field appears once per element). */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number <= 0) throw new ProtobufWireError(`proto: illegal tag ${number} (wire type ${wireType})`);
    switch (wireType) {
      case 0: {
        const [v, next] = readVarint(buf, pos);
        pos = next;
        out.push({ number, wireType, varint: v });
        break;
      }
      case 1:
        if (pos + 8 > buf.length) throw new ProtobufWireError('unexpected EOF');
        pos += 8;
        break;
      case 2: {
        const [len, next] = readVarint(buf, pos);
        const end = next + Number(len);
        if (len < 0n || end > buf.length) throw new ProtobufWireError('unexpected EOF');
        out.push({ number, wireType, bytes: buf.subarray(next, end) });
        pos = end;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new ProtobufWireError('unexpected EOF');
        pos += 4;
        break;
      default:
        throw new ProtobufWireError(`proto: illegal wireType ${wireType}`);
    }
  }
  return out;
}

/** Packed or unpacked repeated varints (proto2 writes them unpacked; accept both). */
export function varints(field: WireField): bigint[] {
  if (field.varint !== undefined) return [field.varint];
  const out: bigint[] = [];
  const buf = field.bytes ?? new Uint8Array();
  let pos = 0;
  while (pos < buf.length) {
    const [v, next] = readVarint(buf, pos);
    out.push(v);
    pos = next;
  }
  return out;
}
