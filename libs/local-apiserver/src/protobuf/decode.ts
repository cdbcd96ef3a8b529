/**
 * Request bodies in `application/vnd.kubernetes.protobuf` — what kubectl's imperative
 * generators (`kubectl create configmap|secret|deployment|service|namespace|serviceaccount|
 * role|clusterrole|rolebinding|clusterrolebinding`) and protobuf-configured Go clients send.
 *
 * The body is the magic `k8s\0` followed by a runtime.Unknown message: {1 typeMeta {1
 * apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}. `raw` is the object's own
 * message, which is turned into the JSON the rest of the server works with, driven by the field
 * tables in schema.ts. Responses stay JSON: kubectl and client-go list JSON after protobuf in
 * Accept.
 */
import { PROTOBUF_KINDS, isScalar, messageSpec, type FieldSpec, type MessageSpec } from './schema.ts';
import { ProtobufWireError, readFields, varints, type WireField } from './wire.ts';
import type { Obj } from '../types.ts';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/**
 * Why a body could not be decoded. `typeKnown` tells whether the envelope's type was read, which
 * decides the wording of the 400 (transformDecodeError in the real handler).
 */
export class ProtobufDecodeError extends Error {
  readonly code = 'ProtobufDecodeError';
  constructor(
    message: string,
    readonly typeKnown: { apiVersion: string; kind: string } | undefined,
  ) {
    super(message);
  }
}

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const utf8 = new TextDecoder('utf-8');
const str = (f: WireField): string => utf8.decode(f.bytes ?? new Uint8Array());

/** Strips the magic and reads the runtime.Unknown envelope. */
export function decodeEnvelope(body: Uint8Array): Envelope {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`,
      undefined,
    );
  }
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' };
  try {
    for (const f of readFields(body.subarray(MAGIC.length))) {
      if (f.number === 1 && f.bytes) {
        for (const t of readFields(f.bytes)) {
          if (t.number === 1) env.apiVersion = str(t);
          else if (t.number === 2) env.kind = str(t);
        }
      } else if (f.number === 2 && f.bytes) env.raw = f.bytes;
      else if (f.number === 3) env.contentEncoding = str(f);
      else if (f.number === 4) env.contentType = str(f);
    }
  } catch (e) {
    if (e instanceof ProtobufWireError) throw new ProtobufDecodeError(e.message, undefined);
    throw e;
  }
  return env;
}

/** Go's time.RFC3339 in UTC (metav1.Time's JSON: seconds only). */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's zero time.Time, which Time/MicroTime print as null. */
const GO_ZERO_UNIX = -62135596800;

function timestamp(f: WireField, micro: boolean): string | undefined {
  let seconds = 0;
  let nanos = 0;
  for (const t of readFields(f.bytes ?? new Uint8Array())) {
    if (t.number === 1 && t.varint !== undefined) seconds = Number(BigInt.asIntN(64, t.varint));
    else if (t.number === 2 && t.varint !== undefined) nanos = Number(BigInt.asIntN(32, t.varint));
  }
  if ((seconds === 0 && nanos === 0 && (f.bytes?.length ?? 0) === 0) || seconds === GO_ZERO_UNIX) return undefined;
  if (!micro) return rfc3339(seconds);
  const us = String(Math.trunc(nanos / 1000)).padStart(6, '0');
  return rfc3339(seconds).replace(/Z$/, `.${us}Z`);
}

/** True when a payload holds nothing but zero values (an unset non-pointer struct or scalar). */
function isZeroPayload(bytes: Uint8Array, depth = 0): boolean {
  if (bytes.length === 0) return true;
  if (depth > 8) return false;
  try {
    return readFields(bytes).every((f) =>
      f.varint !== undefined ? f.varint === 0n : isZeroPayload(f.bytes ?? new Uint8Array(), depth + 1),
    );
  } catch {
    return false;
  }
}

function isZeroField(f: WireField): boolean {
  return f.varint !== undefined ? f.varint === 0n : f.bytes === undefined || isZeroPayload(f.bytes);
}

interface Ctx {
  path: string;
}

function scalar(type: string, f: WireField, ctx: Ctx): unknown {
  switch (type) {
    case 's':
      return str(f);
    case 'b':
      return (f.varint ?? 0n) !== 0n;
    case 'i32':
      return Number(BigInt.asIntN(32, f.varint ?? 0n));
    case 'i64':
      return Number(BigInt.asIntN(64, f.varint ?? 0n));
    case 'by':
      return Buffer.from(f.bytes ?? new Uint8Array()).toString('base64');
    case 'Time':
      return timestamp(f, false);
    case 'MicroTime':
      return timestamp(f, true);
    case 'Quantity': {
      const s = readFields(f.bytes ?? new Uint8Array()).find((t) => t.number === 1);
      return s ? str(s) || '0' : '0';
    }
    case 'IntOrString': {
      let kind = 0n;
      let intVal = 0;
      let strVal = '';
      for (const t of readFields(f.bytes ?? new Uint8Array())) {
        if (t.number === 1) kind = t.varint ?? 0n;
        else if (t.number === 2) intVal = Number(BigInt.asIntN(32, t.varint ?? 0n));
        else if (t.number === 3) strVal = str(t);
      }
      return kind === 1n ? strVal : intVal;
    }
    case 'FieldsV1': {
      const raw = readFields(f.bytes ?? new Uint8Array()).find((t) => t.number === 1);
      const text = raw ? str(raw) : '';
      if (!text) return {};
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new ProtobufWireError(`${ctx.path}: invalid FieldsV1 JSON: ${(e as Error).message}`);
      }
    }
    default:
      throw new ProtobufWireError(`${ctx.path}: unknown scalar type ${type}`);
  }
}

function isZeroScalar(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function value(spec: FieldSpec, f: WireField, ctx: Ctx): unknown {
  if (isScalar(spec.type)) return scalar(spec.type, f, ctx);
  return message(spec.type, f.bytes ?? new Uint8Array(), ctx);
}

function mapEntry(spec: FieldSpec, f: WireField, ctx: Ctx): [string, unknown] {
  let key = '';
  // gogo writes every map value, but an absent one is the zero value ('' for strings and bytes).
  let val: unknown = spec.type === 's' || spec.type === 'by' ? '' : undefined;
  for (const t of readFields(f.bytes ?? new Uint8Array())) {
    if (t.number === 1) key = str(t);
    else if (t.number === 2) val = value(spec, t, { path: `${ctx.path}[${key}]` });
  }
  if (val === undefined && spec.type === 'Quantity') val = '0';
  return [key, val];
}

function message(name: string, bytes: Uint8Array, ctx: Ctx): Obj {
  const spec: MessageSpec | undefined = messageSpec(name);
  const out: Obj = {};
  for (const f of readFields(bytes)) {
    const field = spec?.get(f.number);
    if (!field) {
      if (isZeroField(f)) continue;
      throw new ProtobufWireError(
        `${ctx.path || '<root>'}: field ${f.number} of ${name} is not supported by local-apiserver's protobuf decoder; send this object as JSON`,
      );
    }
    const path = ctx.path ? `${ctx.path}.${field.json}` : field.json;
    if (field.map) {
      const [k, v] = mapEntry(field, f, { path });
      out[field.json] = { ...((out[field.json] as Obj | undefined) ?? {}), [k]: v };
      continue;
    }
    if (field.repeated) {
      const list = (out[field.json] as unknown[] | undefined) ?? [];
      if ((field.type === 'i64' || field.type === 'i32') && f.bytes !== undefined) {
        for (const v of varints(f))
          list.push(Number(field.type === 'i64' ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v)));
      } else list.push(value(field, f, { path: `${path}[${list.length}]` }));
      out[field.json] = list;
      continue;
    }
    const v = value(field, f, { path });
    if (field.inline) {
      Object.assign(out, v as Obj);
      continue;
    }
    if (v === undefined) continue;
    if (isScalar(field.type) && !field.pointer && isZeroScalar(v) && field.type !== 'IntOrString') {
      delete out[field.json];
      continue;
    }
    out[field.json] = v;
  }
  return out;
}

