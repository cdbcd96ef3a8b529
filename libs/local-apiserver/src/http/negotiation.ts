import { StatusError, notAcceptable } from '../errors.ts';

/** What the server may answer: JSON and YAML for everything, protobuf for built-ins (only ever asked for; see README). */
export const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** What a watch may stream (YAML has no stream serializer). */
export const WATCH_TYPES = ['application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

export type OutputMediaType = 'application/json' | 'application/yaml';

/** A meta.k8s.io/v1 or v1beta1 view of the answer asked for with `;as=…;g=meta.k8s.io;v=…`. */
export type ConvertKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface AcceptChoice {
  mediaType: OutputMediaType;
  convert?: { kind: ConvertKind; version: 'v1' | 'v1beta1' };
  /** The clause asked for `stream=watch` (a watch may stream only what has a stream serializer). */
  stream: boolean;
}

interface MediaRange {
  type: string;
  subType: string;
  q: number;
  params: Record<string, string>;
}

/**
 * goautoneg.ParseAccept: clauses without a subtype (other than `*`) or with two slashes are
 * dropped, `q` is read, and the clauses are sorted by q then specificity — with Go's insertion
 * sort (sort.Sort of fewer than 12 elements), so that equal clauses keep the client's order.
 */
function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const raw of header.split(',')) {
    const [range = '', ...params] = raw.trim().split(';');
    const [type = '', subType, extra] = range.split('/').map((s) => s.trim());
    if (extra !== undefined) continue;
    if (subType === undefined && type !== '*') continue;
    const r: MediaRange = { type, subType: subType ?? '*', q: 1, params: {} };
    for (const p of params) {
      const kv = p.split('=');
      if (kv.length !== 2) continue;
      const k = kv[0]!.trim();
      if (k === 'q') r.q = Number.parseFloat(kv[1]!) || 0;
      else r.params[k] = kv[1]!.trim();
    }
    out.push(r);
  }
  const less = (a: MediaRange, b: MediaRange) =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subType !== '*' && b.subType === '*');
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j], out[j - 1]] = [out[j - 1]!, out[j]!];
  }
  return out;
}

/**
 * NEG-2: a built-in's GET is routed by go-restful, whose Produces check refuses an Accept that
 * names none of the route's types before kube-apiserver's own negotiation runs: its bare 406
 * with empty details (kube-apiserver v1.36.2: conformance case `request-options/content-types`).
 */
function checkGoRestfulProduces(accept: string | undefined): void {
  if (!accept || !accept.trim()) return;
  const produces = ['*/*', 'application/*', ...RESPONSE_TYPES];
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  if (types.some((t) => produces.includes(t))) return;
  throw new StatusError(
    406,
    'NotAcceptable',
    `406: Not Acceptable\n\nAvailable representations: ${RESPONSE_TYPES.join(', ')}`,
    {},
  );
}

export interface Endpoint {
  /** A Table can be made here (the table module is loaded; not /scale). */
  tableAllowed: boolean;
  /** A custom resource: without a conversion only JSON and YAML (its StandardSerializers). */
  custom?: boolean;
  /** The request is a built-in's GET (checkGoRestfulProduces). */
  builtinRoute?: boolean;
  /** Errors negotiate with no endpoint: no conversion is acceptable (DefaultEndpointRestrictions). */
  noConvert?: boolean;
}

const SERIALIZERS = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] as const;

/** acceptMediaTypeOptions + RequestScope.AllowsMediaTypeTransform for one clause and serializer. */
function accepts(r: MediaRange, serializer: string, ep: Endpoint): AcceptChoice | undefined {
  let convert: { kind: string; group: string; version: string } | undefined;
  let stream = false;
  for (const [k, v] of Object.entries(r.params)) {
    if (k === 'as' || k === 'g' || k === 'v') {
      convert ??= { kind: '', group: '', version: '' };
      if (k === 'as') convert.kind = v;
      else if (k === 'g') convert.group = v;
      else convert.version = v;
    } else if (k === 'stream') {
      if (v && (serializer === 'application/yaml' || v !== 'watch')) return undefined;
      stream = v === 'watch';
    } else if (k === 'sv') {
      if (v && v !== 'v1') return undefined;
    }
  }
  const textual = serializer === 'application/json' || serializer === 'application/yaml';
  if (!convert) {
    if (ep.custom && !textual) return undefined;
  } else {
    if (ep.noConvert) return undefined;
    if (convert.group !== 'meta.k8s.io' || (convert.version !== 'v1' && convert.version !== 'v1beta1'))
      return undefined;
    if (convert.kind === 'Table') {
      if (!ep.tableAllowed || !textual) return undefined;
    } else if (convert.kind !== 'PartialObjectMetadata' && convert.kind !== 'PartialObjectMetadataList') {
      return undefined;
    }
  }
  // Deviation: responses are never protobuf; a clause only protobuf satisfies is passed over.
  if (!textual) return undefined;
  return {
    mediaType: serializer as OutputMediaType,
    ...(convert
      ? { convert: { kind: convert.kind as ConvertKind, version: convert.version as 'v1' | 'v1beta1' } }
      : {}),
    stream,
  };
}

/**
 * NEG-1, NEG-2, NEG-4: kube-apiserver's NegotiateMediaTypeOptions — the first clause (after
 * goautoneg's sort) that one of the serializers (JSON, YAML, protobuf, in that order) matches
 * and the endpoint accepts wins; an empty Accept is JSON; none is 406.
 */
export function negotiate(accept: string | undefined, ep: Endpoint): AcceptChoice {
  if (ep.builtinRoute) checkGoRestfulProduces(accept);
  const choice = negotiateOrUndefined(accept, ep);
  if (!choice) throw notAcceptable(RESPONSE_TYPES);
  return choice;
}

export function negotiateOrUndefined(accept: string | undefined, ep: Endpoint): AcceptChoice | undefined {
  if (!accept) return { mediaType: 'application/json', stream: false };
  for (const r of parseAccept(accept)) {
    for (const s of SERIALIZERS) {
      const [type, subType] = s.split('/');
      const matches =
        (r.type === type && (r.subType === subType || r.subType === '*')) || (r.type === '*' && r.subType === '*');
      if (!matches) continue;
      const choice = accepts(r, s, ep);
      if (choice) return choice;
    }
  }
  return undefined;
}

/** NegotiateOutputMediaTypeStream: the chosen type must have a stream serializer (not YAML). */
export function negotiateWatch(accept: string | undefined, ep: Endpoint): AcceptChoice {
  const choice = negotiate(accept, ep);
  if (choice.mediaType !== 'application/json') throw notAcceptable(WATCH_TYPES);
  return choice;
}
