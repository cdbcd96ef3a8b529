import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListQuery } from '../engine/request-options.ts';
import type { HandlerDeps } from './handler-deps.ts';
import type { ResourceRequest } from './resource-path.ts';
import { badRequest } from '../errors.ts';
import { goQuote } from '../crd-schema/go-format.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** One request to a resource endpoint, as the verb handlers in verbs/ receive it. */
export interface ResourceCall {
  deps: HandlerDeps;
  req: IncomingMessage;
  res: ServerResponse;
  rr: ResourceRequest;
  q: URLSearchParams;
  /** The list/watch query, parsed for every verb (a bad `limit` is a 400 whatever the verb). */
  lq: ListQuery;
  /**
   * Warning headers of this request. They go out with the answer, an error's too: kube-apiserver
   * sends a write's unknown-field warnings with the 400 that refuses it.
   */
  warnings: string[];
}

/**
 * The TableOptions of a Table answer (ValidateTableOptions, checked once the Table is chosen):
 * answers that are no Table ignore `includeObject`, whatever it says.
 */
export function tableIncludeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? '';
  if (v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(
    `Unable to convert to Table as requested: includeObject: Invalid value: ${goQuote(v)}: must be 'Metadata', 'Object', 'None', or empty`,
  );
}
