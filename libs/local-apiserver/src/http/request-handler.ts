import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject, OpenApiModule, ResourceType, TableModule } from '../types.ts';
import { StatusError, badRequest, methodNotAllowed, notAcceptable, notFound, unsupportedMediaType } from '../errors.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import type { DeleteOptions, FieldValidation, ListQuery, WatchEvent, WriteOptions } from '../engine/request-options.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery.ts';
import { PROTOBUF_MEDIA_TYPE, ProtobufDecodeError, decodeProtobufObject, decodesProtobuf } from '../protobuf/decode.ts';
import { clone } from '../store/object-store.ts';

type Obj = Record<string, unknown>;

const MAX_BODY = 3 * 1024 * 1024;
const BODY_TYPES = ['application/json', 'application/yaml'];
const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const NAMESPACE_SUBRESOURCES = ['status', 'finalize'];

export interface HandlerModules {
  openapi?: OpenApiModule;
  table?: TableModule;
}

export interface HandlerDeps {
  engine: ApiEngine;
  modules: HandlerModules;
  serverAddress: () => string;
  logger?: (line: object) => void;
  /** Live watch stoppers, so stop() can cut every stream. */
  watches: Set<() => void>;
}

interface AcceptChoice {
  table: boolean;
  /** JSON is acceptable as a fallback when no Table can be produced. */
  jsonFallback: boolean;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/** NEG-1, NEG-2, NEG-4: pick JSON or a Table transform; never protobuf. */
function negotiate(accept: string | undefined, tableAllowed: boolean): AcceptChoice {
  let table = false;
  for (const r of parseAccept(accept)) {
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    if (!jsonish) continue;
    if (r.params.as) {
      if (
        r.params.as === 'Table' &&
        r.params.g === 'meta.k8s.io' &&
        (r.params.v === 'v1' || r.params.v === 'v1beta1') &&
        tableAllowed
      ) {
        table = true;
      }
      continue;
    }
    return { table, jsonFallback: true };
  }
  if (table) return { table, jsonFallback: false };
  throw notAcceptable(RESPONSE_TYPES);
}

function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  const l = v.toLowerCase();
  return !(l === '0' || l === 'false');
}

function parseIntParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw badRequest(`invalid value for ${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function listQuery(q: URLSearchParams): ListQuery {
  const out: ListQuery = {};
  const s = (k: string) => q.get(k) ?? undefined;
  if (s('labelSelector') !== undefined) out.labelSelector = s('labelSelector');
  if (s('fieldSelector') !== undefined) out.fieldSelector = s('fieldSelector');
  const limit = parseIntParam(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  if (s('continue')) out.continue = s('continue');
  if (q.has('resourceVersion')) out.resourceVersion = q.get('resourceVersion')!;
  if (q.has('resourceVersionMatch')) out.resourceVersionMatch = q.get('resourceVersionMatch')!;
  const sie = parseBool(q.get('sendInitialEvents'));
  if (sie !== undefined) out.sendInitialEvents = sie;
  const awb = parseBool(q.get('allowWatchBookmarks'));
  if (awb !== undefined) out.allowWatchBookmarks = awb;
  const ts = parseIntParam(q, 'timeoutSeconds');
  if (ts !== undefined) out.timeoutSeconds = ts;
  const w = parseBool(q.get('watch'));
  if (w !== undefined) out.watch = w;
  return out;
}

function writeOptions(q: URLSearchParams, warnings: string[]): WriteOptions {
  const dry = q.getAll('dryRun');
  for (const d of dry) {
    if (d !== 'All') {
      throw new StatusError(
        422,
        'Invalid',
        `dryRun: Unsupported value: ${JSON.stringify(d)}: supported values: "All"`,
        {
          causes: [
            {
              reason: 'FieldValueNotSupported',
              message: `Unsupported value: ${JSON.stringify(d)}: supported values: "All"`,
              field: 'dryRun',
            },
          ],
        },
      );
    }
  }
  const fv = q.get('fieldValidation');
  if (fv !== null && fv !== '' && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", "Strict", got ${JSON.stringify(fv)}`);
  }
  const fm = q.get('fieldManager') ?? undefined;
  return {
    dryRun: dry.length > 0,
    fieldValidation: (fv || 'Warn') as FieldValidation,
    ...(fm ? { fieldManager: fm } : {}),
    warnings,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The first bytes of a body as the real handler quotes them in decode errors (summarizeData). */
function summarize(buf: Buffer, max = 30): string {
  if (buf.length === 0) return '<empty>';
  if (buf[0] === 0x7b) return buf.length > max ? `${buf.subarray(0, max).toString('utf8')} ...` : buf.toString('utf8');
  return buf.length > max ? `${buf.subarray(0, max).toString('hex')} ...` : buf.toString('hex');
}

/** A protobuf body (kubectl's imperative `create` generators); errors worded as transformDecodeError's. */
function decodeProtobufBody(buf: Buffer, rt: ResourceType): unknown {
  try {
    return decodeProtobufObject(buf, rt);
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    if (e.typeKnown) {
      const version = e.typeKnown.apiVersion.split('/').pop();
      throw badRequest(`${e.typeKnown.kind} in version "${version}" cannot be handled as a ${rt.kind}: ${e.message}`);
    }
    throw badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind}): ${e.message} (${summarize(buf)})`,
    );
  }
}

function decodeBody(buf: Buffer, type: string, rt: ResourceType | undefined): unknown {
  const text = buf.toString('utf8');
  const kind = rt?.kind ?? 'Object';
  const version = rt?.version ?? 'v1';
  try {
    if (type === 'application/yaml') return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${(e as Error).message}`);
  }
}

