/**
 * Every envtest failure is one of these classes so a test (or CI log reader) can tell a broken
 * control plane from a broken assertion by `code` alone.
 */
export class EnvtestError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A control-plane process did not start or did not become ready in time. */
export class ControlPlaneStartError extends EnvtestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ControlPlaneStart', message, options);
  }
}

/** KUBEBUILDER_ASSETS points at a directory without the binaries we need. */
export class AssetsMissingError extends EnvtestError {
  constructor(message: string) {
    super('AssetsMissing', message);
  }
}

/** `eventually` ran out of time; `cause` is the last error `fn` threw. */
export class EventuallyTimeoutError extends EnvtestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EventuallyTimeout', message, options);
  }
}

/** The API server answered a request with a non-2xx status. */
export class ApiRequestError extends EnvtestError {
  readonly status: number;
  readonly reason: string;
  readonly body: unknown;
  constructor(method: string, path: string, status: number, body: unknown) {
    const b = (body ?? {}) as { message?: string; reason?: string };
    const detail = typeof b.message === 'string' ? b.message : typeof body === 'string' ? body : JSON.stringify(body);
    super('ApiRequest', `${method} ${path} answered ${status}: ${detail}`);
    this.status = status;
    this.reason = typeof b.reason === 'string' ? b.reason : '';
    this.body = body;
  }
}

/** A manifest names an apiVersion/kind the server does not serve (CRD missing or not yet installed). */
export class UnknownKindError extends EnvtestError {
  constructor(apiVersion: string, kind: string) {
    super(
      'UnknownKind',
      `the API server serves no kind ${kind} in ${apiVersion}: install its CRD first (installCRDs) or check the apiVersion`,
    );
  }
}

/** A manifest file or object is not something we can install. */
export class InvalidManifestError extends EnvtestError {
  constructor(message: string) {
    super('InvalidManifest', message);
  }
}
