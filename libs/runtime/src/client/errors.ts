/** A metav1.Status as the API server sends it with every error. */
export interface Status {
  apiVersion?: string;
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    /** `reason` is how the wire names a cause's type (metav1.StatusCause's JSON key). */
    causes?: { type?: string; reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
  metadata?: Record<string, unknown>;
}

export interface RequestDescription {
  verb: string; // Kubernetes verb: get, list, watch, create, update, patch, delete
  resource: string; // plural.group (or plural for core)
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * An error answer from the API server. `code` is the HTTP status (stable across versions,
 * unlike messages); `reason` is the Status reason (`NotFound`, `Conflict`, `Expired`, ...).
 */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: Status;
  readonly retryAfterSeconds?: number;
  readonly verb?: string;
  readonly resource?: string;

  constructor(code: number, status: Status, request?: RequestDescription, retryAfterSeconds?: number) {
    super(describe(code, status, request));
    this.name = 'ApiError';
    this.code = code;
    this.reason = status.reason ?? '';
    this.status = status;
    this.verb = request?.verb;
    this.resource = request?.resource;
    const retry = retryAfterSeconds ?? status.details?.retryAfterSeconds;
    if (retry !== undefined) this.retryAfterSeconds = retry;
  }
}

function describe(code: number, status: Status, req?: RequestDescription): string {
  const what = req
    ? `${req.verb} ${req.resource}${req.subresource ? `/${req.subresource}` : ''}${req.name ? ` "${req.name}"` : ''}` +
      (req.namespace ? ` in namespace "${req.namespace}"` : '')
    : 'request';
  const msg = status.message ?? status.reason ?? `HTTP ${code}`;
  if (code === 403) {
    // RBAC problems are configuration errors; say so and name what to grant.
    return `forbidden: ${what} (${msg}); grant verb "${req?.verb ?? '?'}" on "${req?.resource ?? '?'}" to this identity's Role`;
  }
  return `${what}: ${code} ${status.reason ?? ''}: ${msg}`.replace(/ {2,}/g, ' ');
}

function codeOf(e: unknown): number | undefined {
  return e instanceof ApiError ? e.code : undefined;
}

export const isNotFound = (e: unknown): boolean => codeOf(e) === 404;
export const isConflict = (e: unknown): boolean => codeOf(e) === 409 && (e as ApiError).reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown): boolean => codeOf(e) === 409 && (e as ApiError).reason === 'AlreadyExists';
export const isInvalid = (e: unknown): boolean => codeOf(e) === 422;
export const isForbidden = (e: unknown): boolean => codeOf(e) === 403;
export const isTooManyRequests = (e: unknown): boolean => codeOf(e) === 429;
/** 410: a resourceVersion or continue token too old for the server's history (reason Expired or Gone). */
export const isGone = (e: unknown): boolean => codeOf(e) === 410;

/** The request never produced an HTTP answer (connection refused, reset, TLS failure, timeout). */
export class ConnectionError extends Error {
  readonly code = 'ConnectionFailed';
  /** The system error code (ECONNREFUSED, ECONNRESET, ...) when there is one. */
  errno?: string;
  /** The request went out on a pooled keep-alive socket. */
  reusedSocket?: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

/** A strategic-merge patch against a custom kind: the API server would answer 415. */
export class UnsupportedPatchError extends Error {
  readonly code = 'UnsupportedPatchType';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPatchError';
  }
}

/** A call the client refuses before sending: a namespaced kind without namespace, no name, ... */
export class InvalidRequestError extends Error {
  readonly code = 'InvalidRequest';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** start()/run() called twice on something that runs once. */
export class AlreadyStartedError extends Error {
  readonly code = 'AlreadyStarted';
  constructor(what: string) {
    super(`${what} is already running; create a new one or share the running one`);
    this.name = 'AlreadyStartedError';
  }
}
