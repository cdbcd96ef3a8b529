import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, methodNotAllowed, resourceNotFound } from '../errors.ts';
import type { ResourceType } from '../types.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, groupServed, VERSION_INFO } from './discovery.ts';
import type { HandlerDeps } from './handler-deps.ts';
import { resolveResource } from './resource-path.ts';
import { guardRequest } from './request-guard.ts';
import { handleResource } from './resource-handler.ts';
import { notFoundPage, writeJson, writeNegotiated, writeText } from './responses.ts';
import { negotiateOrUndefined } from './negotiation.ts';

/**
 * The HTTP front of local-apiserver: health, version, OpenAPI and discovery documents, and
 * resource paths (resource-path.ts → resource-handler.ts → verbs/); a StatusError becomes the
 * Status body with its code, anything else a 500 InternalError.
 */
export function createRequestHandler(deps: HandlerDeps) {
  const { engine, modules } = deps;
  const storageVersion = (rt: ResourceType) => engine.registry.storageVersion(rt);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const isGet = method === 'GET' || method === 'HEAD';

    if (
      path === '/healthz' ||
      path === '/livez' ||
      path === '/readyz' ||
      path.startsWith('/healthz/') ||
      path.startsWith('/livez/') ||
      path.startsWith('/readyz/')
    ) {
      return writeText(res, 200, 'ok');
    }
    if (path === '/version') return writeJson(res, 200, VERSION_INFO);
    if (path === '/openapi/v2') return notFoundPage(res);
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      if (!modules.openapi) return notFoundPage(res);
      const types = engine.registry.discoverable();
      const body =
        parts.length === 2
          ? modules.openapi.openApiIndex(types)
          : modules.openapi.openApiDocument(parts.slice(2).join('/'), types);
      if (body === undefined) return notFoundPage(res);
      // The real index handler writes JSON without a Content-Type (Go sniffs text/plain).
      return writeJson(res, 200, body, parts.length === 2 ? 'text/plain; charset=utf-8' : 'application/json');
    }
    if (parts[0] === 'api') {
      if (parts.length === 1)
        return isGet ? writeJson(res, 200, apiVersions(deps.serverAddress())) : Promise.reject(methodNotAllowed());
      if (parts[1] !== 'v1') throw resourceNotFound();
      if (parts.length === 2) {
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, apiResourceList(engine.registry.discoverable(), '', 'v1', storageVersion));
      }
      const rr = resolveResource(engine, '', 'v1', parts.slice(2));
      if (!rr) throw resourceNotFound();
      return handleResource(deps, req, res, rr, url.searchParams);
    }
    if (parts[0] === 'apis') {
      const types = engine.registry.discoverable();
      // The group list answers whatever the method (kube-aggregator's handler does not look).
      if (parts.length === 1) return writeJson(res, 200, apiGroupList(types));
      // A group nobody serves is outside every API: plain-text 404 (as after its CRD is deleted).
      if (!groupServed(types, parts[1])) return notFoundPage(res);
      if (parts.length === 2) {
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, apiGroupDoc(types, parts[1]));
      }
      if (parts.length === 3) {
        const doc = apiResourceList(types, parts[1], parts[2], storageVersion);
        if (!doc) throw resourceNotFound();
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, doc);
      }
      const rr = resolveResource(engine, parts[1], parts[2], parts.slice(3));
      if (!rr) throw resourceNotFound();
      return handleResource(deps, req, res, rr, url.searchParams);
    }
    if (path === '/') {
      return writeJson(res, 200, {
        paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'],
      });
    }
    return notFoundPage(res);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    try {
      if (!guardRequest(req, res, deps.guard)) return;
      await route(req, res);
    } catch (e) {
      if (e instanceof StatusError) {
        if (!res.headersSent) {
          // ErrorNegotiated: a Status in the type the client accepts (no conversion), else JSON.
          const choice = negotiateOrUndefined(req.headers.accept, { tableAllowed: false, noConvert: true });
          writeNegotiated(res, e.statusCode, e.status, choice?.mediaType ?? 'application/json', e.warnings);
        } else res.end();
      } else {
        deps.logger?.({
          level: 'error',
          msg: 'request failed',
          method: req.method,
          url: req.url,
          err: String((e as Error)?.stack ?? e),
        });
        const se = new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${(e as Error)?.message ?? String(e)}`,
          {
            causes: [{ message: (e as Error)?.message ?? String(e) }],
          },
        );
        if (!res.headersSent) writeJson(res, 500, se.status);
        else res.end();
      }
    } finally {
      deps.logger?.({
        level: 'debug',
        msg: 'request',
        method: req.method,
        url: req.url,
        status: res.statusCode,
        ms: Date.now() - started,
      });
    }
  };
}
