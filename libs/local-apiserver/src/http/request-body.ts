import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { ResourceType } from '../types.ts';
import { StatusError, badRequest, unsupportedMediaType } from '../errors.ts';
import { PROTOBUF_MEDIA_TYPE, ProtobufDecodeError, decodeProtobufObject, decodesProtobuf } from '../protobuf/decode.ts';
import { RESPONSE_TYPES } from './negotiation.ts';
import { JsonSyntaxError, parseJsonText } from '../typed/json-text.ts';
import { BODY_DUPLICATES } from '../typed/body-duplicates.ts';

const MAX_BODY = 3 * 1024 * 1024;
const BODY_TYPES = ['application/json', 'application/yaml'];

/** How much of an oversized body is read and dropped so that the client gets its 413 before the close. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

/**
 * The body, up to kube-apiserver's 3 MiB. Past that the rest is read and dropped (up to 64 MiB)
 * and the request fails with kube-apiserver's 413: a client still sending would otherwise see
 * its connection reset instead of the answer.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DISCARD_LIMIT) req.destroy();
      else if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size <= MAX_BODY) return resolve(Buffer.concat(chunks));
      reject(tooLarge());
    });
    req.on('close', () => {
      if (!req.complete) reject(tooLarge());
    });
    req.on('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The first bytes of a body as the real handler quotes them in decode errors (summarizeData). */
function summarize(buf: Buffer, max = 30): string {
  if (buf.length === 0) return '<empty>';
  if (buf[0] === 0x7b) return buf.length > max ? `${buf.subarray(0, max).toString('utf8')} ...` : buf.toString('utf8');
  return buf.length > max ? `${buf.subarray(0, max).toString('hex')} ...` : buf.toString('hex');
}

/** A protobuf body (kubectl's imperative `create` generators); errors worded as transformDecodeError's. */
function decodeProtobufBody(buf: Buffer, rt: ResourceType): unknown {
  try {
    return decodeProtobufObject(buf, rt);
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    if (e.typeKnown) {
      const version = e.typeKnown.apiVersion.split('/').pop();
      throw badRequest(`${e.typeKnown.kind} in version "${version}" cannot be handled as a ${rt.kind}: ${e.message}`);
    }
    throw badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind}): ${e.message} (${summarize(buf)})`,
    );
  }
}

/** What the real decoder's first step (finding apiVersion/kind) says of a JSON value that is no object. */
const FIND_KIND_TYPE =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function decodeBody(buf: Buffer, type: string, rt: ResourceType | undefined): unknown {
  const text = buf.toString('utf8');
  const kind = rt?.kind ?? 'Object';
  const unrecognized = (why: string) =>
    badRequest(`the object provided is unrecognized (must be of type ${kind}): ${why} (${summarize(buf)})`);
  let value: unknown;
  if (type === 'application/yaml') {
    try {
      value = parseYaml(text);
    } catch (e) {
      throw unrecognized(`yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      const parsed = parseJsonText(text, { mergeRepeatedObjects: rt?.origin === 'builtin' });
      value = parsed.value;
      if (parsed.duplicates.length && value !== null && typeof value === 'object')
        BODY_DUPLICATES.set(value, parsed.duplicates);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      throw unrecognized(`couldn't get version/kind; json parse error: ${e.message}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value)
      ? 'array'
      : value === null
        ? 'null'
        : typeof value === 'number'
          ? 'number'
          : typeof value === 'boolean'
            ? 'bool'
            : 'string';
    if (what !== 'null')
      throw unrecognized(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${what} into Go value of type ${FIND_KIND_TYPE}`,
      );
  }
  return value;
}

export async function readTypedBody(req: IncomingMessage, rt: ResourceType, scale = false): Promise<unknown> {
  const type = mediaType(req);
  const protobuf =
    type === PROTOBUF_MEDIA_TYPE && rt.origin === 'builtin' && !scale && decodesProtobuf(rt.group, rt.kind);
  // Custom resources have no protobuf form: the real server lists only JSON and YAML for them.
  // No Content-Type at all is refused too (kube-apiserver reads it as JSON): a browser sends a
  // Blob cross-site, without preflight, exactly so.
  if (!BODY_TYPES.includes(type) && !protobuf)
    throw unsupportedMediaType(rt.origin === 'builtin' ? RESPONSE_TYPES : BODY_TYPES);
  const buf = await readBody(req);
  return protobuf ? decodeProtobufBody(buf, rt) : decodeBody(buf, type, rt);
}
