import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Route = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

/**
 * A scripted HTTP server for unit tests of the client and informer: each test says what the
 * "API server" answers, including answers a real one gives rarely (503, 429, silence, cut
 * streams). Behaviour against a real API server is covered by the integration tests.
 */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<import('node:net').Socket>();
  route: Route = (_req, res) => {
    res.statusCode = 404;
    res.end();
  };

  async start(): Promise<this> {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  kubeConfig(namespace?: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url }],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'u', ...(namespace ? { namespace } : {}) }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Cuts every open connection (in-flight watches included). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method!,
        url: new URL(req.url!, this.url),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      this.requests.push(recorded);
      Promise.resolve(this.route(recorded, res)).catch((err: Error) => {
        res.statusCode = 599;
        res.end(err.message);
      });
    });
  }
}

export function json(
  res: http.ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Bounded polling for unit tests that must not load envtest: retries `fn` until it stops throwing. */
export async function until<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
