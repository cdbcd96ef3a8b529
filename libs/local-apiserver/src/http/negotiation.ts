import { StatusError, notAcceptable } from '../errors.ts';

/** What the server may answer: JSON and YAML for everything, protobuf for built-ins (only ever asked for; see README). */
export const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export interface AcceptChoice {
  table: boolean;
  /** JSON is acceptable as a fallback when no Table can be produced. */
  jsonFallback: boolean;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/**
 * NEG-2: a built-in's GET is routed by go-restful, whose Produces check refuses an Accept that
 * names none of the route's types before kube-apiserver's own negotiation runs: its bare 406
 * with empty details (kube-apiserver v1.36.2: conformance case `request-options/content-types`).
 */
function checkGoRestfulProduces(ranges: MediaRange[]): void {
  const produces = ['*/*', 'application/*', ...RESPONSE_TYPES];
  if (ranges.some((r) => produces.includes(r.type))) return;
  throw new StatusError(
    406,
    'NotAcceptable',
    `406: Not Acceptable\n\nAvailable representations: ${RESPONSE_TYPES.join(', ')}`,
    {},
  );
}

/**
 * NEG-1, NEG-2, NEG-4: pick JSON or a Table transform; never protobuf. `builtinRoute`: the
 * request is a built-in's GET (checkGoRestfulProduces).
 */
export function negotiate(accept: string | undefined, tableAllowed: boolean, builtinRoute = false): AcceptChoice {
  if (builtinRoute) checkGoRestfulProduces(parseAccept(accept));
  let table = false;
  for (const r of parseAccept(accept)) {
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    if (!jsonish) continue;
    if (r.params.as) {
      if (
        r.params.as === 'Table' &&
        r.params.g === 'meta.k8s.io' &&
        (r.params.v === 'v1' || r.params.v === 'v1beta1') &&
        tableAllowed
      ) {
        table = true;
      }
      continue;
    }
    return { table, jsonFallback: true };
  }
  if (table) return { table, jsonFallback: false };
  throw notAcceptable(RESPONSE_TYPES);
}
