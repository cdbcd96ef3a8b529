import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceType } from '../../types.ts';
import type { ListQuery, WatchEvent } from '../../engine/request-options.ts';
import type { AcceptChoice } from '../negotiation.ts';
import { transformPartial } from '../partial-metadata.ts';
import type { HandlerDeps } from '../handler-deps.ts';
import { resourceVersionTooLarge } from '../../errors.ts';
import { validateListOptions } from '../../engine/list-options.ts';

/** JSON of watch event objects, kept while the object lives (one serialization per event, not per watcher). */
const watchJson = new WeakMap<object, string>();

function watchObjectJson(o: KubeObject): string {
  let j = watchJson.get(o);
  if (j === undefined) watchJson.set(o, (j = JSON.stringify(o)));
  return j;
}

/**
 * Streams a watch: one JSON event per line, headers flushed at once, events of one event-loop
 * turn in one write; stop() of the server cuts it through `deps.watches`.
 */
export async function serveWatch(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  namespace: string,
  lq: ListQuery,
  choice: AcceptChoice,
  includeObject: 'None' | 'Metadata' | 'Object',
): Promise<void> {
  const { engine, modules } = deps;
  // WATCH-7: a watch-list (sendInitialEvents) from an RV the server has not reached waits for it
  // like a list, then ends with the 504 as an ERROR event; a plain watch just waits (below).
  const rv = lq.resourceVersion;
  if (lq.sendInitialEvents && rv !== undefined && /^\d+$/.test(rv) && Number(rv) > engine.store.currentRv) {
    validateListOptions(lq, true);
    if (!(await engine.store.whenReached(Number(rv), deps.futureRvWaitMs))) {
      const status = resourceVersionTooLarge(Number(rv), engine.store.currentRv).status;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      return;
    }
  }
  let headersSent = false;
  const pending: string[] = [];
  const convert = choice.convert?.kind;
  const useTable = convert === 'Table' && !!modules.table;
  const encode = (e: WatchEvent): string | undefined => {
    let object: unknown = e.object;
    const isObjectEvent = e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED';
    if (useTable && isObjectEvent) {
      const t = modules.table!.toTable(rt, [e.object], {
        includeObject,
        listMeta: { resourceVersion: e.object.metadata?.resourceVersion },
      });
      if (t !== undefined) object = t;
    } else if (convert && convert !== 'Table' && e.type !== 'ERROR') {
      // Each event's object is transformed on its own: as PartialObjectMetadataList that fails,
      // and kube-apiserver v1.36.2 then sends no events at all (asked by hand: an empty stream).
      if (convert === 'PartialObjectMetadataList') return undefined;
      object = transformPartial(rt, e.object, choice, false);
    }
    // Same bytes as JSON.stringify({ type, object }); the object's JSON is shared by every
    // watcher of the event (the engine hands them all the same presented object).
    const json = object === e.object ? watchObjectJson(e.object) : JSON.stringify(object);
    return `{"type":${JSON.stringify(e.type)},"object":${json}}\n`;
  };
  let corked = false;
  const send = (e: WatchEvent) => {
    const line = encode(e);
    if (line === undefined) return;
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
  // `end` reads stopFn and could run before it is assigned (should the engine end a watch at
  // once): as a `let` that read is an undefined, where a `const` would throw (temporal dead zone).
  // eslint-disable-next-line prefer-const -- see above
  let stopFn: (() => void) | undefined;
  const end = () => {
    if (stopFn) deps.watches.delete(stopFn);
    if (res.writableEnded) return;
    // The last event (a conversion ERROR) may sit in a cork from this turn: flush it before the end.
    if (corked) {
      corked = false;
      res.uncork();
    }
    res.end();
  };
  // Throws before any byte is written for errors found up front (WATCH-14).
  const stop = engine.watch(rt, namespace, lq, send, end);
  stopFn = () => {
    stop();
    end();
  };
  deps.watches.add(stopFn);
  res.writeHead(200, {
    'Content-Type': 'application/json',
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
