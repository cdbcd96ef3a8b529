import { randomUUID } from 'node:crypto';
import type {
  AdmissionModule,
  AdmissionRequestAttributes,
  ControllerApi,
  CrdSchemaModule,
  FieldError,
  GroupVersionResource,
  KubeObject,
  ResourceType,
  StoreEvent,
} from '../types.ts';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  deleteSuccess,
  expired,
  forbidden,
  groupKind,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from '../errors.ts';
import { HistoryExpiredError, ObjectStore, clone, objectKey } from '../store/object-store.ts';
import type { Registry } from '../registry/registry.ts';
import type { Strategy, StrategyContext } from '../registry/strategy.ts';
import { validateObjectMeta } from '../validation/object-meta.ts';
import { parseLabelSelector, matchesLabels, type LabelSelector } from '../selectors/label-selector.ts';
import {
  parseFieldSelector,
  matchesFields,
  checkFieldSelectorSupported,
  type FieldSelector,
} from '../selectors/field-selector.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { applyJsonPatch, JsonPatchError } from '../patch/json-patch.ts';
import { applyStrategicMergePatch, smpSchemaFor, StrategicMergePatchError } from '../patch/strategic-merge-patch.ts';

type Obj = Record<string, unknown>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Per-request options that are not part of the object (query parameters). */
export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
  /** Collected `Warning: 299` texts. */
  warnings?: string[];
}

export interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  watch?: boolean;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** RFC 3339 with second precision (OBJ-3). */
export function nowSeconds(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stableEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => stableEqual(x, bb[i]));
  }
  const ao = a as Obj;
  const bo = b as Obj;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => stableEqual(ao[k], bo[k]));
}

