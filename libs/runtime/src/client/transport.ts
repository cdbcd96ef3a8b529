import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { Backoff, sleep } from './backoff.ts';
import { realClock, type Clock } from '../queue/clock.ts';
import { ApiError, ConnectionError, type RequestDescription, type Status } from './errors.ts';
import type { Logger } from '../logging.ts';

export class KubeConfigError extends Error {
  readonly code = 'KubeConfigInvalid';
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

export interface TransportOptions {
  logger?: Logger;
  /** Extra attempts for idempotent reads on 5xx / network errors, and for any verb on 429. Default 5. */
  maxRetries?: number;
  retryInitialMs?: number; // default 200
  retryMaxMs?: number; // default 5000
  /** Socket inactivity limit for ordinary (non-watch) requests. Default 60 s. */
  requestTimeoutMs?: number;
  clock?: Clock;
  userAgent?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  describe: RequestDescription;
  /** Safe to resend after a 5xx or a broken connection (reads). 429 is always retried. */
  idempotent: boolean;
  /**
   * Sending it twice ends in the same state or in a clean error (PUT, DELETE, merge patches,
   * creates with a fixed name → AlreadyExists): allowed to resend when a pooled keep-alive socket
   * turns out dead. JSON patches and generateName creates are not.
   */
  replaySafe?: boolean;
  signal?: AbortSignal;
}

const MAX_RETRY_AFTER_S = 300;

/**
 * Our HTTP layer: node:http(s) with TLS material and credentials taken from the kubeconfig by
 * client-node (`applyToHTTPSOptions`, which also runs exec/OIDC token plugins per request), a
 * keep-alive agent of our own (client-node builds a fresh agent on every call, which would open a
 * connection per request), JSON in and out, and retries that are safe for the verb.
 */
export class Transport {
  readonly server: URL;
  readonly defaultNamespace: string;
  private readonly auth: KubeConfig;
  private readonly opts: Required<Omit<TransportOptions, 'logger' | 'clock'>>;
  private readonly clock: Clock;
  private readonly logger?: Logger;
  private agent?: { fingerprint: string; agent: http.Agent };
  /**
   * Whether the kubeconfig's credentials can change while we run: an exec or auth-provider
   * plugin (tokens that expire), TLS material or a token read from files (rotated on disk), a
   * proxy (client-node makes its agent), custom authenticators. Only then is the kubeconfig
   * consulted per request; otherwise once (`fixed`).
   */
  private readonly dynamic: boolean;
  private fixed?: Promise<Credentials>;
  /** Request options every request to this server shares (where to connect). */
  private readonly target: { protocol: string; hostname: string; port: string; basePath: string };

  constructor(kubeConfig: KubeConfig, opts: TransportOptions = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) {
      throw new KubeConfigError(
        `kubeconfig has no cluster for context "${kubeConfig.getCurrentContext()}"; set current-context`,
      );
    }
    this.server = new URL(cluster.server);
    this.defaultNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace || 'default';
    this.opts = {
      maxRetries: 5,
      retryInitialMs: 200,
      retryMaxMs: 5000,
      requestTimeoutMs: 60_000,
      userAgent: 'kubeloop/0.1',
      ...opts,
    };
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger;
    // client-node refuses plain http unless skipTLSVerify is set; for an http server there is no
    // TLS to verify, so lift the flag on a private copy (local-apiserver serves http by default).
    if (this.server.protocol === 'http:' && !cluster.skipTLSVerify) {
      const copy = new KubeConfig();
      copy.loadFromOptions({
        clusters: kubeConfig.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
        users: kubeConfig.users,
        contexts: kubeConfig.contexts,
        currentContext: kubeConfig.currentContext,
      });
      this.auth = copy;
    } else {
      this.auth = kubeConfig;
    }
    const user = this.auth.getCurrentUser();
    const custom = (this.auth as unknown as { custom_authenticators?: unknown[] }).custom_authenticators;
    this.dynamic = Boolean(
      user?.exec ||
      user?.authProvider ||
      user?.certFile ||
      user?.keyFile ||
      cluster.caFile ||
      cluster.proxyUrl ||
      (custom && custom.length > 0),
    );
    const hostname = this.server.hostname;
    this.target = {
      protocol: this.server.protocol,
      // An IPv6 literal without its brackets, as Node's urlToHttpOptions gives it.
      hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
      port: this.server.port,
      basePath: this.server.pathname.replace(/\/$/, ''),
    };
  }

