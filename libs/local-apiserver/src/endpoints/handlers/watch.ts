import type { KubeObject, ResourceType, StoreEvent } from '../../types.ts';
import { expired } from '../../errors.ts';
import { HistoryExpiredError, clone } from '../../store/object-store.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { ListQuery, WatchEvent } from '../../engine/request-options.ts';
import { apiVersionOf } from '../../engine/present.ts';
import { parseRv, validateListOptions } from '../../engine/list-options.ts';
import { matches, selectors } from '../../engine/selection.ts';

/**
 * Starts a watch (§4). Errors found before the stream starts are thrown; later errors are sent
 * as ERROR events. `send` receives events in order; the returned function stops the watch.
 */
export function watchObjects(
  ctx: EngineContext,
  rt: ResourceType,
  namespace: string,
  q: ListQuery,
  send: (e: WatchEvent) => void,
  end: () => void,
): () => void {
  validateListOptions(q, true);
  const sel = selectors(rt, q);
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
  const matchOf = (o: KubeObject, p: KubeObject) => inScope(o) && matches(rt, sel, rt.origin === 'custom' ? p : o);
  const translate = (e: StoreEvent): WatchEvent | undefined => {
    if (e.storageKey !== rt.storageKey) return undefined;
    const p = ctx.eventViews.present(e, rt, false);
    const ok = matchOf(e.object, p);
    if (e.type === 'DELETED') return ok ? { type: 'DELETED', object: p } : undefined;
    if (e.type === 'ADDED' || !e.oldObject) return ok ? { type: 'ADDED', object: p } : undefined;
    const oldP = ctx.eventViews.present(e, rt, true);
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
    for (const o of ctx.store.list(rt.storageKey, ns || undefined)) {
      const p = ctx.present(rt, o);
      if (matchOf(o, p)) initial.push({ type: 'ADDED', object: p });
    }
    if (q.sendInitialEvents && q.allowWatchBookmarks) initial.push(bookmark(ctx.store.currentRv, true));
  } else {
    let history: StoreEvent[];
    try {
      history = ctx.store.eventsSince(startRv);
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
  unsubscribe = ctx.store.subscribe((e) => {
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
      send(bookmark(ctx.store.currentRv, false));
      timers.push(setTimeout(tick, 60_000));
    };
    timers.push(setTimeout(tick, 60_000));
  }
  return stop;
}
