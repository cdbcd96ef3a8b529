import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * A raw HTTP client for one kubeconfig context. The conformance suite must see exactly what the
 * server answers (status, headers, bytes, one watch line at a time), so it speaks HTTP itself
 * instead of going through a typed client; it still authenticates as the kubeconfig says (bearer
 * token, client certificate, basic auth), so the same code talks to kube-apiserver and to
 * local-apiserver whatever authentication either requires.
 */
export interface KubeTarget {
  server: URL;
  ca?: string | Buffer;
  insecure: boolean;
  token?: string;
  cert?: string | Buffer;
  key?: string | Buffer;
  basicAuth?: string;
}

/** The parts of a kubeconfig (clientcmd's v1 Config) this client reads; values are checked as they are read. */
interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string; user?: string } }[];
  clusters?: { name?: string; cluster?: KubeconfigCluster }[];
  users?: { name?: string; user?: KubeconfigUser }[];
}
interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: unknown;
  'certificate-authority-data'?: unknown;
  'insecure-skip-tls-verify'?: boolean;
}
interface KubeconfigUser {
  token?: unknown;
  tokenFile?: unknown;
  'client-certificate'?: unknown;
  'client-certificate-data'?: unknown;
  'client-key'?: unknown;
  'client-key-data'?: unknown;
  username?: string;
  password?: string;
}

function fileOrData(base: string, data: unknown, file: unknown): Buffer | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readFileSync(resolve(base, file));
  return undefined;
}

/** Reads a kubeconfig file (its current context unless `context` is given). */
export function loadKubeconfig(path: string, context?: string): KubeTarget {
  const cfg = parseYaml(readFileSync(path, 'utf8')) as Kubeconfig;
  const base = dirname(resolve(path));
  const ctxName = context ?? cfg['current-context'];
  const ctx = (cfg.contexts ?? []).find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: no context ${JSON.stringify(ctxName)}`);
  const cluster = (cfg.clusters ?? []).find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: cluster ${JSON.stringify(ctx.cluster)} has no server`);
  const user: KubeconfigUser = (cfg.users ?? []).find((u) => u.name === ctx.user)?.user ?? {};
  const token =
    typeof user.token === 'string'
      ? user.token
      : typeof user.tokenFile === 'string'
        ? readFileSync(resolve(base, user.tokenFile), 'utf8').trim()
        : undefined;
  const ca = fileOrData(base, cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = fileOrData(base, user['client-certificate-data'], user['client-certificate']);
  const key = fileOrData(base, user['client-key-data'], user['client-key']);
  return {
    server: new URL(cluster.server),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    ...(ca ? { ca } : {}),
    ...(token ? { token } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(user.username !== undefined
      ? { basicAuth: Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64') }
      : {}),
  };
}

export interface RawRequest {
  method: string;
  /** Path with its query string. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  /** Header name (lower case) → every value, in arrival order (Warning may repeat). */
  headers: Record<string, string[]>;
  body: Buffer;
}

/** An open streaming response (a watch): lines arrive in `lines` until `ended`. */
export interface OpenStream {
  status: number;
  headers: Record<string, string[]>;
  /** Complete lines received so far (without the newline). */
  lines: string[];
  /** True once the server ended the response (or the connection closed). */
  ended: boolean;
  /** Resolves once `pred` holds or the stream ends (true), or when `timeoutMs` passed first (false). */
  waitFor(pred: () => boolean, timeoutMs: number): Promise<boolean>;
  close(): void;
}

function headersOf(res: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const k = res.rawHeaders[i]!.toLowerCase();
    (out[k] ??= []).push(res.rawHeaders[i + 1]!);
  }
  return out;
}

export class KubeClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly https: boolean;

  constructor(readonly target: KubeTarget) {
    this.https = target.server.protocol === 'https:';
    this.agent = this.https
      ? new HttpsAgent({
          keepAlive: true,
          ...(target.ca ? { ca: target.ca } : {}),
          ...(target.cert ? { cert: target.cert } : {}),
          ...(target.key ? { key: target.key } : {}),
          rejectUnauthorized: !target.insecure,
        })
      : new HttpAgent({ keepAlive: true });
  }

  static fromKubeconfig(path: string, context?: string): KubeClient {
    return new KubeClient(loadKubeconfig(path, context));
  }

  /** host:port of the server, as discovery documents quote it. */
  get serverAddress(): string {
    const u = this.target.server;
    return `${u.hostname}:${u.port || (this.https ? '443' : '80')}`;
  }

  private open(req: RawRequest, onResponse: (res: IncomingMessage) => void, onError: (e: Error) => void) {
    const url = new URL(req.path, this.target.server);
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    else if (this.target.basicAuth) headers.Authorization = `Basic ${this.target.basicAuth}`;
    if (req.body) headers['Content-Length'] = String(req.body.length);
    const send = this.https ? httpsRequest : httpRequest;
    const r = send(url, { method: req.method, headers, agent: this.agent }, onResponse);
    r.on('error', onError);
    if (req.body) r.write(req.body);
    r.end();
    return r;
  }

  /** One request, read to the end (bounded by `timeoutMs`). */
  request(req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
    return new Promise((resolvePromise, reject) => {
      const r = this.open(
        req,
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolvePromise({ status: res.statusCode ?? 0, headers: headersOf(res), body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
      const timer = setTimeout(() => {
        r.destroy(new Error(`${req.method} ${req.path}: no complete answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** Opens a streaming request (a watch) and returns once the response headers arrived. */
  stream(req: RawRequest, timeoutMs = 30_000): Promise<OpenStream> {
    return new Promise((resolvePromise, reject) => {
      const waiters = new Set<() => void>();
      const wake = () => {
        for (const w of [...waiters]) w();
      };
      const r = this.open(
        req,
        (res) => {
          clearTimeout(timer);
          let buf = '';
          const s: OpenStream = {
            status: res.statusCode ?? 0,
            headers: headersOf(res),
            lines: [],
            ended: false,
            waitFor(pred, ms) {
              return new Promise((done) => {
                const check = () => {
                  if (pred() || s.ended) {
                    clearTimeout(t);
                    waiters.delete(check);
                    done(true);
                  }
                };
                const t = setTimeout(() => {
                  waiters.delete(check);
                  done(pred() || s.ended);
                }, ms);
                waiters.add(check);
                check();
              });
            },
            close() {
              r.destroy();
              res.destroy();
            },
          };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              s.lines.push(buf.slice(0, i));
              buf = buf.slice(i + 1);
            }
            wake();
          });
          const finish = () => {
            if (s.ended) return;
            if (buf.trim()) s.lines.push(buf);
            buf = '';
            s.ended = true;
            wake();
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
          resolvePromise(s);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
      const timer = setTimeout(() => {
        r.destroy(new Error(`${req.method} ${req.path}: no response headers within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
