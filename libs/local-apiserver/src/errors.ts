import type { ApiStatus, FieldError, FieldErrorType, ResourceType, StatusDetails } from './types.ts';

/**
 * An API error that the HTTP layer writes as a Status body (§10). Everything the server
 * rejects is thrown as one of these, so the wire format is decided in one place and the
 * messages stay byte-compatible with kube-apiserver (clients match on them).
 */
export class StatusError extends Error {
  readonly code = 'StatusError';
  readonly statusCode: number;
  readonly status: ApiStatus;
  /** Warning headers the request had gathered when it failed; they are sent with the Status. */
  readonly warnings: string[] = [];

  constructor(statusCode: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.statusCode = statusCode;
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      ...(reason ? { reason } : {}),
      ...(details ? { details } : {}),
      code: statusCode,
    };
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** `configmaps` or `widgets.example.com` (GroupResource.String()). */
export function groupResource(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

/** `ConfigMap` or `Widget.example.com` (GroupKind.String()). */
export function groupKind(rt: Pick<ResourceType, 'group' | 'kind'>): string {
  return rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
}

function resourceDetails(rt: Pick<ResourceType, 'group' | 'plural'>, name: string): StatusDetails {
  return { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural };
}

export function notFound(rt: Pick<ResourceType, 'group' | 'plural'>, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${groupResource(rt)} "${name}" not found`, resourceDetails(rt, name));
}

export function alreadyExists(rt: Pick<ResourceType, 'group' | 'plural'>, name: string, prefix = ''): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${prefix}${groupResource(rt)} "${name}" already exists`,
    resourceDetails(rt, name),
  );
}

export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(
  rt: Pick<ResourceType, 'group' | 'plural'>,
  name: string,
  reason: string = OPTIMISTIC_LOCK_MESSAGE,
): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${groupResource(rt)} "${name}": ${reason}`,
    resourceDetails(rt, name),
  );
}

export function forbidden(
  rt: Pick<ResourceType, 'group' | 'plural'>,
  name: string,
  reason: string,
  causes?: StatusDetails['causes'],
): StatusError {
  const prefix = name ? `${groupResource(rt)} "${name}"` : groupResource(rt);
  return new StatusError(403, 'Forbidden', `${prefix} is forbidden: ${reason}`, {
    ...resourceDetails(rt, name),
    ...(causes ? { causes } : {}),
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message, {});
}

/**
 * A path under /api or under a served group that names no resource (an unknown version,
 * resource or subresource): the real server's API handlers answer a Status, not the plain-text
 * `404 page not found` of paths outside every API.
 */
export function resourceNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function notAcceptable(accepted: readonly string[]): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

/**
 * A read from a resourceVersion the server has not reached, after waiting for it (GET-3): the
 * client is ahead of this server (it restarted from older state, or the RV is made up), and
 * kube-apiserver answers exactly this, so clients retry or relist instead of trusting stale data.
 */
export function resourceVersionTooLarge(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

const TYPE_STRINGS: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** Go's %v of a bad value as field.Error prints it (numbers and bools bare, strings quoted, rest JSON). */
function renderValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'null';
  return JSON.stringify(v);
}

/** The part of a field error after `<field>: ` (apimachinery field.Error.ErrorBody). */
export function fieldErrorBody(e: FieldError): string {
  if (e.bodyOverride !== undefined) return e.bodyOverride;
  let s = TYPE_STRINGS[e.type];
  const printsValue = !['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'].includes(
    e.type,
  );
  if (printsValue && !e.omitValue && 'value' in e) s += `: ${renderValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function renderFieldError(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

/**
 * 422 Invalid (CRD-VAL-2): details.kind is the Kind, the message lists the errors (de-duplicated,
 * bracketed when there are several).
 */
export function invalid(gk: { group: string; kind: string }, name: string, errors: readonly FieldError[]): StatusError {
  const rendered: string[] = [];
  for (const e of errors) {
    const r = renderFieldError(e);
    if (!rendered.includes(r)) rendered.push(r);
  }
  const list = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${groupKind(gk)} "${name}" is invalid: ${list}`, {
    ...(name ? { name } : {}),
    ...(gk.group ? { group: gk.group } : {}),
    kind: gk.kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}

/** The Success Status of an immediate delete (DEL-1): no code, details.kind = resource. */
export function deleteSuccess(rt: Pick<ResourceType, 'group' | 'plural'>, name: string, uid: string): ApiStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, uid },
  };
}
