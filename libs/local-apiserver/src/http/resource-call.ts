import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListQuery } from '../engine/request-options.ts';
import type { HandlerDeps } from './handler-deps.ts';
import type { ResourceRequest } from './resource-path.ts';

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
  includeObject: IncludeObject;
}
