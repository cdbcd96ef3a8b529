import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { invalidStatus, type FieldError } from '../errors/field-errors.ts';
import type { Kind, KubeObject } from '../kinds/kind.ts';
import { silentLogger, type Logger } from '../logging.ts';
import { createPatch } from './json-patch.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** admission.k8s.io/v1 AdmissionRequest (the fields handlers use). */
export interface AdmissionRequest<T = KubeObject> {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: T;
  oldObject?: T;
  dryRun?: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code?: number; reason?: string; message?: string; [k: string]: unknown };
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

/** Mutates `obj` in place (it is a copy); the server answers with the JSON Patch of the change. */
export type Defaulter<T> = (obj: T, req: AdmissionRequest<T>) => void | Promise<void>;

type Errs = FieldError[] | void | undefined;
export interface Validator<T> {
  create?(obj: T, req: AdmissionRequest<T>): Errs | Promise<Errs>;
  update?(oldObj: T, obj: T, req: AdmissionRequest<T>): Errs | Promise<Errs>;
  delete?(oldObj: T, req: AdmissionRequest<T>): Errs | Promise<Errs>;
}

export interface WebhookRegistration {
  type: 'mutating' | 'validating' | 'conversion';
  path: string;
  /** For conversion: the hub (storage) version of the kind. */
  kind: Kind<KubeObject>;
  /** Admission operations handled; empty for conversion. */
  operations: Operation[];
  /** The webhook's name in its configuration; default `m<kind>-<version>.kb.io` / `v…` (webhookName). */
  name?: string;
  /** For conversion: every version the webhook converts between, the hub's first. */
  versions?: string[];
}

/** As kubebuilder's markers allow: another webhook name than the default. */
export interface WebhookOptions {
  name?: string;
}

/**
 * One version of a kind that is not the hub (storage) version, with its two conversions —
 * kubebuilder's Convertible (`ConvertTo`/`ConvertFrom` the Hub). Every conversion goes through
 * the hub, so N versions need 2(N-1) functions, not N². `metadata` is carried over when a
 * conversion returns an object without it; apiVersion and kind are set by the server.
 */
export interface ConversionSpoke<Hub extends KubeObject, T extends KubeObject = KubeObject> {
  kind: Kind<T>;
  toHub(obj: T): Hub | Promise<Hub>;
  fromHub(hub: Hub): T | Promise<T>;
}

/** apiextensions.k8s.io/v1 ConversionReview request. */
export interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: KubeObject[];
}

export interface ConversionResponse {
  uid: string;
  convertedObjects?: KubeObject[];
  result: { status: 'Success' | 'Failure'; message?: string };
}

/** The path kubebuilder serves every conversion on (one handler for all kinds). */
export const CONVERSION_PATH = '/convert';

export interface WebhookServerOptions {
  /** Default 9443; 0 picks a free port (see `port` after start). */
  port?: number;
  /** Default all interfaces (''), as the API server reaches the pod over its IP. */
  host?: string;
  /** Holds tls.crt and tls.key (a mounted Secret). Reloaded when they change. */
  certDir: string;
  certName?: string;
  keyName?: string;
  logger?: Logger;
  /** Largest AdmissionReview body accepted (default 7 MiB: the API server's limit is ~3 MiB per object, twice for updates). */
  maxBodyBytes?: number;
}