function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${start}\u0000` })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string')
      throw new Error('bad');
    return { rv: parsed.rv, start: parsed.start.replace(/\u0000$/, '') };
  } catch {
    throw badRequest(`invalid continue token: ${token}`);
  }
}

function parseRv(s: string | undefined, what = 'resource version'): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (!/^\d+$/.test(s)) throw badRequest(`invalid ${what}: ${s}`);
  return Number(s);
}

function listFieldErrors(kind: 'ListOptions' | 'DeleteOptions' | 'PatchOptions', errs: FieldError[]): StatusError {
  return invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

/**
 * The request pipeline without HTTP: create/get/list/update/patch/delete/watch with the
 * real server's ordering, checks and messages. The HTTP layer and the in-process controllers
 * both call it, so controller writes are ordinary writes (GC-9).
 */
export class ApiEngine {
  admission?: AdmissionModule;
  /** Structural checks of CRDs on create/update (src/crd-schema). */
  crdSchema?: CrdSchemaModule;

  constructor(
    readonly store: ObjectStore,
    readonly registry: Registry,
  ) {}

  private ctx(): StrategyContext {
    return { store: this.store, now: new Date() };
  }

  // ------------------------------------------------------------------------- conversion

  /** A stored object as the given type/version serves it (copy, converted, defaulted on read). */
  present(rt: ResourceType, stored: KubeObject): KubeObject {
    const strategy = this.registry.strategy(rt);
    let out = clone(stored);
    if (strategy.fromStorage) out = strategy.fromStorage(out, rt);
    out.apiVersion = apiVersionOf(rt);
    out.kind = rt.kind;
    const schema = this.registry.schema(rt);
    if (schema) schema.applyDefaults(out);
    // apiVersion/kind first, as the real server serializes them.
    const { apiVersion, kind, ...rest } = out;
    return { apiVersion, kind, ...rest };
  }

  private toStorage(rt: ResourceType, obj: KubeObject): KubeObject {
    const strategy = this.registry.strategy(rt);
    const out = strategy.toStorage ? strategy.toStorage(obj) : obj;
    if (rt.origin === 'custom') out.apiVersion = `${rt.group}/${this.registry.storageVersion(rt)}`;
    return out;
  }

  // ------------------------------------------------------------------------- decode

  /** CR-7 type checks, unknown-field pruning (FV-1) and copy of the request body. */
  private decode(rt: ResourceType, body: unknown, opts: WriteOptions): KubeObject {
    if (!isObj(body))
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body must be a JSON object`,
      );
    const obj = clone(body) as KubeObject;
    const expectedApiVersion = apiVersionOf(rt);
    if (rt.origin === 'custom') {
      if (!obj.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
      const errs: FieldError[] = [];
      if (obj.kind !== rt.kind)
        errs.push({ type: 'FieldValueInvalid', field: 'kind', value: obj.kind, detail: `must be ${rt.kind}` });
      if (obj.apiVersion !== expectedApiVersion) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'apiVersion',
          value: obj.apiVersion ?? '',
          detail: `must be ${expectedApiVersion}`,
        });
      }
      if (errs.length) throw invalid(rt, obj.metadata?.name ?? '', errs);
      const schema = this.registry.schema(rt);
      if (schema) {
        const pruned = schema.prune(obj);
        this.handleUnknownFields(rt, pruned, opts);
      }
    } else {
      if (obj.apiVersion && obj.apiVersion !== expectedApiVersion) {
        throw badRequest(
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedApiVersion})`,
        );
      }
      if (obj.kind && obj.kind !== rt.kind) {
        throw badRequest(
          `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the kind in the data (${obj.kind}) does not match the expected kind`,
        );
      }
      obj.apiVersion = expectedApiVersion;
      obj.kind = rt.kind;
    }
    if (obj.metadata !== undefined && !isObj(obj.metadata)) {
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: metadata must be an object`,
      );
    }
    obj.metadata ??= {};
    const md = obj.metadata;
    delete md.selfLink;
    delete md.managedFields;
    return obj;
  }

  private handleUnknownFields(rt: ResourceType, paths: string[], opts: WriteOptions): void {
    if (paths.length === 0) return;
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Strict') {
      throw badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${paths.map((p) => `unknown field "${p}"`).join(', ')}`,
      );
    }
    if (mode === 'Warn') for (const p of paths) opts.warnings?.push(`unknown field "${p}"`);
  }

  // ------------------------------------------------------------------------- helpers

  private requireVerb(rt: ResourceType, verb: string): void {
    if (verb === 'deletecollection' && !rt.verbs.includes('deletecollection')) throw methodNotAllowed();
  }

  private validate(
    rt: ResourceType,
    strategy: Strategy,
    obj: KubeObject,
    old: KubeObject | undefined,
    subresource: string,
  ): void {
    const errs: FieldError[] = [];
    if (subresource !== 'status') {
      errs.push(...validateObjectMeta(obj, strategy.nameValidation, rt.namespaced));
      if (strategy.validate) errs.push(...strategy.validate(obj, old, rt));
      if (rt.storageKey === 'apiextensions.k8s.io/customresourcedefinitions' && this.crdSchema) {
        for (const e of this.crdSchema.validateStructural(obj, old)) {
          if (!errs.some((x) => x.field === e.field && x.type === e.type)) errs.push(e);
        }
      }
    }
    const schema = this.registry.schema(rt);
    if (schema) {
      errs.push(
        ...schema.validate(obj, {
          kind: rt.kind,
          group: rt.group,
          name: obj.metadata?.name ?? '',
          ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
          ...(old ? { old } : {}),
        }),
      );
    }
    if (errs.length) throw invalid(rt, obj.metadata?.name ?? '', errs);
  }

  private namespaceLifecycle(rt: ResourceType, namespace: string, name: string): void {
    if (!rt.namespaced) return;
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns) throw notFound({ group: '', plural: 'namespaces' }, namespace);
    if (ns.metadata?.deletionTimestamp) {
      throw forbidden(
        rt,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
    }
  }

  private webhookConfigs(kind: 'mutating' | 'validating'): KubeObject[] {
    return this.store.list(`admissionregistration.k8s.io/${kind}webhookconfigurations`);
  }

  private async admit(
    phase: 'mutate' | 'validate',
    attrs: AdmissionRequestAttributes,
    opts: WriteOptions,
  ): Promise<KubeObject | undefined> {
    if (!this.admission) return attrs.object;
    // Webhook configurations never go through webhooks themselves (as on a real server).
    if (attrs.resource.group === 'admissionregistration.k8s.io') return attrs.object;
    const configs = this.webhookConfigs(phase === 'mutate' ? 'mutating' : 'validating');
    if (configs.length === 0) return attrs.object;
    if (attrs.resource.namespaced && attrs.namespace) {
      attrs.namespaceLabels = this.store.get('/namespaces', '', attrs.namespace)?.metadata?.labels ?? {};
    }
    if (phase === 'mutate') {
      const r = await this.admission.mutate(attrs, configs);
      opts.warnings?.push(...r.warnings);
      return r.object ?? attrs.object;
    }
    const r = await this.admission.validate(attrs, configs);
    opts.warnings?.push(...r.warnings);
    return attrs.object;
  }

  private bumpGeneration(strategy: Strategy, obj: KubeObject, old: KubeObject): void {
    const oldGen = old.metadata?.generation;
    if (strategy.generation === 'none') {
      if (oldGen === undefined) delete obj.metadata!.generation;
      else obj.metadata!.generation = oldGen;
      return;
    }
    const base = oldGen ?? 1;
    let changed = false;
    if (strategy.generation === 'nonMetadata') {
      const strip = (o: KubeObject) => {
        const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
        return rest;
      };
      changed = !stableEqual(strip(obj), strip(old));
    } else {
      changed = !stableEqual(obj.spec, old.spec);
      if (
        strategy.generation === 'specAndAnnotations' &&
        !stableEqual(obj.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})
      )
        changed = true;
    }
    obj.metadata!.generation = changed ? base + 1 : base;
  }

  private generateName(prefix: string): string {
    let s = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
    return s;
  }

  // ------------------------------------------------------------------------- create

  async create(rt: ResourceType, namespace: string, body: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const strategy = this.registry.strategy(rt);
    const obj = this.decode(rt, body, opts);
    const md = obj.metadata!;
    if (rt.namespaced) {
      if (!md.namespace) md.namespace = namespace;
      else if (md.namespace !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    } else delete md.namespace;
    if (md.resourceVersion)
      throw new StatusError(500, '', 'resourceVersion should not be set on objects to be created');
    strategy.defaults?.(obj, rt);
    this.registry.schema(rt)?.applyDefaults(obj);
    delete md.uid;
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    delete md.generation;
    md.creationTimestamp = nowSeconds();
    md.uid = randomUUID();
    const generated = !md.name && !!md.generateName;
    if (generated) md.name = this.generateName(md.generateName!);
    if (!md.name && !md.generateName) {
      throw invalid(rt, '', [
        { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
      ]);
    }
    if (rt.origin === 'custom' && this.registry.isTerminating(rt)) {
      throw forbidden(rt, md.name ?? '', 'create not allowed while custom resource definition is terminating');
    }
    this.namespaceLifecycle(rt, md.namespace ?? '', md.name!);
    // Namespace defaulting depends on the final name.
    if (rt.storageKey === '/namespaces') strategy.defaults?.(obj, rt);
    const attrs = (o: KubeObject): AdmissionRequestAttributes => ({
      operation: 'CREATE',
      resource: rt,
      subresource: '',
      name: o.metadata?.name ?? '',
      namespace: o.metadata?.namespace ?? '',
      object: o,
      dryRun: !!opts.dryRun,
      options: {
        kind: 'CreateOptions',
        apiVersion: 'meta.k8s.io/v1',
        ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
      },
    });
    let cur = (await this.admit('mutate', attrs(obj), opts)) ?? obj;
    strategy.prepareForCreate?.(cur, this.ctx());
    if (rt.subresources.status && rt.origin === 'custom') delete cur.status;
    if (strategy.generation !== 'none') cur.metadata!.generation = 1;
    this.validate(rt, strategy, cur, undefined, '');
    cur = (await this.admit('validate', attrs(cur), opts)) ?? cur;
    const cmd = cur.metadata!;
    for (let attempt = 0; ; attempt++) {
      const existing = this.store.get(rt.storageKey, cmd.namespace ?? '', cmd.name!);
      if (!existing) break;
      if (!generated) {
        throw alreadyExists(rt, cmd.name!, existing.metadata?.deletionTimestamp ? 'object is being deleted: ' : '');
      }
      if (attempt >= 7) {
        const e = alreadyExists(rt, cmd.name!);
        const err = new StatusError(
          409,
          'AlreadyExists',
          `${e.message}, the server was not able to generate a unique name for the object`,
          {
            ...e.status.details,
            retryAfterSeconds: 1,
          },
        );
        throw err;
      }
      cmd.name = this.generateName(cmd.generateName!);
    }
    if (opts.dryRun) return this.present(rt, this.toStorage(rt, clone(cur)));
    const stored = this.store.create(rt.storageKey, this.toStorage(rt, cur));
    return this.present(rt, stored);
  }

  // ------------------------------------------------------------------------- get / list

  getStored(rt: ResourceType, namespace: string, name: string): KubeObject {
    const o = this.store.get(rt.storageKey, rt.namespaced ? namespace : '', name);
    if (!o || (rt.namespaced && !namespace)) throw notFound(rt, name);
    return o;
  }

  get(rt: ResourceType, namespace: string, name: string): KubeObject {
    return this.present(rt, this.getStored(rt, namespace, name));
  }

  private selectors(rt: ResourceType, q: ListQuery): { labels: LabelSelector; fields: FieldSelector } {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector);
    checkFieldSelectorSupported(rt, fields);
    return { labels, fields };
  }

  private matches(rt: ResourceType, sel: { labels: LabelSelector; fields: FieldSelector }, obj: KubeObject): boolean {
    if (!matchesLabels(sel.labels, obj.metadata?.labels)) return false;
    if (sel.fields.length === 0) return true;
    return matchesFields(sel.fields, this.fieldView(rt, obj));
  }

  /** Field selectors evaluate on the storage form for built-ins (core Event names), else the served form. */
  private fieldView(rt: ResourceType, storedOrPresented: KubeObject): KubeObject {
    return storedOrPresented;
  }

  private validateListOptions(q: ListQuery, isWatch: boolean): void {
    const errs: FieldError[] = [];
    if (q.resourceVersionMatch !== undefined && q.resourceVersionMatch !== '') {
      if (isWatch) {
        if (!q.sendInitialEvents) {
          errs.push({
            type: 'FieldValueForbidden',
            field: 'resourceVersionMatch',
            detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          });
        } else if (q.resourceVersionMatch !== 'NotOlderThan') {
          errs.push({
            type: 'FieldValueForbidden',
            field: 'resourceVersionMatch',
            detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          });
        }
      } else {
        if (q.resourceVersion === undefined || q.resourceVersion === '') {
          errs.push({
            type: 'FieldValueForbidden',
            field: 'resourceVersionMatch',
            detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided',
          });
        }
        if (q.continue)
          errs.push({
            type: 'FieldValueForbidden',
            field: 'resourceVersionMatch',
            detail: 'resourceVersionMatch is forbidden when continue is provided',
          });
        if (q.resourceVersionMatch !== 'Exact' && q.resourceVersionMatch !== 'NotOlderThan') {
          errs.push({
            type: 'FieldValueNotSupported',
            field: 'resourceVersionMatch',
            value: q.resourceVersionMatch,
            detail: 'supported values: "Exact", "NotOlderThan", ""',
          });
        }
        if (q.resourceVersionMatch === 'Exact' && q.resourceVersion === '0') {
          errs.push({
            type: 'FieldValueForbidden',
            field: 'resourceVersionMatch',
            detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
          });
        }
      }
    } else if (isWatch && q.sendInitialEvents) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      });
    }
    if (!isWatch && q.sendInitialEvents !== undefined) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'sendInitialEvents',
        detail: 'sendInitialEvents is forbidden for list',
      });
    }
    if (errs.length) throw listFieldErrors('ListOptions', errs);
  }

  list(rt: ResourceType, namespace: string, q: ListQuery): KubeObject {
    this.validateListOptions(q, false);
    const sel = this.selectors(rt, q);
    const current = this.store.currentRv;
    let snapshotRv = current;
    let start = '';
    const requestedRv = parseRv(q.resourceVersion);
    if (q.continue) {
      if (q.resourceVersion && q.resourceVersion !== '0')
        throw badRequest('specifying resource version is not allowed when using continue');
      const tok = decodeContinue(q.continue);
      if (tok.rv < this.store.oldestRetainedRv) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      snapshotRv = tok.rv;
      start = tok.start;
    } else if (requestedRv !== undefined && requestedRv !== 0) {
      const exact =
        q.resourceVersionMatch === 'Exact' ||
        (q.limit !== undefined && q.limit > 0 && q.resourceVersionMatch !== 'NotOlderThan');
      if (exact && requestedRv < this.store.oldestRetainedRv)
        throw expired('The resourceVersion for the provided list is too old.');
      if (requestedRv > current) {
        throw new StatusError(
          504,
          'Timeout',
          `Timeout: Too large resource version: ${requestedRv}, current: ${current}`,
          {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          },
        );
      }
    }
    // Only the page's items are presented (copied and defaulted); the rest are counted: without
    // selectors by position, with selectors only until one more match proves there is a next page.
    const range = this.store.keyRange(
      rt.storageKey,
      rt.namespaced ? namespace || undefined : undefined,
      start || undefined,
    );
    const items: KubeObject[] = [];
    let nextKey: string | undefined;
    let remaining = 0;
    const limit = q.limit && q.limit > 0 ? q.limit : undefined;
    const selecting = sel.labels.length > 0 || sel.fields.length > 0;
    // Field selectors on custom resources see the served form (selectable fields may be defaulted).
    const matchPresented = rt.origin === 'custom' && sel.fields.length > 0;
    for (let i = range.start; i < range.end; i++) {
      const key = range.keys[i];
      const o = range.objects.get(key)!;
      if (limit !== undefined && items.length >= limit) {
        if (!selecting) {
          remaining = range.end - i;
          break;
        }
        if (this.matches(rt, sel, matchPresented ? this.present(rt, o) : o)) {
          remaining = 1;
          break;
        }
        continue;
      }
      let presented: KubeObject | undefined;
      if (selecting) {
        if (matchPresented) presented = this.present(rt, o);
        if (!this.matches(rt, sel, presented ?? o)) continue;
      }
      items.push(presented ?? this.present(rt, o));
      nextKey = key;
    }
    const metadata: Obj = { resourceVersion: String(snapshotRv) };
    if (limit !== undefined && remaining > 0 && nextKey !== undefined) {
      metadata.continue = encodeContinue(snapshotRv, nextKey);
      if (sel.labels.length === 0 && sel.fields.length === 0) metadata.remainingItemCount = remaining;
    }
    // OBJ-4: built-in list items carry no apiVersion/kind.
    const outItems = rt.origin === 'custom' ? items : items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata, items: outItems };
  }

  // ------------------------------------------------------------------------- update

  async update(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    subresource: '' | 'status',
    opts: WriteOptions = {},
    viaPatch = false,
  ): Promise<KubeObject> {
    const strategy = this.registry.strategy(rt);
    let obj = this.decode(rt, body, opts);
    const md = obj.metadata!;
    if ((md.name ?? '') !== name)
      throw badRequest(`the name of the object (${md.name ?? ''}) does not match the name on the URL (${name})`);
    if (rt.namespaced) {
      if (md.namespace && md.namespace !== namespace) {
        throw badRequest(
          `the namespace of the object (${md.namespace}) does not match the namespace on the request (${namespace})`,
        );
      }
      md.namespace = namespace;
    } else delete md.namespace;
    const existingStored = this.getStored(rt, namespace, name);
    const existing = this.present(rt, existingStored);
    const existingRv = existingStored.metadata!.resourceVersion!;
    if (!md.resourceVersion) {
      if (!strategy.allowUnconditionalUpdate && !viaPatch) {
        throw invalid(rt, name, [
          {
            type: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            value: 0,
            detail: 'must be specified for an update',
          },
        ]);
      }
      md.resourceVersion = existingRv;
    } else {
      parseRv(md.resourceVersion);
      if (md.resourceVersion !== existingRv) throw conflict(rt, name);
    }
    if (md.uid && md.uid !== existing.metadata!.uid) {
      const key = `/registry/${rt.group ? rt.group + '/' : ''}${rt.plural}/${objectKey(namespace, name)}`;
      throw conflict(
        rt,
        name,
        `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${md.uid}, UID in object meta: ${existing.metadata!.uid}`,
      );
    }
    strategy.defaults?.(obj, rt);
    this.registry.schema(rt)?.applyDefaults(obj);
    if (subresource === 'status') {
      obj = strategy.prepareForStatusUpdate ? strategy.prepareForStatusUpdate(obj, existing) : obj;
      obj.metadata!.generation = existing.metadata?.generation;
      if (obj.metadata!.generation === undefined) delete obj.metadata!.generation;
    } else {
      const nmd = obj.metadata!;
      const emd = existing.metadata!;
      for (const k of ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'uid'] as const) {
        if (emd[k] === undefined) delete nmd[k];
        else nmd[k] = emd[k] as never;
      }
      strategy.prepareForUpdate?.(obj, existing, this.ctx());
      this.bumpGeneration(strategy, obj, existing);
      if (emd.deletionTimestamp) {
        const added = (nmd.finalizers ?? []).filter((f) => !(emd.finalizers ?? []).includes(f));
        if (added.length) {
          throw invalid(rt, name, [
            {
              type: 'FieldValueForbidden',
              field: 'metadata.finalizers',
              detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
            },
          ]);
        }
      }
    }
    const attrs = (o: KubeObject): AdmissionRequestAttributes => ({
      operation: 'UPDATE',
      resource: rt,
      subresource,
      name,
      namespace: rt.namespaced ? namespace : '',
      object: o,
      oldObject: existing,
      dryRun: !!opts.dryRun,
      options: {
        kind: 'UpdateOptions',
        apiVersion: 'meta.k8s.io/v1',
        ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
      },
    });
    obj = (await this.admit('mutate', attrs(obj), opts)) ?? obj;
    this.validate(rt, strategy, obj, existing, subresource);
    obj = (await this.admit('validate', attrs(obj), opts)) ?? obj;
    return this.commitUpdate(rt, obj, existingStored, opts);
  }

  /** OBJ-8 no-op detection, UPD-8 delete-on-last-finalizer, then the write. */
  private commitUpdate(rt: ResourceType, obj: KubeObject, existingStored: KubeObject, opts: WriteOptions): KubeObject {
    const storageForm = this.toStorage(rt, clone(obj));
    storageForm.metadata!.resourceVersion = existingStored.metadata!.resourceVersion;
    if (stableEqual(storageForm, existingStored)) return this.present(rt, existingStored);
    const md = storageForm.metadata!;
    const namespacePending =
      rt.storageKey === '/namespaces' &&
      ((storageForm.spec as Obj | undefined)?.finalizers as string[] | undefined)?.length;
    if (
      md.deletionTimestamp &&
      (md.finalizers ?? []).length === 0 &&
      !md.deletionGracePeriodSeconds &&
      !namespacePending
    ) {
      if (!opts.dryRun) this.store.delete(rt.storageKey, md.namespace ?? '', md.name!);
      return this.present(rt, storageForm);
    }
    if (opts.dryRun) return this.present(rt, storageForm);
    return this.present(rt, this.store.update(rt.storageKey, storageForm));
  }

  // ------------------------------------------------------------------------- patch

  supportedPatchTypes(rt: ResourceType): string[] {
    return rt.origin === 'custom'
      ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
      : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];
  }

  /** Applies a patch document to an object in its served form. */
  applyPatch(rt: ResourceType, current: KubeObject, contentType: string, patch: unknown): KubeObject {
    let result: unknown;
    try {
      if (contentType === PATCH_TYPES.json) {
        if (Array.isArray(patch) && patch.length > 10000) {
          throw new StatusError(
            413,
            'RequestEntityTooLarge',
            `The allowed maximum operations in a JSON patch is 10000, got ${patch.length}`,
          );
        }
        if (!Array.isArray(patch))
          throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        result = applyJsonPatch(current, patch);
      } else if (contentType === PATCH_TYPES.merge) {
        if (!isObj(patch)) throw badRequest('error decoding patch: the patch must be a JSON object');
        result = applyMergePatch(current, patch);
      } else {
        if (!isObj(patch)) throw badRequest('error decoding patch: the patch must be a JSON object');
        result = applyStrategicMergePatch(current, patch, smpSchemaFor(rt.group, rt.kind));
      }
    } catch (e) {
      if (e instanceof JsonPatchError || e instanceof StrategicMergePatchError) {
        throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
          causes: [{ reason: 'FieldValueInvalid', message: e.message }],
        });
      }
      throw e;
    }
    if (!isObj(result))
      throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request');
    return result as KubeObject;
  }

  async patch(
    rt: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    subresource: '' | 'status',
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const types = this.supportedPatchTypes(rt);
    if (!types.includes(contentType)) throw unsupportedMediaType(types);
    if (contentType === PATCH_TYPES.apply) {
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        'server-side apply (application/apply-patch+yaml) is not supported by local-apiserver; use client-side apply or a json, merge or strategic merge patch',
      );
    }
    const current = this.get(rt, namespace, name);
    const patched = this.applyPatch(rt, current, contentType, patch);
    return this.update(rt, namespace, name, patched, subresource, opts, true);
  }

  // ------------------------------------------------------------------------- scale

  private static readPath(o: unknown, path: string): unknown {
    let cur = o;
    for (const p of path.replace(/^\./, '').split('.')) {
      if (!isObj(cur)) return undefined;
      cur = cur[p];
    }
    return cur;
  }

  private static writePath(o: Obj, path: string, v: unknown): void {
    const parts = path.replace(/^\./, '').split('.');
    let cur = o;
    for (const p of parts.slice(0, -1)) {
      if (!isObj(cur[p])) cur[p] = {};
      cur = cur[p] as Obj;
    }
    cur[parts[parts.length - 1]] = v;
  }

  /** autoscaling/v1 Scale view of an object (SC-1). */
  getScale(rt: ResourceType, namespace: string, name: string): KubeObject {
    const scale = rt.subresources.scale;
    if (!scale) throw notFound(rt, name);
    const o = this.get(rt, namespace, name);
    const md = o.metadata!;
    let selector = '';
    if (rt.origin === 'builtin') {
      const sel = (o.spec as Obj | undefined)?.selector as { matchLabels?: Record<string, string> } | undefined;
      selector = Object.entries(sel?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    } else if (scale.labelSelectorPath) {
      const s = ApiEngine.readPath(o, scale.labelSelectorPath);
      selector = typeof s === 'string' ? s : '';
    }
    const specReplicas = ApiEngine.readPath(o, scale.specReplicasPath);
    const statusReplicas = ApiEngine.readPath(o, scale.statusReplicasPath);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: md.name,
        ...(md.namespace ? { namespace: md.namespace } : {}),
        uid: md.uid,
        resourceVersion: md.resourceVersion,
        creationTimestamp: md.creationTimestamp,
      },
      spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
      status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector ? { selector } : {}) },
    };
  }

  async updateScale(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const scale = rt.subresources.scale;
    if (!scale) throw notFound(rt, name);
    if (!isObj(body)) throw badRequest('Scale body must be a JSON object');
    const md = (body.metadata ?? {}) as Obj;
    const current = this.get(rt, namespace, name);
    const replicas = (body.spec as Obj | undefined)?.replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
        {
          type: 'FieldValueInvalid',
          field: 'spec.replicas',
          value: replicas ?? null,
          detail: 'must be greater than or equal to 0',
        },
      ]);
    }
    if (md.resourceVersion && md.resourceVersion !== current.metadata!.resourceVersion) throw conflict(rt, name);
    const next = clone(current);
    ApiEngine.writePath(next as Obj, scale.specReplicasPath, replicas);
    await this.update(rt, namespace, name, next, '', opts, true);
    return this.getScale(rt, namespace, name);
  }

  async patchScale(
    rt: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const types = this.supportedPatchTypes(rt).filter((t) => t !== PATCH_TYPES.apply);
    if (!types.includes(contentType)) throw unsupportedMediaType(types);
    const current = this.getScale(rt, namespace, name);
    const patched = this.applyPatch({ ...rt, group: 'autoscaling', kind: 'Scale' }, current, contentType, patch);
    return this.updateScale(rt, namespace, name, patched, opts);
  }

  // ------------------------------------------------------------------------- delete

  private validateDeleteOptions(o: DeleteOptions): void {
    const errs: FieldError[] = [];
    if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'propagationPolicy',
        value: o.propagationPolicy,
        detail: 'orphanDependents and deletionPropagation cannot be both set',
      });
    }
    if (o.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy)) {
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        value: o.propagationPolicy,
        detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
      });
    }
    for (const d of o.dryRun ?? []) {
      if (d !== 'All')
        errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', value: d, detail: 'supported values: "All"' });
    }
    if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  }

  /** Returns the HTTP status and body of a DELETE (DEL-1…DEL-7). */
  async delete(
    rt: ResourceType,
    namespace: string,
    name: string,
    options: DeleteOptions = {},
    opts: WriteOptions = {},
  ): Promise<{ code: number; body: unknown }> {
    this.validateDeleteOptions(options);
    const strategy = this.registry.strategy(rt);
    const existingStored = this.getStored(rt, namespace, name);
    const existing = this.present(rt, existingStored);
    const emd = existing.metadata!;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== emd.uid) {
      throw conflict(
        { group: rt.group, plural: rt.kind },
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${emd.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== emd.resourceVersion) {
      throw conflict(
        { group: rt.group, plural: rt.kind },
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${emd.resourceVersion}). The object might have been modified`,
      );
    }
    const isNamespace = rt.storageKey === '/namespaces';
    if (isNamespace && IMMORTAL_NAMESPACES.includes(name))
      throw forbidden(rt, name, 'this namespace may not be deleted');
    if (
      isNamespace &&
      emd.deletionTimestamp &&
      (((existing.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? []).length > 0
    ) {
      throw conflict(
        rt,
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }
    const attrs: AdmissionRequestAttributes = {
      operation: 'DELETE',
      resource: rt,
      subresource: '',
      name,
      namespace: rt.namespaced ? namespace : '',
      oldObject: existing,
      dryRun: !!opts.dryRun,
      options: {
        kind: 'DeleteOptions',
        apiVersion: 'meta.k8s.io/v1',
        ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      },
    };
    await this.admit('mutate', attrs, opts);
    await this.admit('validate', attrs, opts);

    const next = clone(existing);
    const md = next.metadata!;
    let fins = [...(md.finalizers ?? [])];
    const policy =
      options.propagationPolicy ??
      (options.orphanDependents === true ? 'Orphan' : options.orphanDependents === false ? 'Background' : undefined);
    if (policy === 'Orphan') fins = [...fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan'), 'orphan'];
    else if (policy === 'Foreground')
      fins = [...fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan'), 'foregroundDeletion'];
    else if (policy === 'Background') fins = fins.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan');
    const isCrd = rt.storageKey === 'apiextensions.k8s.io/customresourcedefinitions';
    if (isCrd && !fins.includes(CRD_CLEANUP_FINALIZER)) fins.push(CRD_CLEANUP_FINALIZER);
    const nsPending =
      isNamespace && (((next.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? []).length > 0;
    if (fins.length > 0 || nsPending) {
      if (fins.length) md.finalizers = fins;
      else delete md.finalizers;
      if (!md.deletionTimestamp) {
        md.deletionTimestamp = nowSeconds();
        if (typeof md.generation === 'number' && md.generation > 0) md.generation++;
      }
      md.deletionGracePeriodSeconds = 0;
      if (isNamespace) next.status = { ...((next.status as Obj | undefined) ?? {}), phase: 'Terminating' };
      if (isCrd) {
        const status = (next.status ?? {}) as Obj;
        const conds = ((status.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== 'Terminating');
        conds.push({
          type: 'Terminating',
          status: 'True',
          lastTransitionTime: nowSeconds(),
          reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        });
        next.status = { ...status, conditions: conds };
      }
      const storageForm = this.toStorage(rt, clone(next));
      storageForm.metadata!.resourceVersion = existingStored.metadata!.resourceVersion;
      if (stableEqual(storageForm, existingStored) || opts.dryRun)
        return { code: 200, body: this.present(rt, storageForm) };
      const stored = this.store.update(rt.storageKey, storageForm);
      return { code: options.orphanDependents === false ? 202 : 200, body: this.present(rt, stored) };
    }
    if (opts.dryRun)
      return { code: 200, body: strategy.returnDeletedObject ? existing : deleteSuccess(rt, name, emd.uid!) };
    const deleted = this.store.delete(rt.storageKey, rt.namespaced ? namespace : '', name)!;
    return {
      code: 200,
      body: strategy.returnDeletedObject ? this.present(rt, deleted) : deleteSuccess(rt, name, emd.uid!),
    };
  }

  async deleteCollection(
    rt: ResourceType,
    namespace: string,
    q: ListQuery,
    options: DeleteOptions,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    this.requireVerb(rt, 'deletecollection');
    this.validateDeleteOptions(options);
    const sel = this.selectors(rt, q);
    const items: KubeObject[] = [];
    for (const o of this.store.list(rt.storageKey, rt.namespaced ? namespace || undefined : undefined)) {
      const presented = this.present(rt, o);
      if (!this.matches(rt, sel, rt.origin === 'custom' ? presented : o)) continue;
      try {
        const r = await this.delete(rt, o.metadata?.namespace ?? '', o.metadata!.name!, options, opts);
        const body = r.body as KubeObject;
        items.push(body.kind === 'Status' ? presented : body);
      } catch (e) {
        if (e instanceof StatusError && e.statusCode === 404) continue;
        throw e;
      }
    }
    return {
      kind: rt.listKind,
      apiVersion: apiVersionOf(rt),
      metadata: { resourceVersion: String(this.store.currentRv) },
      items,
    };
  }

  // ------------------------------------------------------------------------- watch

  /** The store event whose presentations `eventViews` holds (events are dispatched one at a time). */
  private viewEvent: StoreEvent | undefined;
  private eventViews = new Map<ResourceType, { cur?: KubeObject; old?: KubeObject }>();

  /**
   * A store event's object (or old object) as `rt` serves it, computed once per event and type
   * and shared by every watch of that type: with W watchers an event costs one copy and one
   * defaulting, not W. Watch events are read-only for their consumers (they only serialize them).
   */
  private presentForEvent(e: StoreEvent, rt: ResourceType, old: boolean): KubeObject {
    if (this.viewEvent !== e) {
      this.viewEvent = e;
      this.eventViews = new Map();
    }
    let v = this.eventViews.get(rt);
    if (!v) this.eventViews.set(rt, (v = {}));
    if (old) return (v.old ??= this.present(rt, e.oldObject!));
    return (v.cur ??= this.present(rt, e.object));
  }

  /**
   * Starts a watch (§4). Errors found before the stream starts are thrown; later errors are sent
   * as ERROR events. `send` receives events in order; the returned function stops the watch.
   */
  watch(rt: ResourceType, namespace: string, q: ListQuery, send: (e: WatchEvent) => void, end: () => void): () => void {
    this.validateListOptions(q, true);
    const sel = this.selectors(rt, q);
    const startRv = parseRv(q.resourceVersion);
    const ns = rt.namespaced ? namespace : '';
    const inScope = (o: KubeObject) => !ns || o.metadata?.namespace === ns;
    const bookmark = (rv: number, initialEnd: boolean): WatchEvent => ({
      type: 'BOOKMARK',
      object: {
        kind: rt.kind,
        apiVersion: apiVersionOf(rt),
        metadata: {
          resourceVersion: String(rv),
          ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
        },
      },
    });
    const matchOf = (o: KubeObject, p: KubeObject) =>
      inScope(o) && this.matches(rt, sel, rt.origin === 'custom' ? p : o);
    const translate = (e: StoreEvent): WatchEvent | undefined => {
      if (e.storageKey !== rt.storageKey) return undefined;
      const p = this.presentForEvent(e, rt, false);
      const ok = matchOf(e.object, p);
      if (e.type === 'DELETED') return ok ? { type: 'DELETED', object: p } : undefined;
      if (e.type === 'ADDED' || !e.oldObject) return ok ? { type: 'ADDED', object: p } : undefined;
      const oldP = this.presentForEvent(e, rt, true);
      const oldOk = matchOf(e.oldObject, oldP);
      if (ok && oldOk) return { type: 'MODIFIED', object: p };
      if (ok && !oldOk) return { type: 'ADDED', object: p };
      if (!ok && oldOk) {
        const gone = clone(oldP);
        gone.metadata!.resourceVersion = String(e.rv);
        return { type: 'DELETED', object: gone };
      }
      return undefined;
    };

    let stopped = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => {};
    const stop = () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
    };
    const finish = () => {
      if (stopped) return;
      stop();
      end();
    };

    const initial: WatchEvent[] = [];
    if (q.sendInitialEvents || startRv === undefined || startRv === 0) {
      for (const o of this.store.list(rt.storageKey, ns || undefined)) {
        const p = this.present(rt, o);
        if (matchOf(o, p)) initial.push({ type: 'ADDED', object: p });
      }
      if (q.sendInitialEvents && q.allowWatchBookmarks) initial.push(bookmark(this.store.currentRv, true));
    } else {
      let history: StoreEvent[];
      try {
        history = this.store.eventsSince(startRv);
      } catch (e) {
        if (e instanceof HistoryExpiredError) {
          send({ type: 'ERROR', object: expired(e.message).status as unknown as KubeObject });
          queueMicrotask(finish);
          return stop;
        }
        throw e;
      }
      for (const e of history) {
        const w = translate(e);
        if (w) initial.push(w);
      }
    }
    for (const e of initial) send(e);
    // Subscribing after the synchronous replay is race-free: nothing commits in between.
    unsubscribe = this.store.subscribe((e) => {
      if (stopped) return;
      if (startRv !== undefined && e.rv <= startRv) return;
      const w = translate(e);
      if (w) send(w);
    });
    const timeoutMs = q.timeoutSeconds !== undefined ? q.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
    timers.push(setTimeout(finish, timeoutMs));
    if (q.allowWatchBookmarks) {
      const tick = () => {
        if (stopped) return;
        send(bookmark(this.store.currentRv, false));
        timers.push(setTimeout(tick, 60_000));
      };
      timers.push(setTimeout(tick, 60_000));
    }
    return stop;
  }

  // ------------------------------------------------------------------------- controller API

  private typeFor(gvr: GroupVersionResource): ResourceType {
    const rt = this.registry.find(gvr.group, gvr.version, gvr.resource);
    if (!rt) throw notFound({ group: gvr.group, plural: gvr.resource }, '');
    return rt;
  }

  controllerApi(): ControllerApi {
    return {
      resourceTypes: () => this.registry.all(),
      get: (gvr, namespace, name) => {
        const rt = this.typeFor(gvr);
        const o = this.store.get(rt.storageKey, rt.namespaced ? namespace : '', name);
        return o ? this.present(rt, o) : undefined;
      },
      list: (gvr, namespace) => {
        const rt = this.typeFor(gvr);
        return this.store
          .list(rt.storageKey, rt.namespaced ? namespace || undefined : undefined)
          .map((o) => this.present(rt, o));
      },
      create: (gvr, obj) => {
        const rt = this.typeFor(gvr);
        return this.create(rt, obj.metadata?.namespace ?? '', obj);
      },
      update: (gvr, obj, o) => {
        const rt = this.typeFor(gvr);
        return this.update(rt, obj.metadata?.namespace ?? '', obj.metadata!.name!, obj, o?.subresource ?? '');
      },
      mergePatch: (gvr, namespace, name, patch, o) => {
        const rt = this.typeFor(gvr);
        return this.patch(rt, namespace, name, PATCH_TYPES.merge, patch, o?.subresource ?? '');
      },
      delete: async (gvr, namespace, name, o) => {
        const rt = this.typeFor(gvr);
        await this.delete(rt, namespace, name, {
          ...(o?.propagationPolicy ? { propagationPolicy: o.propagationPolicy } : {}),
          ...(o?.preconditions ? { preconditions: o.preconditions } : {}),
        });
      },
      onChange: (listener) => this.store.subscribe(listener),
    };
  }

  /** Kind string for messages that need it. */
  static groupKind(rt: ResourceType): string {
    return groupKind(rt);
  }
}
