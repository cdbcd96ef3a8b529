import { httpCode, type HelperContext, type KindRef } from './context.ts';
import { cloneJson, jsonEqual, type KubeObject } from './object.ts';

export type OperationResult = 'created' | 'updated' | 'unchanged';

export class MutateChangedIdentityError extends Error {
  readonly code = 'MutateChangedIdentity';
  constructor(kind: string, key: string, what: string) {
    super(
      `createOrUpdate ${kind} ${key}: the mutate function changed ${what}; it may only set the object's desired fields`,
    );
    this.name = 'MutateChangedIdentityError';
  }
}

/**
 * Fields never compared: the server owns them, and the status subresource ignores `status` on a
 * main-resource update (write status with updateStatusIfChanged instead).
 */
function comparable(obj: KubeObject): unknown {
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  const { managedFields: _mf, resourceVersion: _rv, ...meta } = rest.metadata;
  return { ...rest, metadata: meta };
}

/**
 * Makes the object `namespace/name` of `kind` look the way `mutate` says: creates it when the
 * cache has none, otherwise applies `mutate` to a copy of the cached object and sends an update
 * only when the copy differs from what is stored. Returns what happened and the object as the
 * server (or, when unchanged, the cache) has it.
 *
 * The comparison is the stored object against the stored object *after your mutation*. Fields
 * the mutation does not touch — everything the API server or other controllers added — stay as
 * stored and are never a diff, so an object that is already right costs zero writes.
 *
 * Warning (as controller-runtime's CreateOrUpdate warns): set the individual fields you own,
 * never replace a whole sub-object. `obj.spec = { value }` throws away every server-defaulted
 * field under `spec`, so each reconcile sees a diff, sends an update, and the server defaults the
 * fields again — a write on every reconcile, forever. Write `obj.spec ??= {}; obj.spec.value = v`
 * (or assign only leaf fields). Likewise do not touch `status` here: the status subresource
 * ignores it on this write, so it is left out of the comparison.
 *
 * The update carries the cached resourceVersion: if the cache was stale the server answers 409,
 * and the error propagates so the reconcile is retried with a fresh cache rather than
 * overwriting someone else's change.
 */
export async function createOrUpdate<T extends KubeObject>(
  ctx: HelperContext,
  kind: KindRef<T>,
  key: { namespace?: string; name: string },
  mutate: (obj: T) => void | Promise<void>,
): Promise<{ result: OperationResult; object: T }> {
  const namespace = kind.namespaced ? key.namespace : undefined;
  const label = namespace ? `${namespace}/${key.name}` : key.name;
  const api = ctx.client.resource(kind);
  const cached = ctx.cache.reader(kind).get(namespace, key.name);

  const mutated = async (base: T): Promise<T> => {
    const copy = cloneJson(base);
    await mutate(copy);
    if (copy.metadata?.name !== key.name) throw new MutateChangedIdentityError(kind.kind, label, 'metadata.name');
    if ((copy.metadata.namespace || undefined) !== namespace)
      throw new MutateChangedIdentityError(kind.kind, label, 'metadata.namespace');
    if (copy.apiVersion !== base.apiVersion || copy.kind !== base.kind)
      throw new MutateChangedIdentityError(kind.kind, label, 'apiVersion/kind');
    return copy;
  };

  const updateFrom = async (current: T): Promise<{ result: OperationResult; object: T }> => {
    const desired = await mutated(current);
    if (jsonEqual(comparable(desired), comparable(current))) return { result: 'unchanged', object: current };
    return { result: 'updated', object: await api.update(desired) };
  };

  if (cached) return updateFrom(cached);

  const fresh = {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: namespace ? { name: key.name, namespace } : { name: key.name },
  } as T;
  const desired = await mutated(fresh);
  try {
    return { result: 'created', object: await api.create(desired) };
  } catch (err) {
    // The cache had not seen an object that exists (just created by us or someone else):
    // read it live and continue as an update.
    if (httpCode(err) !== 409) throw err;
    const live = await api.get(namespace, key.name);
    if (!live) throw err;
    return updateFrom(live);
  }
}
