import type { KubeObject, ResourceType } from '../types.ts';
import { internalError } from '../errors.ts';
import { conversionModule } from '../conversion/conversion.ts';
import type { EngineContext } from './engine-context.ts';

/**
 * Conversion of custom resources between the served versions of their CRD (CRD-V-1, CRD-V-4).
 * `None` only rewrites apiVersion (present.ts does it synchronously). `Webhook` calls the CRD's
 * conversion webhook, which is asynchronous, while presenting an object is synchronous and done
 * in many places (lists, watch fan-out, tables): so every handler first converts the stored
 * objects it is about to present (`convertStored`), which keeps each webhook answer beside the
 * stored object it came from, and `present` takes it from there. Stored objects are frozen and
 * replaced on every write, and answers are keyed by the CRD's resourceVersion too, so an answer
 * is reused only while neither the object nor the CRD (its webhook) changed; it is dropped with
 * its object. (The real server calls the webhook on every read: a webhook whose answer depends
 * on anything else, e.g. the time, is called less often here.)
 */
const converted = new WeakMap<KubeObject, Map<string, KubeObject>>();

function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** Cache key of an answer: the target version under this revision of the CRD. */
function answerKey(rt: ResourceType): string {
  return `${apiVersionOf(rt)}@${rt.crd?.object.metadata?.resourceVersion ?? ''}`;
}

/** True when objects of this type are converted by a webhook (CRD `spec.conversion.strategy: Webhook`). */
export function usesConversionWebhook(rt: ResourceType): boolean {
  if (rt.origin !== 'custom' || !rt.crd) return false;
  const spec = rt.crd.object.spec as { conversion?: { strategy?: string } } | undefined;
  return spec?.conversion?.strategy === 'Webhook';
}

/** The webhook's answer for a stored object in `rt`'s version; throws if no handler asked for it first. */
export function convertedForPresent(rt: ResourceType, stored: KubeObject): KubeObject | undefined {
  const target = apiVersionOf(rt);
  if (!usesConversionWebhook(rt) || stored.apiVersion === target) return undefined;
  const c = converted.get(stored)?.get(answerKey(rt));
  if (!c)
    throw internalError(
      `${target}, Kind=${rt.kind} ${stored.metadata?.name ?? ''} was presented before the conversion webhook was called for it`,
    );
  return c;
}

/** Calls the conversion webhook (once, for all of them) for the stored objects not yet converted to `rt`'s version. */
export async function convertStored(
  ctx: EngineContext,
  rt: ResourceType,
  stored: readonly KubeObject[],
): Promise<void> {
  if (!usesConversionWebhook(rt)) return;
  const target = apiVersionOf(rt);
  const key = answerKey(rt);
  const todo = stored.filter((o) => o.apiVersion !== target && !converted.get(o)?.has(key));
  if (todo.length === 0) return;
  const answers = await (ctx.conversion ?? conversionModule).convert(rt.crd!.object, todo, target);
  const schema = ctx.registry.schema(rt);
  todo.forEach((o, i) => {
    const c = answers[i]!;
    // The webhook's answer is pruned by the target version's schema, as after any decoding.
    schema?.prune(c);
    let byVersion = converted.get(o);
    if (!byVersion) converted.set(o, (byVersion = new Map<string, KubeObject>()));
    byVersion.set(key, c);
  });
}

/** A stored object as `rt` serves it, after calling the conversion webhook if it needs one. */
export async function presentConverted(ctx: EngineContext, rt: ResourceType, stored: KubeObject): Promise<KubeObject> {
  await convertStored(ctx, rt, [stored]);
  return ctx.present(rt, stored);
}

/**
 * An object in `rt`'s version converted to the storage version. With a webhook the webhook
 * does it (and its answer is pruned by the storage version's schema); otherwise only apiVersion
 * changes (present.ts toStorage).
 */
export async function convertToStorage(ctx: EngineContext, rt: ResourceType, obj: KubeObject): Promise<KubeObject> {
  const storageVersion = ctx.registry.storageVersion(rt);
  const storageApiVersion = `${rt.group}/${storageVersion}`;
  if (!usesConversionWebhook(rt) || obj.apiVersion === storageApiVersion) return obj;
  const [c] = await (ctx.conversion ?? conversionModule).convert(rt.crd!.object, [obj], storageApiVersion);
  const storageType = ctx.registry.find(rt.group, storageVersion, rt.plural);
  if (storageType) ctx.registry.schema(storageType)?.prune(c!);
  return c!;
}

/**
 * Converts a whole collection (the real server converts a list in one review) and repeats for
 * objects written meanwhile, so that the caller, which then reads the store synchronously,
 * presents only converted objects.
 */
export async function convertCollection(
  ctx: EngineContext,
  rt: ResourceType,
  current: () => readonly KubeObject[],
): Promise<void> {
  if (!usesConversionWebhook(rt)) return;
  const target = apiVersionOf(rt);
  for (;;) {
    const key = answerKey(rt);
    const pending = current().filter((o) => o.apiVersion !== target && !converted.get(o)?.has(key));
    if (pending.length === 0) return;
    await convertStored(ctx, rt, pending);
  }
}
