import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { parse as parseYaml } from 'yaml';
import { startApiServer, type LocalApiServer } from '../src/index.ts';

/** JSON a test walks into (a parsed reply, a watch event's object, a manifest it edits): expect() checks each field it reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the shape is what the test asserts
export type AnyJson = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: AnyJson;
  text: string;
}

export interface WatchEvent {
  type: string;
  object: AnyJson;
}

/** A condition of an object's status, as the tests compare them. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send no bearer token (default: the server's token unless `headers.authorization` is given). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/**
 * The one way tests talk to a local-apiserver directly: HTTPS verified against the server's CA
 * (as the kubeconfig says), its bearer token unless told otherwise, headers exactly as given.
 */
export class ApiClient {
  private readonly agent: Agent;
  constructor(
    readonly url: string,
    readonly caPem: string,
    readonly token?: string,
  ) {
    this.agent = new Agent({ ca: caPem, keepAlive: true });
  }

  /** From a kubeconfig written by writeKubeconfig (server, certificate-authority-data, token). */
  static fromKubeconfig(text: string): ApiClient {
    const kc = parseYaml(text) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token?: string } }[];
    };
    const cluster = kc.clusters[0]!.cluster;
    return new ApiClient(
      cluster.server,
      Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
      kc.users[0]?.user.token,
    );
  }

  /** Starts a request; resolves with the response head, the body still streaming. */
  open(r: RawRequest): Promise<IncomingMessage> {
    const u = new URL(r.path, this.url);
    const headers: Record<string, string> = {
      ...(this.token && !r.anonymous ? { authorization: `Bearer ${this.token}` } : {}),
      ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}),
      ...r.headers,
    };
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        u,
        {
          method: r.method ?? 'GET',
          headers,
          agent: this.agent,
          setHost: !Object.keys(headers).some((h) => h.toLowerCase() === 'host'),
          // The certificate is checked against the address dialled, whatever Host header a test sends.
          checkServerIdentity: (_host, cert) => checkServerIdentity(u.hostname.replace(/^\[|\]$/g, ''), cert),
          ...(r.signal ? { signal: r.signal } : {}),
        },
        resolve,
      );
      req.on('error', reject);
      req.end(r.body);
    });
  }

  async request(r: RawRequest): Promise<Reply> {
    const res = await this.open(r);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
    }
    return { status: res.statusCode ?? 0, headers, body: parsed, text };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A started server plus a tiny raw-HTTPS client for rule tests. */
export class TestServer {
  readonly client: ApiClient;
  constructor(readonly server: LocalApiServer) {
    this.client = new ApiClient(server.url, server.caPem, server.token);
  }

  static async start(opts: Parameters<typeof startApiServer>[0] = {}): Promise<TestServer> {
    return new TestServer(await startApiServer({ simulateDeployments: false, ...opts }));
  }

  req(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    return this.client.request({
      method,
      path,
      headers: { ...(body !== undefined ? { 'content-type': contentType } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  }

  get = (p: string, h?: Record<string, string>) => this.req('GET', p, undefined, undefined, h);
  post = (p: string, b: unknown) => this.req('POST', p, b);
  put = (p: string, b: unknown) => this.req('PUT', p, b);
  del = (p: string, b?: unknown) => this.req('DELETE', p, b);
  patch = (p: string, b: unknown, type: 'merge' | 'json' | 'strategic' = 'merge') =>
    this.req(
      'PATCH',
      p,
      b,
      type === 'merge'
        ? 'application/merge-patch+json'
        : type === 'json'
          ? 'application/json-patch+json'
          : 'application/strategic-merge-patch+json',
    );

  /** Streams a watch until `until(events)` or the timeout; `onEvent` sees each event as it arrives. */
  async watch(
    path: string,
    until: (events: WatchEvent[]) => boolean,
    timeoutMs = 3000,
    onEvent?: (event: WatchEvent) => void,
  ): Promise<{ events: WatchEvent[]; status: number; contentType: string | null; ended: boolean }> {
    const ac = new AbortController();
    const res = await this.client.open({ path, signal: ac.signal });
    const events: WatchEvent[] = [];
    let buf = '';
    let ended = false;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      if (until(events)) return finish();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const event = JSON.parse(buf.slice(0, i)) as WatchEvent;
          events.push(event);
          onEvent?.(event);
          buf = buf.slice(i + 1);
        }
        if (until(events)) finish();
      });
      res.on('end', () => {
        ended = true;
        finish();
      });
      res.on('error', finish);
    });
    await done;
    ac.abort();
    res.destroy();
    const ct = res.headers['content-type'];
    return { events, status: res.statusCode ?? 0, contentType: ct ?? null, ended };
  }

  /** Bounded polling until fn stops throwing. */
  async eventually<T>(fn: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.server.stop();
  }
}

export const CM = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { a: '1' },
  ...extra,
});

export function widgetCrd(
  opts: { status?: boolean; scope?: 'Namespaced' | 'Cluster'; group?: string; scale?: boolean } = {},
) {
  const group = opts.group ?? 'example.com';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: opts.scope ?? 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(opts.status !== false || opts.scale
            ? {
                subresources: {
                  ...(opts.status !== false ? { status: {} } : {}),
                  ...(opts.scale
                    ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } }
                    : {}),
                },
              }
            : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { replicas: { type: 'integer', maximum: 5 }, color: { type: 'string' } },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' }, ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
}

export async function installWidgets(t: TestServer, opts: Parameters<typeof widgetCrd>[0] = {}): Promise<void> {
  const r = await t.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd(opts));
  if (r.status !== 201) throw new Error(`CRD create failed: ${r.text}`);
  const group = opts.group ?? 'example.com';
  await t.eventually(async () => {
    const d = await t.get(`/apis/${group}/v1`);
    if (d.status !== 200) throw new Error('not yet discoverable');
  });
}

export const W = (
  name: string,
  spec: Record<string, unknown> = { replicas: 1 },
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
  ...extra,
});
