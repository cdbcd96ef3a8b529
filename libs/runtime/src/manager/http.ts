import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class BindAddressError extends Error {
  readonly code = 'BadBindAddress';
  constructor(address: string) {
    super(`bind address "${address}" is not host:port, :port or "0" (disabled)`);
    this.name = 'BindAddressError';
  }
}

/**
 * controller-runtime's bind-address syntax: `:8080` (all interfaces), `127.0.0.1:8080`,
 * `[::1]:8080`, `:0` (a free port) — and `0` alone disables the server.
 */
export function parseBindAddress(address: string): { host?: string; port: number } | undefined {
  if (address === '0' || address === '') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (!m) throw new BindAddressError(address);
  const port = Number(m[3]);
  if (port > 65535) throw new BindAddressError(address);
  const host = m[1] ?? m[2];
  return { host: host ? host : undefined, port };
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A small plain-HTTP server for metrics and probes; resolves with its URL once listening. */
export async function serve(
  address: { host?: string; port: number },
  routes: Record<string, Route>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route =
      routes[path] ?? Object.entries(routes).find(([p]) => p.endsWith('/*') && path.startsWith(p.slice(0, -1)))?.[1];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    Promise.resolve(route(req, res)).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${err.message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host =
    !address.host || address.host === '0.0.0.0' || address.host === '::'
      ? '127.0.0.1'
      : address.host.includes(':')
        ? `[${address.host}]`
        : address.host;
  return { server, url: `http://${host}:${port}` };
}

export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export type Check = () => string | undefined | Promise<string | undefined>;

/**
 * The Kubernetes health endpoint format: `ok` when every check passes; otherwise 500 with one
 * `[+]name ok` / `[-]name: reason` line per check, so a failing probe says which check
 * failed (`kubectl describe pod` shows it). `?verbose` lists the checks when healthy too.
 */
export function healthRoute(name: string, checks: () => Map<string, Check>): Route {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const only = url.pathname.startsWith(`/${name}/`) ? url.pathname.slice(name.length + 2) : undefined;
    const all = checks();
    if (only !== undefined && !all.has(only)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no ${name} check named ${only}\n`);
      return;
    }
    const lines: string[] = [];
    let failed = false;
    for (const [checkName, check] of all) {
      if (only !== undefined && checkName !== only) continue;
      let reason: string | undefined;
      try {
        reason = await check();
      } catch (err) {
        reason = (err as Error).message;
      }
      if (reason === undefined) lines.push(`[+]${checkName} ok`);
      else {
        failed = true;
        lines.push(`[-]${checkName}: ${reason}`);
      }
    }
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('x-content-type-options', 'nosniff');
    if (failed) {
      res.writeHead(500).end(`${lines.join('\n')}\n${name} check failed\n`);
    } else if (url.searchParams.has('verbose')) {
      res.writeHead(200).end(`${lines.join('\n')}\n${name} check passed\n`);
    } else {
      res.writeHead(200).end('ok');
    }
  };
}
