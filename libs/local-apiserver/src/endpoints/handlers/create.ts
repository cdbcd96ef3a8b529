import { randomUUID } from 'node:crypto';
import type { AdmissionRequestAttributes, KubeObject, ResourceType } from '../../types.ts';
import { StatusError, alreadyExists, badRequest, forbidden, invalid } from '../../errors.ts';
import { clone } from '../../store/object-store.ts';
import { strategyContext, type EngineContext } from '../../engine/engine-context.ts';
import type { WriteOptions } from '../../engine/request-options.ts';
import { nowSeconds } from '../../engine/object-values.ts';
import { decode } from '../../engine/decode.ts';
import { toStorage } from '../../engine/present.ts';
import { admit, namespaceLifecycle, recheckAfterMutation } from '../../engine/admit.ts';
import { convertToStorage, presentConverted } from '../../engine/convert.ts';
import { validate } from '../../engine/validate.ts';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function generateName(prefix: string): string {
  let s = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (let i = 0; i < 5; i++) s += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return s;
}

export async function createObject(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  body: unknown,
  opts: WriteOptions = {},
): Promise<KubeObject> {
  const strategy = ctx.registry.strategy(rt);
  const obj = decode(ctx, rt, body, opts);
  const md = obj.metadata!;
  if (rt.namespaced) {
    if (!md.namespace) md.namespace = namespace;
    else if (md.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  } else delete md.namespace;
  if (md.resourceVersion) throw new StatusError(500, '', 'resourceVersion should not be set on objects to be created');
  strategy.defaults?.(obj, rt);
  ctx.registry.schema(rt)?.applyDefaults(obj);
  delete md.uid;
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  // Types that track no generation keep what the client sent (the real ConfigMap does).
  if (strategy.generation !== 'none') delete md.generation;
  md.creationTimestamp = nowSeconds();
  md.uid = randomUUID();
  const generated = !md.name && !!md.generateName;
  if (generated) md.name = generateName(md.generateName!);
  if (!md.name && !md.generateName) {
    throw invalid(rt, '', [
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ]);
  }
  if (rt.origin === 'custom' && ctx.registry.isTerminating(rt)) {
    throw forbidden(rt, md.name ?? '', 'create not allowed while custom resource definition is terminating');
  }
  namespaceLifecycle(ctx, rt, md.namespace ?? '', md.name!);
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
  const prepared = clone(obj);
  let cur = (await admit(ctx, 'mutate', attrs(obj), opts)) ?? obj;
  recheckAfterMutation(rt, cur, prepared, 'CREATE');
  strategy.prepareForCreate?.(cur, strategyContext(ctx));
  if (rt.subresources.status && rt.origin === 'custom') delete cur.status;
  if (strategy.generation !== 'none') cur.metadata!.generation = 1;
  validate(ctx, rt, strategy, cur, undefined, '');
  cur = (await admit(ctx, 'validate', attrs(cur), opts)) ?? cur;
  const cmd = cur.metadata!;
  for (let attempt = 0; ; attempt++) {
    const existing = ctx.store.get(rt.storageKey, cmd.namespace ?? '', cmd.name!);
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
    cmd.name = generateName(cmd.generateName!);
  }
  const storageForm = toStorage(ctx, rt, await convertToStorage(ctx, rt, opts.dryRun ? clone(cur) : cur));
  if (opts.dryRun) return presentConverted(ctx, rt, storageForm);
  const stored = ctx.store.create(rt.storageKey, storageForm);
  return presentConverted(ctx, rt, stored);
}