  /** The request target (path and query) under the server's base path. */
  private pathWithQuery(path: string, query?: HttpRequest['query']): string {
    let search: URLSearchParams | undefined;
    for (const k in query) {
      const v = query[k];
      if (v !== undefined && v !== '') (search ??= new URLSearchParams()).set(k, String(v));
    }
    return this.target.basePath + path + (search ? `?${search.toString()}` : '');
  }

  /** A JSON request with retries; returns the parsed body. */
  async request<T>(req: HttpRequest): Promise<T> {
    const backoff = new Backoff({
      initialMs: this.opts.retryInitialMs,
      maxMs: this.opts.retryMaxMs,
      clock: this.clock,
    });
    let retriedStale = false;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.opts.maxRetries;
      let res: { status: number; headers: http.IncomingHttpHeaders; body: string };
      try {
        res = await this.once(req);
      } catch (err) {
        if (req.signal?.aborted) throw err;
        // A keep-alive socket the server closed while idle fails the next request (Node's
        // documented case: reusedSocket + ECONNRESET). Whether the server read the request first
        // cannot be known, so only requests that may safely run twice are resent, once.
        const staleSocket =
          err instanceof ConnectionError &&
          err.reusedSocket &&
          err.errno === 'ECONNRESET' &&
          !retriedStale &&
          (req.idempotent || req.replaySafe);
        if (staleSocket) {
          retriedStale = true;
          this.dropIdleSockets();
          continue;
        }
        if (err instanceof ConnectionError && req.idempotent && !last) {
          const delay = backoff.next();
          this.logger?.debug({ err: err.message, attempt, delay, ...req.describe }, 'retrying after connection error');
          await sleep(this.clock, delay, req.signal);
          continue;
        }
        throw err;
      }
      if (res.status >= 200 && res.status < 300) {
        return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
      }
      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      const error = new ApiError(res.status, parseStatus(res.status, res.body), req.describe, retryAfter);
      const retriable = res.status === 429 || (res.status >= 500 && req.idempotent);
      if (!retriable || last || req.signal?.aborted) throw error;
      const delay = retryAfter !== undefined ? retryAfter * 1000 : backoff.next();
      this.logger?.debug({ code: res.status, attempt, delay, ...req.describe }, 'retrying API request');
      await sleep(this.clock, delay, req.signal);
    }
  }

  /**
   * Opens a streaming GET (watch). Non-2xx answers become ApiError; the caller owns the
   * response and must consume or destroy it. No retries: the informer supervises watches.
   */
  async stream(req: Omit<HttpRequest, 'method' | 'idempotent'>): Promise<http.IncomingMessage> {
    const { request, done } = await this.start({ ...req, method: 'GET', idempotent: true }, false);
    request.end();
    const res = await done;
    if (res.statusCode! >= 200 && res.statusCode! < 300) return res;
    const body = await readBody(res);
    throw new ApiError(
      res.statusCode!,
      parseStatus(res.statusCode!, body),
      req.describe,
      parseRetryAfter(res.headers['retry-after']),
    );
  }

  private async once(req: HttpRequest) {
    const sent = this.encodeBody(req);
    const { request, done } = await this.start(req, true, sent);
    request.end(sent);
    const res = await done;
    const body = await readBody(res).catch((err: Error) => {
      throw new ConnectionError(`${req.method} ${req.path}: response cut: ${err.message}`, { cause: err });
    });
    return { status: res.statusCode!, headers: res.headers, body };
  }

  private async start(req: HttpRequest, withTimeout: boolean, body?: string) {
    const credentials = await this.credentials();
    const path = this.pathWithQuery(req.path, req.query);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.opts.userAgent,
      ...credentials.headers,
    };
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      // Node sends DELETE bodies unframed unless told the length; the server then answers 400.
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const { protocol, hostname, port } = this.target;
    const options: https.RequestOptions = { protocol, hostname, port, path, method: req.method, headers };
    options.agent = credentials.agent;
    if (credentials.auth !== undefined) options.auth = credentials.auth;
    if (withTimeout) options.timeout = this.opts.requestTimeoutMs;
    if (req.signal) options.signal = req.signal;

    const mod = protocol === 'https:' ? https : http;
    const request = mod.request(options);
    const done = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.on('response', resolve);
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.opts.requestTimeoutMs} ms`)));
      request.on('error', (err) => {
        if (req.signal?.aborted) {
          const reason: unknown = req.signal.reason ?? err; // the caller's abort reason, as fetch rejects with
          reject(reason);
        } else {
          const e = new ConnectionError(`${req.method} ${path.split('?')[0]}: ${err.message}`, { cause: err });
          e.reusedSocket = request.reusedSocket;
          e.errno = (err as NodeJS.ErrnoException).code;
          reject(e);
        }
      });
    });
    return { request, done };
  }

  private encodeBody(req: HttpRequest): string | undefined {
    if (req.body === undefined) return undefined;
    return typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  }

  /**
   * What the kubeconfig adds to a request: headers (Authorization, Impersonate-User), basic auth
   * and the agent holding the TLS material. Worked out once for a static kubeconfig — asking
   * client-node per request decodes the certificates from base64, builds an agent it throws away
   * and has the material hashed, on every write — and per request when it can change (`dynamic`).
   */
  private credentials(): Promise<Credentials> {
    if (this.dynamic) return this.readCredentials();
    if (!this.fixed) {
      this.fixed = this.readCredentials();
      this.fixed.catch(() => (this.fixed = undefined)); // a failure is not kept: the next request asks again
    }
    return this.fixed;
  }

  private async readCredentials(): Promise<Credentials> {
    const options: https.RequestOptions = {};
    await this.auth.applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    return { headers, auth: options.auth ?? undefined, agent: this.agentFor(options) };
  }

  /** Reuse one keep-alive agent while the TLS material stays the same. */
  private agentFor(options: https.RequestOptions): http.Agent {
    const cluster = this.auth.getCurrentCluster();
    if (cluster?.proxyUrl && options.agent) return options.agent as http.Agent;
    const fingerprint = createHash('sha256')
      .update(String(options.ca ?? ''))
      .update(String(options.cert ?? ''))
      .update(keyText(options.key))
      .update(String(options.rejectUnauthorized))
      .update(String(options.servername ?? ''))
      .digest('hex');
    if (this.agent?.fingerprint === fingerprint) return this.agent.agent;
    this.agent?.agent.destroy();
    const agent =
      this.server.protocol === 'https:'
        ? new OneServerHttpsAgent(this.server.host, {
            keepAlive: true,
            ca: options.ca,
            cert: options.cert,
            key: options.key,
            pfx: options.pfx,
            passphrase: options.passphrase,
            servername: options.servername,
            ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
          })
        : new http.Agent({ keepAlive: true });
    this.agent = { fingerprint, agent };
    return agent;
  }

  /** After a server restart every pooled idle socket is dead; drop them all at once. */
  private dropIdleSockets(): void {
    const free = (
      this.agent?.agent as (http.Agent & { freeSockets?: Record<string, import('node:net').Socket[]> }) | undefined
    )?.freeSockets;
    for (const list of Object.values(free ?? {})) for (const socket of list ?? []) socket.destroy();
  }

  /** Closes pooled connections (tests, shutdown). */
  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
    this.fixed = undefined;
  }
}

/** What the kubeconfig adds to every request (Transport.credentials). */
interface Credentials {
  headers: Record<string, string>;
  auth?: string;
  agent: http.Agent;
}

/**
 * A keep-alive agent for the one server of a Transport, with the TLS material fixed at
 * construction. Node's https.Agent names each request's connection pool by concatenating its
 * options — the CA, certificate and key included (as text: decoding the buffers again on every
 * request); here every request shares the same material and server, so the pool has one name.
 */
class OneServerHttpsAgent extends https.Agent {
  constructor(
    private readonly poolName: string,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override getName(): string {
    return this.poolName;
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}

export function parseStatus(code: number, body: string): Status {
  try {
    const parsed = JSON.parse(body) as Status;
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status') return parsed;
  } catch {
    // not JSON: fall through
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason: reasonFor(code),
    message: body.trim() || http.STATUS_CODES[code],
  };
}

function reasonFor(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? '';
}

export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, MAX_RETRY_AFTER_S);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - Date.now()) / 1000)), MAX_RETRY_AFTER_S);
}

/**
 * The client key as text for the agent's fingerprint. `key` may hold `{ pem, passphrase }`
 * objects, which String() would print as `[object Object]`: two different keys would share an agent.
 */
function keyText(key: https.RequestOptions['key']): string {
  if (key === undefined) return '';
  if (!Array.isArray(key)) return String(key);
  return key
    .map((k) => (Buffer.isBuffer(k) || typeof k === 'string' ? String(k) : `${String(k.pem)}|${k.passphrase ?? ''}`))
    .join('\n');
}
