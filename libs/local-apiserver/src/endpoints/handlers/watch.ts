import type { KubeObject, ResourceType, StoreEvent } from '../../types.ts';
import { StatusError, expired } from '../../errors.ts';
import { HistoryExpiredError, clone } from '../../store/object-store.ts';
import type { EngineContext } from '../../engine/engine-context.ts';
import type { ListQuery, WatchEvent } from '../../engine/request-options.ts';
import { apiVersionOf } from '../../engine/present.ts';
import { parseRv, validateListOptions } from '../../engine/list-options.ts';
import { matches, selectors } from '../../engine/selection.ts';
import { convertStored, usesConversionWebhook } from '../../engine/convert.ts';

/** The longest delay a Node timer holds (2^31 - 1 ms); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  const startRv = parseRv(q.resourceVersion, 'watch');
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

  // WATCH-13: a negative timeout has passed before the watch starts; kube-apiserver v1.36.2
  // answers 200 with this one ERROR event (checked with -1 and -100), even before initial events.
  if (q.timeoutSeconds !== undefined && q.timeoutSeconds < 0) {
    send({ type: 'ERROR', object: new StatusError(500, 'InternalError', 'context deadline exceeded').status as never });
    queueMicrotask(finish);
    return stop;
  }

  // With a conversion webhook (CRD-V-4) each step first converts the objects it presents, so
  // steps run one after the other on a promise chain (order kept); a failed conversion ends the
  // watch with an ERROR event carrying the 500. Without one, everything stays synchronous.
  const webhook = usesConversionWebhook(rt);
  let chain = Promise.resolve();
  const deliver = (objects: KubeObject[], events: () => WatchEvent[]) => {
    if (!webhook) {
      for (const w of events()) send(w);
      return;
    }
    chain = chain.then(async () => {
      if (stopped) return;
      try {
        await convertStored(ctx, rt, objects);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        if (stopped) return;
        send({ type: 'ERROR', object: e.status as unknown as KubeObject });
        finish();
        return;
      }
      if (stopped) return;
      for (const w of events()) send(w);
    });
  };
  const objectsOf = (e: StoreEvent) => (e.oldObject ? [e.object, e.oldObject] : [e.object]);

  // The initial state is sent when asked for (sendInitialEvents=true) or, by default, when no RV
  // (or 0) is given; sendInitialEvents=false without an RV starts from now with nothing.
  const initialState =
    q.sendInitialEvents === true || (q.sendInitialEvents === undefined && (startRv === undefined || startRv === 0));
  if (!initialState && !startRv) {
    // Nothing to replay.
  } else if (initialState) {
    const all = ctx.store.list(rt.storageKey, ns || undefined);
    const endRv = ctx.store.currentRv;
    deliver([...all], () => {
      const initial: WatchEvent[] = [];
      for (const o of all) {
        const p = ctx.present(rt, o);
        if (matchOf(o, p)) initial.push({ type: 'ADDED', object: p });
      }
      if (q.sendInitialEvents && q.allowWatchBookmarks) initial.push(bookmark(endRv, true));
      return initial;
    });
  } else {
    let history: StoreEvent[];
    try {
      const typeStart = ctx.registry.watchStartRv(rt);
      if (startRv! < typeStart) throw new HistoryExpiredError(startRv!, typeStart);
      history = ctx.store.eventsSince(startRv!);
    } catch (e) {
      if (e instanceof HistoryExpiredError) {
        send({ type: 'ERROR', object: expired(e.message).status as unknown as KubeObject });
        queueMicrotask(finish);
        return stop;
      }
      throw e;
    }
    for (const e of history) {
      deliver(objectsOf(e), () => {
        const w = translate(e);
        return w ? [w] : [];
      });
    }
  }
  // Subscribing after the synchronous replay is race-free: nothing commits in between.
  unsubscribe = ctx.store.subscribe((e) => {
    if (stopped) return;
    if (startRv !== undefined && e.rv <= startRv) return;
    if (e.storageKey !== rt.storageKey) return;
    deliver(objectsOf(e), () => {
      const w = translate(e);
      return w ? [w] : [];
    });
  });
  // WATCH-13: a periodic bookmark names an RV newer than the one the watch started from (its
  // RV, or where the server was when it started): the cacher sends only events past the watch's
  // RV, bookmarks included, so a quiet watch gets none (checked on kube-apiserver v1.36.2) and a
  // client never moves backwards (a watch from a future RV waits for the server, WATCH-7).
  const bookmarkAfter = startRv ? startRv : ctx.store.currentRv;
  const sendBookmark = () => {
    if (q.allowWatchBookmarks && ctx.store.currentRv > bookmarkAfter) send(bookmark(ctx.store.currentRv, false));
  };
  // WATCH-13: unset or 0 is the server's own 30–60 min; a huge value is taken (capped at what a
  // timer can hold, ~24.8 days) — Node fires an overflowing setTimeout at once.
  const timeoutMs =
    q.timeoutSeconds !== undefined && q.timeoutSeconds > 0
      ? Math.min(q.timeoutSeconds * 1000, MAX_TIMER_MS)
      : (1800 + Math.random() * 1800) * 1000;
  const deadline = Date.now() + timeoutMs;
  timers.push(setTimeout(finish, timeoutMs));
  if (q.allowWatchBookmarks) {
    // The cacher's schedule (cacheWatcher.nextBookmarkTime): every minute, and 2 s before the
    // watch's deadline, so that a client resumes from a fresh RV; none once that moment passed.
    const schedule = (afterBookmark = false) => {
      const now = Date.now();
      const next = Math.min(now + 60_000, deadline - 2_000);
      // (A timer may fire a millisecond early: right after a bookmark, "now" is its moment.)
      if (next <= now || (afterBookmark && next - now < 1_000)) return;
      timers.push(
        setTimeout(() => {
          if (stopped) return;
          sendBookmark();
          schedule(true);
        }, next - now),
      );
    };
    schedule();
  }
  return stop;
}