export class WebhookError extends Error {
  constructor(
    readonly code: 'CertsMissing' | 'AlreadyRegistered' | 'NotStarted' | 'BadConversion',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

function groupKind(group: string, kind: string): string {
  return `${kind}.${group}`;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function kindPathPart(kind: Kind<KubeObject>): string {
  return `${kind.group.replace(/\./g, '-')}-${kind.version}-${kind.kind.toLowerCase()}`;
}

/** kubebuilder's path for a defaulting webhook: `/mutate-<group-with-dashes>-<version>-<kind>`. */
export function mutatePath(kind: Kind<KubeObject>): string {
  return `/mutate-${kindPathPart(kind)}`;
}

export function validatePath(kind: Kind<KubeObject>): string {
  return `/validate-${kindPathPart(kind)}`;
}

type Handler = (req: AdmissionRequest<KubeObject>) => Promise<Omit<AdmissionResponse, 'uid'>>;

function statusOfThrown(err: unknown): AdmissionResponse['status'] {
  const status = (err as { status?: unknown }).status;
  if (status && typeof status === 'object' && 'code' in status) return status as AdmissionResponse['status'];
  return { code: 403, reason: 'Forbidden', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The admission webhook server every replica runs (not only the leader: the API server calls
 * whichever pod the Service picks). HTTPS only — the API server refuses plain HTTP webhooks —
 * with the serving certificate read from `certDir` and swapped in without a restart when
 * cert-manager (or a Secret update) rewrites it.
 */
export class WebhookServer {
  private readonly handlers = new Map<string, Handler>();
  private readonly regs: WebhookRegistration[] = [];
  private readonly conversions = new Map<
    string,
    { hub: Kind<KubeObject>; spokes: Map<string, ConversionSpoke<KubeObject, KubeObject>> }
  >();
  private server?: Server;
  private watcher?: FSWatcher;
  private reloadTimer?: ReturnType<typeof setTimeout>;
  /** Responses not yet sent, so a stop can mark them `Connection: close`. */
  private readonly unanswered = new Set<ServerResponse>();
  private stopping = false;
  private readonly log: Logger;
  private currentCert = '';
  /** Count of successful certificate loads (the first one included). */
  certLoads = 0;

  constructor(private readonly opts: WebhookServerOptions) {
    this.log = (opts.logger ?? silentLogger()).child({ component: 'webhook' });
  }

  defaulter<T extends KubeObject>(kind: Kind<T>, fn: Defaulter<T>, opts: WebhookOptions = {}): this {
    const path = mutatePath(kind);
    this.register(
      path,
      {
        type: 'mutating',
        path,
        kind,
        operations: ['CREATE', 'UPDATE'],
        ...(opts.name ? { name: opts.name } : {}),
      },
      async (req) => {
        if ((req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return { allowed: true };
        const original = req.object;
        const copy = structuredClone(original) as T;
        await fn(copy, req as AdmissionRequest<T>);
        const ops = createPatch(original, copy);
        if (ops.length === 0) return { allowed: true };
        return { allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') };
      },
    );
    return this;
  }

  validator<T extends KubeObject>(kind: Kind<T>, v: Validator<T>, opts: WebhookOptions = {}): this {
    const path = validatePath(kind);
    const operations: Operation[] = [
      ...(v.create ? ['CREATE' as const] : []),
      ...(v.update ? ['UPDATE' as const] : []),
      ...(v.delete ? ['DELETE' as const] : []),
    ];
    const reg: WebhookRegistration = { type: 'validating', path, kind, operations };
    if (opts.name) reg.name = opts.name;
    this.register(path, reg, async (req) => {
      const r = req as AdmissionRequest<T>;
      let errs: Errs;
      if (req.operation === 'CREATE' && v.create && r.object) errs = await v.create(r.object, r);
      else if (req.operation === 'UPDATE' && v.update && r.object && r.oldObject)
        errs = await v.update(r.oldObject, r.object, r);
      else if (req.operation === 'DELETE' && v.delete && r.oldObject) errs = await v.delete(r.oldObject, r);
      if (!errs || errs.length === 0) return { allowed: true };
      const name = req.name || (r.object ?? r.oldObject)?.metadata?.name || '';
      // A metav1.Status without its TypeMeta: what kubebuilder's validator puts in the response.
      const { kind: _k, apiVersion: _a, metadata: _m, ...status } = invalidStatus(kind, name, errs);
      return { allowed: false, status };
    });
    return this;
  }

  /**
   * Serves conversion between the hub (the CRD's storage version) and each spoke version at
   * /convert, as kubebuilder's conversion webhook does; `manifests` marks the kind's CRD
   * `conversion.strategy: Webhook` pointing there. A kind may have one conversion registration.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spoke converts its own version's type: a list of them has no one type argument
  converter<Hub extends KubeObject>(hub: Kind<Hub>, spokes: ConversionSpoke<Hub, any>[] = []): this {
    const key = groupKind(hub.group, hub.kind);
    if (this.conversions.has(key))
      throw new WebhookError(
        'AlreadyRegistered',
        `a conversion webhook is already registered for ${hub.kind}.${hub.group}`,
      );
    for (const spoke of spokes) {
      if (spoke.kind.group !== hub.group || spoke.kind.kind !== hub.kind || spoke.kind.version === hub.version)
        throw new WebhookError(
          'BadConversion',
          `conversion for ${hub.kind}.${hub.group}: ${spoke.kind.apiVersion} ${spoke.kind.kind} is not another version of the hub ${hub.apiVersion}`,
        );
    }
    this.conversions.set(key, {
      hub,
      spokes: new Map(spokes.map((s) => [s.kind.version, s as ConversionSpoke<KubeObject, KubeObject>])),
    });
    this.regs.push({
      type: 'conversion',
      path: CONVERSION_PATH,
      kind: hub,
      operations: [],
      versions: [hub.version, ...spokes.map((s) => s.kind.version)],
    });
    return this;
  }

  /** Converts every object of a ConversionReview request to its desiredAPIVersion, through the hub. */
  async convert(request: ConversionRequest): Promise<ConversionResponse> {
    const desired = splitApiVersion(request.desiredAPIVersion);
    const converted: KubeObject[] = [];
    try {
      for (const obj of request.objects ?? []) {
        const from = splitApiVersion(obj.apiVersion ?? '');
        const kind = obj.kind ?? '';
        if (from.group !== desired.group)
          throw new Error(`cannot convert ${obj.apiVersion} ${kind} to ${request.desiredAPIVersion}: another group`);
        if (from.version === desired.version) {
          converted.push(obj);
          continue;
        }
        const conversion = this.conversions.get(groupKind(from.group, kind));
        if (!conversion) throw new Error(`no conversion is registered for ${kind}.${from.group}`);
        const spokeOf = (version: string) => {
          const spoke = conversion.spokes.get(version);
          if (!spoke)
            throw new Error(
              `${kind}.${from.group} version ${version} is neither the hub ${conversion.hub.version} nor a registered spoke`,
            );
          return spoke;
        };
        const hub =
          from.version === conversion.hub.version ? obj : await spokeOf(from.version).toHub(structuredClone(obj));
        const out =
          desired.version === conversion.hub.version
            ? hub
            : await spokeOf(desired.version).fromHub(structuredClone(hub));
        converted.push({ ...out, apiVersion: request.desiredAPIVersion, kind, metadata: out.metadata ?? obj.metadata });
      }
    } catch (err) {
      return { uid: request.uid, result: { status: 'Failure', message: (err as Error).message } };
    }
    return { uid: request.uid, convertedObjects: converted, result: { status: 'Success' } };
  }

  private register(path: string, reg: WebhookRegistration, handler: Handler): void {
    if (this.handlers.has(path))
      throw new WebhookError(
        'AlreadyRegistered',
        `a webhook is already registered at ${path}: register one defaulter and one validator per kind`,
      );
    this.handlers.set(path, handler);
    this.regs.push(reg);
  }

  /** What is served, for generating Mutating/ValidatingWebhookConfigurations. */
  registrations(): WebhookRegistration[] {
    return [...this.regs];
  }

  private readPair(): { cert: string; key: string } {
    const certPath = join(this.opts.certDir, this.opts.certName ?? 'tls.crt');
    const keyPath = join(this.opts.certDir, this.opts.keyName ?? 'tls.key');
    try {
      return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    } catch (e) {
      throw new WebhookError(
        'CertsMissing',
        `cannot read the webhook serving certificate ${certPath} / ${keyPath} (${(e as Error).message}): mount the webhook Secret there or call ensureLocalWebhookCerts for local runs`,
      );
    }
  }

  /** Re-reads the pair; a half-written or mismatched pair is logged and the old one kept. */
  reloadCertificate(): boolean {
    let pair: { cert: string; key: string };
    try {
      pair = this.readPair();
      createSecureContext(pair); // throws on a mismatched or garbled pair
    } catch (e) {
      this.log.warn({ err: e }, 'webhook certificate not reloaded; keeping the previous one');
      return false;
    }
    if (pair.cert === this.currentCert) return false;
    this.server?.setSecureContext(pair);
    this.currentCert = pair.cert;
    this.certLoads++;
    this.log.info({ loads: this.certLoads }, 'webhook serving certificate loaded');
    return true;
  }

  async start(): Promise<{ port: number; url: string }> {
    const pair = this.readPair();
    this.currentCert = pair.cert;
    this.certLoads = 1;
    this.stopping = false;
    this.server = createServer({ ...pair, minVersion: 'TLSv1.2' }, (req, res) => void this.serve(req, res));
    const host = this.opts.host ?? '';
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 9443, host || undefined, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    // Watch the directory, not the files: Secret volumes swap a `..data` symlink and writers
    // rename temp files into place, and both replace the inode a file watch would be bound to.
    this.watcher = watch(this.opts.certDir, () => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      // Coalesce the burst of events one rewrite produces (cert and key renamed separately).
      this.reloadTimer = setTimeout(() => this.reloadCertificate(), 50);
      this.reloadTimer.unref();
    });
    this.watcher.on('error', (err) => this.log.warn({ err }, 'webhook certificate directory watch failed'));
    const port = this.port;
    this.log.info({ port, paths: [...this.handlers.keys()] }, 'Serving webhook server');
    return { port, url: `https://${host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1'}:${port}` };
  }

  get port(): number {
    if (!this.server) throw new WebhookError('NotStarted', 'the webhook server has not been started');
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Stops accepting, lets reviews in flight answer for up to `graceMs` (the manager passes its
   * graceful shutdown timeout, as controller-runtime's Shutdown(ctx) does), then closes every
   * connection left: a handler that never returns must not hold the process (the API server
   * retries or applies the webhook's failurePolicy). Idle keep-alive connections — the API
   * server keeps them — are closed at once.
   */
  async stop(graceMs = 30_000): Promise<void> {
    this.watcher?.close();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // The API server reuses its keep-alive connections: a connection that stays open after its
    // answer would carry the next review and keep the server alive. Every answer from now on
    // closes its connection.
    this.stopping = true;
    for (const res of this.unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeIdleConnections();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (!late) return;
    this.log.warn({ graceMs }, 'webhook reviews still in flight at shutdown; closing their connections');
    server.closeAllConnections();
    await closed;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.stopping) res.setHeader('connection', 'close');
    this.unanswered.add(res);
    res.once('close', () => this.unanswered.delete(res));
    await this.handle(req, res);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    if (path === '/healthz' || path === '/readyz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const handler = this.handlers.get(path);
    const conversion = path === CONVERSION_PATH && this.conversions.size > 0;
    if (!handler && !conversion) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no webhook at ${path}`);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('webhooks accept POST only');
      return;
    }
    if (conversion) {
      await this.handleConversion(req, res);
      return;
    }
    const reply = (status: number, response: AdmissionResponse) => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    };
    let review: { apiVersion?: string; kind?: string; request?: AdmissionRequest };
    try {
      review = (await this.readJson(req)) as typeof review;
      if (review?.kind !== 'AdmissionReview' || !review.request?.uid)
        throw new Error('body is not an AdmissionReview with a request.uid');
      if (review.apiVersion !== 'admission.k8s.io/v1')
        throw new Error(
          `unsupported AdmissionReview version ${review.apiVersion}: configure admissionReviewVersions: [v1]`,
        );
    } catch (e) {
      reply(400, { uid: '', allowed: false, status: { code: 400, message: (e as Error).message } });
      return;
    }
    const request = review.request;
    const log = this.log.child({
      webhook: path,
      uid: request.uid,
      operation: request.operation,
      namespace: request.namespace,
      name: request.name,
    });
    try {
      const out = await handler!(request);
      log.debug({ allowed: out.allowed }, 'admission handled');
      reply(200, { uid: request.uid, ...out });
    } catch (err) {
      log.error({ err }, 'admission handler failed');
      reply(200, { uid: request.uid, allowed: false, status: statusOfThrown(err) });
    }
  }

  private async readJson(req: IncomingMessage): Promise<unknown> {
    const max = this.opts.maxBodyBytes ?? 7 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) throw new Error(`request body larger than ${max} bytes`);
      chunks.push(chunk as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  /** A ConversionReview (apiextensions.k8s.io/v1) in, the same kind of review out. */
  private async handleConversion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, response: ConversionResponse) => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response }));
    };
    let review: { apiVersion?: string; kind?: string; request?: ConversionRequest };
    try {
      review = (await this.readJson(req)) as typeof review;
      if (review?.kind !== 'ConversionReview' || !review.request?.uid)
        throw new Error('body is not a ConversionReview with a request.uid');
      if (review.apiVersion !== 'apiextensions.k8s.io/v1')
        throw new Error(
          `unsupported ConversionReview version ${review.apiVersion}: configure conversionReviewVersions: [v1]`,
        );
    } catch (e) {
      reply(400, { uid: '', result: { status: 'Failure', message: (e as Error).message } });
      return;
    }
    const response = await this.convert(review.request);
    const log = this.log.child({ webhook: CONVERSION_PATH, uid: review.request.uid });
    if (response.result.status === 'Failure') log.warn({ message: response.result.message }, 'conversion failed');
    else log.debug({ objects: response.convertedObjects?.length }, 'conversion handled');
    reply(200, response);
  }
}