/** JSON of watch event objects, kept while the object lives (one serialization per event, not per watcher). */
const watchJson = new WeakMap<object, string>();

function watchObjectJson(o: KubeObject): string {
  let j = watchJson.get(o);
  if (j === undefined) watchJson.set(o, (j = JSON.stringify(o)));
  return j;
}

function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(data)),
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  const retry = (body as { details?: { retryAfterSeconds?: number } } | undefined)?.details?.retryAfterSeconds;
  if (code >= 400 && retry && retry > 0) headers['Retry-After'] = String(retry);
  res.writeHead(code, headers);
  res.end(data);
}

function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function notFoundPage(res: ServerResponse): void {
  writeText(res, 404, '404 page not found\n');
}

interface ResourceRequest {
  rt: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  watchPrefix: boolean;
}

/**
 * Resolves `/api/v1/...` and `/apis/{g}/{v}/...` to a resource request (URL-1, URL-4, URL-6),
 * or undefined when the path is unknown (→ plain-text 404 as the real not-found handler).
 */
function resolveResource(
  engine: ApiEngine,
  group: string,
  version: string,
  parts: string[],
): ResourceRequest | undefined {
  let watchPrefix = false;
  let p = parts;
  if (p[0] === 'watch') {
    watchPrefix = true;
    p = p.slice(1);
  }
  let namespace = '';
  if (p[0] === 'namespaces' && p.length > 1) {
    namespace = p[1];
    if (p.length > 2 && !NAMESPACE_SUBRESOURCES.includes(p[2])) p = p.slice(2);
  }
  const [resource, name = '', subresource = '', ...extra] = p;
  if (!resource || extra.length) return undefined;
  const rt = engine.registry.find(group, version, resource);
  if (!rt) return undefined;
  if (rt.storageKey === '/namespaces') {
    // /api/v1/namespaces/{n}[/status|/finalize]: the namespace is the object, not a scope.
    return { rt, namespace: '', name: p[0] === 'namespaces' ? name : '', subresource, watchPrefix };
  }
  if (!rt.namespaced && namespace) return undefined;
  return { rt, namespace, name, subresource, watchPrefix };
}

