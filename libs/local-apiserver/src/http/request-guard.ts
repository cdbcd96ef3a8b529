import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../errors.ts';
import { writeJson } from './responses.ts';

/**
 * Open without credentials, as on kube-apiserver with anonymous auth limited to health checks
 * (AnonymousAuthConfigurableEndpoints); `/version` is public-info there too. Sub-paths such as
 * `/healthz/ping` are not open (the real server forbids them to anonymous users).
 */
const OPEN_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

/** kube-apiserver's answer to a missing or wrong token, byte for byte. */
export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export interface GuardOptions {
  /** Every request but OPEN_PATHS must carry it as a bearer token. */
  token: string;
  /** The listener's port: a Host header must name it (or none, for port 80 clients). */
  port: () => number;
  /** The name the server was told to listen on (`--host`), allowed besides the loopback names. */
  host: string;
}

/** Loopback names of this machine: what a browser resolves only for itself, never for a web page's server. */
function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * The checks every request passes before routing, in kube-apiserver's order where it has them:
 * 1. Host: refused unless it names this listener by a loopback name (or `host`) — a page that
 *    rebinds its own DNS name to 127.0.0.1 reaches the port, but its requests carry its name;
 * 2. a malformed %-escape in the path: 400 as Go's net/http answers it (plain text, closed);
 * 3. a bearer token equal to the server's, except on OPEN_PATHS: else 401 Unauthorized.
 * Returns false when it has answered the request.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, opts: GuardOptions): boolean {
  const host = req.headers.host ?? '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  const name = m?.[1]?.toLowerCase() ?? '';
  const port = m?.[2];
  const nameOk = isLoopbackName(name) || (opts.host !== '' && name === opts.host.toLowerCase());
  if (!m || !nameOk || (port !== undefined && Number(port) !== opts.port())) {
    const e = new StatusError(
      403,
      'Forbidden',
      `host ${JSON.stringify(host)} is not this server: local-apiserver answers only requests addressed to 127.0.0.1:${opts.port()} or localhost:${opts.port()} (a page on another site must not reach it through DNS rebinding)`,
    );
    writeJson(res, 403, e.status);
    return false;
  }
  const rawPath = (req.url ?? '/').split('?')[0]!;
  try {
    decodeURIComponent(rawPath);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end('400 Bad Request');
    return false;
  }
  const path = rawPath.replace(/\/+$/, '') || '/';
  if (OPEN_PATHS.has(path)) return true;
  if (!hasToken(req.headers.authorization, opts.token)) {
    writeJson(res, 401, unauthorized().status);
    return false;
  }
  return true;
}

/** The server's token as bytes, made once per token rather than once per request. */
let expectedBytes: { token: string; bytes: Buffer } | undefined;

function hasToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  if (expectedBytes?.token !== token) expectedBytes = { token, bytes: Buffer.from(token) };
  const expected = expectedBytes.bytes;
  return given.length === expected.length && timingSafeEqual(given, expected);
}
