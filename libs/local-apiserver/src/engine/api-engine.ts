import type { AdmissionModule, ControllerApi, CrdSchemaModule, KubeObject, ResourceType } from '../types.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { Registry } from '../registry/registry.ts';
import type { EngineContext } from './engine-context.ts';
import type { ConversionModule } from '../conversion/conversion.ts';
import type { DeleteOptions, ListQuery, WatchEvent, WriteOptions } from './request-options.ts';
import { EventViews } from './event-views.ts';
import { presentObject } from './present.ts';
import { controllerApi } from './controller-api.ts';
import { createObject } from '../endpoints/handlers/create.ts';
import { getObject, getStored } from '../endpoints/handlers/get.ts';
import { listObjects } from '../endpoints/handlers/list.ts';
import { updateObject } from '../endpoints/handlers/update.ts';
import { applyPatch, patchObject, supportedPatchTypes } from '../endpoints/handlers/patch.ts';
import { getScale, patchScale, updateScale } from '../endpoints/handlers/scale.ts';
import { deleteObject } from '../endpoints/handlers/delete.ts';
import { deleteCollection } from '../endpoints/handlers/deletecollection.ts';
import { watchObjects } from '../endpoints/handlers/watch.ts';
import { finalizeNamespace } from '../endpoints/handlers/finalize.ts';

/**
 * The request pipeline without HTTP: create/get/list/update/patch/delete/watch with the
 * real server's ordering, checks and messages, one file per verb in src/endpoints/handlers. The
 * HTTP layer and the in-process controllers both call it, so controller writes are ordinary
 * writes (GC-9).
 */
export class ApiEngine implements EngineContext {
  admission?: AdmissionModule;
  /** Structural checks of CRDs on create/update (src/crd-schema). */
  crdSchema?: CrdSchemaModule;
  conversion?: ConversionModule;
  readonly eventViews = new EventViews((rt, stored) => this.present(rt, stored));

  constructor(
    readonly store: ObjectStore,
    readonly registry: Registry,
  ) {}

  /** A stored object as the given type/version serves it (copy, converted, defaulted on read). */
  present(rt: ResourceType, stored: KubeObject): KubeObject {
    return presentObject(this, rt, stored);
  }

  create(rt: ResourceType, namespace: string, body: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    return createObject(this, rt, namespace, body, opts);
  }

  getStored(rt: ResourceType, namespace: string, name: string): KubeObject {
    return getStored(this, rt, namespace, name);
  }

  get(rt: ResourceType, namespace: string, name: string): Promise<KubeObject> {
    return getObject(this, rt, namespace, name);
  }

  list(rt: ResourceType, namespace: string, q: ListQuery): Promise<KubeObject> {
    return listObjects(this, rt, namespace, q);
  }

  update(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    subresource: '' | 'status',
    opts: WriteOptions = {},
    viaPatch = false,
  ): Promise<KubeObject> {
    return updateObject(this, rt, namespace, name, body, subresource, opts, viaPatch);
  }

  supportedPatchTypes(rt: ResourceType): string[] {
    return supportedPatchTypes(rt);
  }

  /** Applies a patch document to an object in its served form. */
  applyPatch(rt: ResourceType, current: KubeObject, contentType: string, patch: unknown): KubeObject {
    return applyPatch(rt, current, contentType, patch);
  }

  patch(
    rt: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    subresource: '' | 'status',
    opts: WriteOptions = {},
    fieldProblems: readonly string[] = [],
  ): Promise<KubeObject> {
    return patchObject(this, rt, namespace, name, contentType, patch, subresource, opts, fieldProblems);
  }

  /** autoscaling/v1 Scale view of an object (SC-1). */
  getScale(rt: ResourceType, namespace: string, name: string): Promise<KubeObject> {
    return getScale(this, rt, namespace, name);
  }

  updateScale(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    return updateScale(this, rt, namespace, name, body, opts);
  }

  patchScale(
    rt: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    return patchScale(this, rt, namespace, name, contentType, patch, opts);
  }

  /** Returns the HTTP status and body of a DELETE (DEL-1…DEL-7). */
  delete(
    rt: ResourceType,
    namespace: string,
    name: string,
    options: DeleteOptions = {},
    opts: WriteOptions = {},
  ): Promise<{ code: number; body: unknown }> {
    return deleteObject(this, rt, namespace, name, options, opts);
  }

  deleteCollection(
    rt: ResourceType,
    namespace: string,
    q: ListQuery,
    options: DeleteOptions,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    return deleteCollection(this, rt, namespace, q, options, opts);
  }

  /**
   * Starts a watch (§4). Errors found before the stream starts are thrown; later errors are sent
   * as ERROR events. `send` receives events in order; the returned function stops the watch.
   */
  watch(rt: ResourceType, namespace: string, q: ListQuery, send: (e: WatchEvent) => void, end: () => void): () => void {
    return watchObjects(this, rt, namespace, q, send, end);
  }

  /** PUT /api/v1/namespaces/{name}/finalize (FIN-1). */
  finalizeNamespace(rt: ResourceType, name: string, body: unknown, opts: WriteOptions): Promise<KubeObject> {
    return finalizeNamespace(this, rt, name, body, opts);
  }

  controllerApi(): ControllerApi {
    return controllerApi(this);
  }
}