export function createRequestHandler(deps: HandlerDeps) {
  const { engine, modules } = deps;

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    rr: ResourceRequest,
    q: URLSearchParams,
  ): Promise<void> {
    const { rt, namespace, name, subresource } = rr;
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const warnings: string[] = [];
    const lq = listQuery(q);
    const isWatch = rr.watchPrefix || (!name && method === 'GET' && lq.watch === true);
    // Namespaced resources need a namespace for everything except list/watch (URL-1, URL-6).
    if (rt.namespaced && !namespace && (name || method !== 'GET')) {
      notFoundPage(res);
      return;
    }
    if (rr.watchPrefix && (method !== 'GET' || subresource)) {
      notFoundPage(res);
      return;
    }
    if (subresource) {
      const known =
        (subresource === 'status' && rt.subresources.status) ||
        (subresource === 'scale' && !!rt.subresources.scale) ||
        (subresource === 'finalize' && !!rt.subresources.finalize);
      if (!known) {
        if (rt.origin === 'custom') throw notFound(rt, name);
        notFoundPage(res);
        return;
      }
    }
    const includeObject = q.get('includeObject') ?? 'Metadata';
    if (!['None', 'Metadata', 'Object'].includes(includeObject))
      throw badRequest(`unrecognized includeObject value: ${JSON.stringify(includeObject)}`);

    if (isWatch) {
      if (rr.watchPrefix && name) {
        const fs = lq.fieldSelector ? `${lq.fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
        if (lq.fieldSelector && /(^|,)metadata\.name==?([^,]*)/.test(lq.fieldSelector)) {
          const m = /(^|,)metadata\.name==?([^,]*)/.exec(lq.fieldSelector)!;
          if (m[2] !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
        }
        lq.fieldSelector = fs;
      }
      const choice = negotiate(req.headers.accept, !!modules.table);
      return startWatch(req, res, rt, namespace, lq, choice, includeObject as 'None' | 'Metadata' | 'Object');
    }

    switch (method) {
      case 'GET': {
        const choice = negotiate(req.headers.accept, !!modules.table && subresource !== 'scale');
        let body: KubeObject;
        if (!name) body = engine.list(rt, namespace, lq);
        else if (subresource === 'scale') body = engine.getScale(rt, namespace, name);
        else body = engine.get(rt, namespace, name);
        if (choice.table && modules.table) {
          const items = name
            ? [body]
            : (body.items as KubeObject[]).map((i) => ({ apiVersion: body.apiVersion, kind: rt.kind, ...i }));
          const meta = name ? { resourceVersion: body.metadata?.resourceVersion } : (body.metadata as Obj);
          const table = modules.table.toTable(rt, items, {
            includeObject: includeObject as 'None' | 'Metadata' | 'Object',
            listMeta: meta as never,
          });
          if (table !== undefined) return writeJson(res, 200, table, 'application/json;g=meta.k8s.io;v=v1;as=Table');
          if (!choice.jsonFallback) throw notAcceptable(RESPONSE_TYPES);
        }
        return writeJson(res, 200, body);
      }
      case 'POST': {
        if (name) throw methodNotAllowed();
        const body = await readTypedBody(req, rt);
        const opts = writeOptions(q, warnings);
        const created = await engine.create(rt, namespace, body, opts);
        return writeJson(res, 201, created, 'application/json', warnings);
      }
      case 'PUT': {
        if (!name) throw methodNotAllowed();
        const body = await readTypedBody(req, rt, subresource === 'scale');
        const opts = writeOptions(q, warnings);
        if (subresource === 'scale')
          return writeJson(
            res,
            200,
            await engine.updateScale(rt, namespace, name, body, opts),
            'application/json',
            warnings,
          );
        if (subresource === 'finalize') {
          const cur = engine.get(rt, '', name);
          const next = {
            ...cur,
            spec: {
              ...((cur.spec as Obj) ?? {}),
              finalizers: ((body as Obj).spec as Obj | undefined)?.finalizers ?? [],
            },
          } as KubeObject;
          next.metadata = {
            ...cur.metadata,
            resourceVersion: (body as KubeObject).metadata?.resourceVersion ?? cur.metadata!.resourceVersion,
          };
          const out = await finalizeNamespace(next, opts);
          return writeJson(res, 200, out, 'application/json', warnings);
        }
        const updated = await engine.update(rt, namespace, name, body, subresource as '' | 'status', opts);
        return writeJson(res, 200, updated, 'application/json', warnings);
      }
      case 'PATCH': {
        if (!name) throw methodNotAllowed();
        if (subresource === 'finalize') throw methodNotAllowed();
        const type = mediaType(req);
        const types = engine.supportedPatchTypes(rt);
        if (!types.includes(type)) throw unsupportedMediaType(types);
        const buf = await readBody(req);
        let patch: unknown;
        try {
          patch =
            type === 'application/apply-patch+yaml'
              ? parseYaml(buf.toString('utf8'))
              : JSON.parse(buf.toString('utf8'));
        } catch (e) {
          throw badRequest(`error decoding patch: ${(e as Error).message}`);
        }
        const opts = writeOptions(q, warnings);
        if (q.has('force') && type !== 'application/apply-patch+yaml') {
          throw new StatusError(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
            {
              group: 'meta.k8s.io',
              kind: 'PatchOptions',
              causes: [
                {
                  reason: 'FieldValueForbidden',
                  message: 'Forbidden: may not be specified for non-apply patch',
                  field: 'force',
                },
              ],
            },
          );
        }
        if (subresource === 'scale')
          return writeJson(
            res,
            200,
            await engine.patchScale(rt, namespace, name, type, patch, opts),
            'application/json',
            warnings,
          );
        const out = await engine.patch(rt, namespace, name, type, patch, subresource as '' | 'status', opts);
        return writeJson(res, 200, out, 'application/json', warnings);
      }
      case 'DELETE': {
        if (subresource) throw methodNotAllowed();
        const buf = await readBody(req);
        const options = deleteOptions(buf, q);
        const opts = writeOptions(q, warnings);
        if (options.dryRun?.includes('All')) opts.dryRun = true;
        if (!name) {
          if (!rt.verbs.includes('deletecollection')) throw methodNotAllowed();
          return writeJson(
            res,
            200,
            await engine.deleteCollection(rt, namespace, lq, options, opts),
            'application/json',
            warnings,
          );
        }
        const r = await engine.delete(rt, namespace, name, options, opts);
        return writeJson(res, r.code, r.body, 'application/json', warnings);
      }
      default:
        throw methodNotAllowed();
    }
  }

  /** FIN-1: only spec.finalizers changes; an empty list on a Terminating namespace deletes it. */
  async function finalizeNamespace(next: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const rt = engine.registry.find('', 'v1', 'namespaces')!;
    const stored = engine.getStored(rt, '', next.metadata!.name!);
    if (next.metadata!.resourceVersion !== stored.metadata!.resourceVersion)
      throw (await import('../errors.ts')).conflict(rt, next.metadata!.name!);
    const updated = clone(stored) as KubeObject;
    updated.spec = { ...((stored.spec as Obj) ?? {}), finalizers: (next.spec as Obj).finalizers };
    const fins = ((updated.spec as Obj).finalizers as string[] | undefined) ?? [];
    if (fins.length === 0) delete (updated.spec as Obj).finalizers;
    if (opts.dryRun) return engine.present(rt, updated);
    if (stored.metadata?.deletionTimestamp && fins.length === 0 && (stored.metadata.finalizers ?? []).length === 0) {
      engine.store.delete(rt.storageKey, '', stored.metadata.name!);
      return engine.present(rt, updated);
    }
    return engine.present(rt, engine.store.update(rt.storageKey, updated));
  }

  async function readTypedBody(req: IncomingMessage, rt: ResourceType, scale = false): Promise<unknown> {
    const type = mediaType(req);
    const protobuf =
      type === PROTOBUF_MEDIA_TYPE && rt.origin === 'builtin' && !scale && decodesProtobuf(rt.group, rt.kind);
    // Custom resources have no protobuf form: the real server lists only JSON and YAML for them.
    if (type && !BODY_TYPES.includes(type) && !protobuf)
      throw unsupportedMediaType(rt.origin === 'builtin' ? RESPONSE_TYPES : BODY_TYPES);
    const buf = await readBody(req);
    return protobuf ? decodeProtobufBody(buf, rt) : decodeBody(buf, type, rt);
  }

  function deleteOptions(buf: Buffer, q: URLSearchParams): DeleteOptions {
    // DEL-8 / §2.8: a body wins; query parameters are read only without one.
    if (buf.length > 0 && buf.toString('utf8').trim() !== '') {
      let o: Obj;
      try {
        o = JSON.parse(buf.toString('utf8')) as Obj;
      } catch (e) {
        throw badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${(e as Error).message}`);
      }
      const out: DeleteOptions = {};
      if (typeof o.propagationPolicy === 'string') out.propagationPolicy = o.propagationPolicy;
      if (typeof o.orphanDependents === 'boolean') out.orphanDependents = o.orphanDependents;
      if (typeof o.gracePeriodSeconds === 'number') out.gracePeriodSeconds = o.gracePeriodSeconds;
      if (o.preconditions && typeof o.preconditions === 'object')
        out.preconditions = o.preconditions as DeleteOptions['preconditions'];
      if (Array.isArray(o.dryRun)) out.dryRun = o.dryRun as string[];
      return out;
    }
    const out: DeleteOptions = {};
    const pp = q.get('propagationPolicy');
    if (pp) out.propagationPolicy = pp;
    const od = parseBool(q.get('orphanDependents'));
    if (od !== undefined) out.orphanDependents = od;
    const gp = parseIntParam(q, 'gracePeriodSeconds');
    if (gp !== undefined) out.gracePeriodSeconds = gp;
    const dr = q.getAll('dryRun');
    if (dr.length) out.dryRun = dr;
    return out;
  }

  function startWatch(
    req: IncomingMessage,
    res: ServerResponse,
    rt: ResourceType,
    namespace: string,
    lq: ListQuery,
    choice: AcceptChoice,
    includeObject: 'None' | 'Metadata' | 'Object',
  ): void {
    let headersSent = false;
    const pending: string[] = [];
    const useTable = choice.table && !!modules.table;
    const encode = (e: WatchEvent): string => {
      let object: unknown = e.object;
      if (useTable && (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED')) {
        const t = modules.table!.toTable(rt, [e.object], {
          includeObject,
          listMeta: { resourceVersion: e.object.metadata?.resourceVersion },
        });
        if (t !== undefined) object = t;
      }
      // Same bytes as JSON.stringify({ type, object }); the object's JSON is shared by every
      // watcher of the event (the engine hands them all the same presented object).
      const json = object === e.object ? watchObjectJson(e.object) : JSON.stringify(object);
      return `{"type":${JSON.stringify(e.type)},"object":${json}}\n`;
    };
    let corked = false;
    const send = (e: WatchEvent) => {
      const line = encode(e);
      if (!headersSent) return void pending.push(line);
      // Events committed in one turn of the event loop leave in one write, not one syscall each.
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(() => {
          corked = false;
          res.uncork();
        });
      }
      res.write(line);
    };
    let stopFn: (() => void) | undefined;
    const end = () => {
      if (stopFn) deps.watches.delete(stopFn);
      if (!res.writableEnded) res.end();
    };
    // Throws before any byte is written for errors found up front (WATCH-14).
    const stop = engine.watch(rt, namespace, lq, send, end);
    stopFn = () => {
      stop();
      end();
    };
    deps.watches.add(stopFn);
    res.writeHead(200, {
      'Content-Type': useTable ? 'application/json;g=meta.k8s.io;v=v1;as=Table' : 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    headersSent = true;
    for (const l of pending) res.write(l);
    const onClose = () => {
      stop();
      if (stopFn) deps.watches.delete(stopFn);
    };
    req.on('close', onClose);
    res.on('close', onClose);
  }

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
      return writeJson(res, 200, body);
    }
    if (parts[0] === 'api') {
      if (parts.length === 1)
        return isGet ? writeJson(res, 200, apiVersions(deps.serverAddress())) : Promise.reject(methodNotAllowed());
      if (parts[1] !== 'v1') return notFoundPage(res);
      if (parts.length === 2) {
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, apiResourceList(engine.registry.discoverable(), '', 'v1'));
      }
      const rr = resolveResource(engine, '', 'v1', parts.slice(2));
      if (!rr) return notFoundPage(res);
      return handleResource(req, res, rr, url.searchParams);
    }
    if (parts[0] === 'apis') {
      const types = engine.registry.discoverable();
      if (parts.length === 1) {
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, apiGroupList(types));
      }
      if (parts.length === 2) {
        const doc = apiGroupDoc(types, parts[1]);
        if (!doc) return notFoundPage(res);
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, doc);
      }
      if (parts.length === 3) {
        const doc = apiResourceList(types, parts[1], parts[2]);
        if (!doc) return notFoundPage(res);
        if (!isGet) throw methodNotAllowed();
        return writeJson(res, 200, doc);
      }
      const rr = resolveResource(engine, parts[1], parts[2], parts.slice(3));
      if (!rr) return notFoundPage(res);
      return handleResource(req, res, rr, url.searchParams);
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
      await route(req, res);
    } catch (e) {
      if (e instanceof StatusError) {
        if (!res.headersSent) writeJson(res, e.statusCode, e.status);
        else res.end();
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