/**
 * Decodes a protobuf request body into a JSON object for the type served at the endpoint
 * (`group`/`version`/`kind`). The envelope's TypeMeta wins when it names a kind of the table, so
 * that a mismatch is reported by the usual apiVersion/kind checks; an empty TypeMeta takes the
 * endpoint's (as the real decoder does with its defaults).
 */
export function decodeProtobufObject(
  body: Uint8Array,
  endpoint: { group: string; version: string; kind: string },
): Obj {
  const env = decodeEnvelope(body);
  const apiVersion = env.apiVersion || (endpoint.group ? `${endpoint.group}/${endpoint.version}` : endpoint.version);
  const kind = env.kind || endpoint.kind;
  const typeKnown = { apiVersion, kind };
  if (env.contentEncoding)
    throw new ProtobufDecodeError(`unsupported content encoding ${JSON.stringify(env.contentEncoding)}`, typeKnown);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const messageName = PROTOBUF_KINDS[`${group}/${kind}`] ?? PROTOBUF_KINDS[`${endpoint.group}/${endpoint.kind}`];
  if (!messageName)
    throw new ProtobufDecodeError(`no protobuf decoding for ${kind} in local-apiserver; send it as JSON`, typeKnown);
  try {
    return { apiVersion, kind, ...message(messageName, env.raw, { path: '' }) };
  } catch (e) {
    if (e instanceof ProtobufWireError) throw new ProtobufDecodeError(e.message, typeKnown);
    throw e;
  }
}

/** Whether bodies of this built-in type can be sent as protobuf (the CR and CRD endpoints cannot). */
export function decodesProtobuf(group: string, kind: string): boolean {
  return PROTOBUF_KINDS[`${group}/${kind}`] !== undefined;
}
