import { startApiServer, type LocalApiServer } from '../src/index.ts';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A started server plus a tiny raw-HTTP client for rule tests. */
export class TestServer {
  constructor(readonly server: LocalApiServer) {}

  static async start(opts: Parameters<typeof startApiServer>[0] = {}): Promise<TestServer> {
    return new TestServer(await startApiServer({ simulateDeployments: false, ...opts }));
  }

  async req(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const r = await fetch(this.server.url + path, {
      method,
      headers: {
        ...(this.server.token ? { authorization: `Bearer ${this.server.token}` } : {}),
        ...(body !== undefined ? { 'content-type': contentType } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: r.status, headers: r.headers, body: parsed, text };
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

  /** Opens a watch and collects parsed lines until `until` returns true or the timeout passes. */
  /** Streams a watch until `until(events)` or the timeout; `onEvent` sees each event as it arrives. */
  async watch(
    path: string,
    until: (events: any[]) => boolean,
    timeoutMs = 3000,
    onEvent?: (event: any) => void,
  ): Promise<{ events: any[]; status: number; contentType: string | null }> {
    const ac = new AbortController();
    const r = await fetch(this.server.url + path, {
      signal: ac.signal,
      headers: this.server.token ? { authorization: `Bearer ${this.server.token}` } : {},
    });
    const events: any[] = [];
    const reader = r.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const deadline = Date.now() + timeoutMs;
    try {
      while (!until(events) && Date.now() < deadline) {
        const chunk = await Promise.race([
          reader.read().catch(() => ({ done: true as const, value: undefined })),
          new Promise<{ done: true; value: undefined }>((res) =>
            setTimeout(() => res({ done: true, value: undefined }), Math.max(1, deadline - Date.now())),
          ),
        ]);
        if (chunk.done) break;
        if (!chunk.value) break;
        buf += dec.decode(chunk.value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const event = JSON.parse(buf.slice(0, i));
          events.push(event);
          onEvent?.(event);
          buf = buf.slice(i + 1);
        }
      }
    } finally {
      ac.abort();
    }
    return { events, status: r.status, contentType: r.headers.get('content-type') };
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

  stop(): Promise<void> {
    return this.server.stop();
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
