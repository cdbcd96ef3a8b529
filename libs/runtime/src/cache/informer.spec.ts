import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../client/client.ts';
import { FakeApiServer, json, status, until, type RecordedRequest } from '../client/fake-server.test-helpers.ts';
import { ConfigMap } from '../kinds/builtin.ts';
import type { ConfigMap as ConfigMapT } from '../kinds/builtin.ts';
import { createLogger } from '../logging.ts';
import { Informer, type InformerOptions } from './informer.ts';
import { OWNER_UID_INDEX } from './store.ts';

function cm(name: string, rv: string, extra: Partial<ConfigMapT> = {}): ConfigMapT {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion: rv, uid: `uid-${name}` },
    ...extra,
  };
}

type Watch = { req: RecordedRequest; res: http.ServerResponse; send(type: string, obj: unknown): void };

/** A fake API server serving one list (possibly paged) and holding watches open for the test. */
class Script {
  items: ConfigMapT[] = [];
  listRV = '10';
  pageSize = Infinity;
  watches: Watch[] = [];
  listFailures: ((res: http.ServerResponse, req: RecordedRequest) => boolean)[] = [];

  route = (req: RecordedRequest, res: http.ServerResponse) => {
    if (req.url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      this.watches.push({ req, res, send: (type, object) => res.write(JSON.stringify({ type, object }) + '\n') });
      return;
    }
    const fail = this.listFailures.shift();
    if (fail && fail(res, req)) return;
    const limit = Number(req.url.searchParams.get('limit') ?? Infinity);
    const start = Number(req.url.searchParams.get('continue') ?? 0);
    const page = this.items.slice(start, start + Math.min(limit, this.pageSize));
    const next = start + page.length < this.items.length ? String(start + page.length) : undefined;
    json(res, 200, {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { resourceVersion: this.listRV, ...(next ? { continue: next } : {}) },
      items: page,
    });
  };
}

let server: FakeApiServer;
let script: Script;
let client: Client;
let ac: AbortController;
let run: Promise<void> | undefined;
const logLines: Record<string, unknown>[] = [];

beforeEach(async () => {
  server = await new FakeApiServer().start();
  script = new Script();
  server.route = script.route;
  client = new Client(server.kubeConfig(), { retryInitialMs: 1 });
  ac = new AbortController();
  logLines.length = 0;
});
afterEach(async () => {
  ac.abort();
  await run;
  client.close();
  await server.stop();
});

function start(opts: InformerOptions<ConfigMapT> = {}) {
  const logger = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void logLines.push(JSON.parse(s)) },
  });
  const informer = new Informer(client.resource(ConfigMap), { backoff: { initialMs: 5, maxMs: 20 }, logger, ...opts });
  const events: string[] = [];
  informer.addHandler({
    add: (o, initial) => events.push(`add ${o.metadata.name}${initial ? ' initial' : ''}`),
    update: (old, o) =>
      events.push(`update ${o.metadata.name} ${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
    delete: (o, unknown) => events.push(`delete ${o.metadata.name}${unknown ? ' unknown' : ''}`),
  });
  run = informer.run(ac.signal);
  return { informer, events };
}

describe('Informer', () => {
  it('lists in pages of 500 following continue, then watches from the list RV with bookmarks and a 300-600 s timeout', async () => {
    script.items = Array.from({ length: 5 }, (_, i) => cm(`c${i}`, String(i + 1)));
    script.pageSize = 2;
    const { informer, events } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    expect(informer.hasSynced()).toBe(true);
    const lists = server.requests.filter((r) => r.url.searchParams.get('watch') !== 'true');
    expect(lists.map((r) => [r.url.searchParams.get('limit'), r.url.searchParams.get('continue')])).toEqual([
      ['500', null],
      ['500', '2'],
      ['500', '4'],
    ]);
    const w = script.watches[0]!.req.url.searchParams;
    expect(w.get('resourceVersion')).toBe('10');
    expect(w.get('allowWatchBookmarks')).toBe('true');
    const timeout = Number(w.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    expect(events).toEqual(['add c0 initial', 'add c1 initial', 'add c2 initial', 'add c3 initial', 'add c4 initial']);
  });

  it('applies watch events, bookmarks move the RV the next watch starts from', async () => {
    script.items = [cm('a', '1')];
    const { informer, events } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    const w = script.watches[0]!;
    w.send('ADDED', cm('b', '11'));
    w.send('MODIFIED', cm('a', '12', { data: { k: 'v' } }));
    w.send('DELETED', cm('b', '13'));
    w.send('BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '20' } });
    await until(() => expect(informer.resourceVersion).toBe('20'));
    expect(events).toEqual(['add a initial', 'add b', 'update a 1->12', 'delete b']);
    expect(informer.get('ns', 'a')?.data).toEqual({ k: 'v' });
    w.res.end(); // server-side timeout: a clean close
    await until(() => expect(script.watches).toHaveLength(2));
    expect(script.watches[1]!.req.url.searchParams.get('resourceVersion')).toBe('20');
    expect(informer.stats.lists).toBe(1);
  });

  it('on an in-stream 410 relists and diffs: synthesized deletes, updates, initial-list adds', async () => {
    script.items = [cm('keep', '1'), cm('change', '2'), cm('gone', '3')];
    const { informer, events } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    script.items = [cm('keep', '1'), cm('change', '30'), cm('new', '31')];
    script.listRV = '40';
    script.watches[0]!.send('ERROR', status(410, 'Expired', 'too old resource version: 10 (35)'));
    await until(() => expect(script.watches).toHaveLength(2));
    expect(events.slice(3)).toEqual(['update change 2->30', 'add new initial', 'delete gone unknown']);
    expect(script.watches[1]!.req.url.searchParams.get('resourceVersion')).toBe('40');
    expect(informer.stats.relistsAfterGone).toBe(1);
    expect(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['change', 'keep', 'new']);
  });

  it('a server behind our RV (504 ResourceVersionTooLarge, in the stream or as the answer) makes it relist, not wait', async () => {
    // kube-apiserver v1.36.2's answer to a read from an RV it has not reached (recorded).
    const tooLarge = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: Too large resource version: 10, current: 4',
      reason: 'Timeout',
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
      code: 504,
    };
    script.items = [cm('kept', '1'), cm('lost', '2')];
    const { informer, events } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    // The server came back from older state: 'lost' is gone and its RVs start lower.
    script.items = [cm('kept', '1'), cm('new', '3')];
    script.listRV = '4';
    script.watches[0]!.send('ERROR', tooLarge);
    await until(() => expect(script.watches).toHaveLength(2));
    expect(informer.stats.relistsAfterTooLarge).toBe(1);
    expect(events.slice(2)).toEqual(['add new initial', 'delete lost unknown']);
    expect(script.watches[1]!.req.url.searchParams.get('resourceVersion')).toBe('4');
    // Lists never name a resourceVersion (a consistent read), so a relist cannot be refused the same way.
    for (const r of server.requests.filter((q) => q.url.searchParams.get('watch') !== 'true'))
      expect(r.url.searchParams.has('resourceVersion')).toBe(false);
  });

  it('a watch silent past the liveness window is restarted from the same RV; health follows activity', async () => {
    script.items = [cm('a', '1')];
    // A long failure backoff: a stall must reconnect at once, not wait for it.
    const { informer } = start({ livenessTimeoutMs: 150, backoff: { initialMs: 10_000, maxMs: 10_000 } });
    await until(() => expect(script.watches).toHaveLength(1));
    expect(informer.isHealthy()).toBe(true);
    await until(() => expect(script.watches.length).toBeGreaterThanOrEqual(2), 3000);
    expect(informer.stats.stalls).toBeGreaterThanOrEqual(1);
    expect(script.watches[1]!.req.url.searchParams.get('resourceVersion')).toBe('10');
    expect(informer.stats.lists).toBe(1);
    expect(logLines.some((l) => l.msg === 'watch stalled')).toBe(true);
  });

  it('a silent server makes isHealthy() false', async () => {
    script.items = [];
    const { informer } = start({ livenessTimeoutMs: 100 });
    await until(() => expect(informer.hasSynced()).toBe(true));
    server.route = () => undefined; // accept, never answer
    script.watches[0]?.res.socket?.destroy();
    await until(() => expect(informer.isHealthy()).toBe(false), 3000);
  });

  it('passes its scope (namespace, label and field selectors) to list and watch', async () => {
    const { informer } = start({ namespace: 'team', labelSelector: 'app=web', fieldSelector: 'metadata.name!=x' });
    await until(() => expect(script.watches).toHaveLength(1));
    expect(informer.hasSynced()).toBe(true);
    for (const r of server.requests) {
      expect(r.url.pathname).toBe('/api/v1/namespaces/team/configmaps');
      expect(r.url.searchParams.get('labelSelector')).toBe('app=web');
      expect(r.url.searchParams.get('fieldSelector')).toBe('metadata.name!=x');
    }
  });

  it('a 410 answer to the watch request itself also relists', async () => {
    script.items = [cm('a', '1')];
    const { informer } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    const route = script.route;
    let answered = false;
    server.route = (req, res) => {
      if (!answered && req.url.searchParams.get('watch') === 'true') {
        answered = true;
        return json(res, 410, status(410, 'Expired', 'too old resource version'));
      }
      route(req, res);
    };
    script.items = [];
    script.watches[0]!.res.socket?.destroy(); // the watch breaks; the resume gets HTTP 410
    await until(() => expect(informer.stats.relistsAfterGone).toBe(1));
    await until(() => expect(informer.list()).toEqual([]));
  });

  it('restarts a list whose continue token expired, once, from the start', async () => {
    script.items = Array.from({ length: 3 }, (_, i) => cm(`c${i}`, String(i + 1)));
    script.pageSize = 1;
    script.listFailures = [
      () => false,
      (res) => (json(res, 410, status(410, 'Expired', 'The provided continue parameter is too old')), true),
    ];
    const { informer } = start();
    await until(() => expect(informer.hasSynced()).toBe(true));
    const lists = server.requests.filter((r) => r.url.searchParams.get('watch') !== 'true');
    expect(lists.map((r) => r.url.searchParams.get('continue'))).toEqual([null, '1', null, '1', '2']);
    expect(informer.list()).toHaveLength(3);
  });

  it('logs 403 loudly naming verb and resource, and keeps retrying', async () => {
    script.listFailures = [
      (res) => (
        json(res, 403, status(403, 'Forbidden', 'configmaps is forbidden: User "x" cannot list resource "configmaps"')),
        true
      ),
    ];
    const { informer } = start();
    await until(() => expect(informer.hasSynced()).toBe(true));
    const line = logLines.find((l) => l.level === 'error');
    expect(line).toMatchObject({ verb: 'list', resource: 'configmaps' });
    expect(String(line!.msg)).toMatch(/RBAC/);
  });

  it('honours Retry-After on 429', async () => {
    script.listFailures = [
      (res) => (json(res, 429, status(429, 'TooManyRequests', 'slow'), { 'Retry-After': '1' }), true),
    ];
    // The client itself retries 429; make it give up at once so the informer's supervisor sees it.
    client.close();
    client = new Client(server.kubeConfig(), { maxRetries: 0 });
    const t0 = Date.now();
    const { informer } = start();
    await until(() => expect(informer.hasSynced()).toBe(true), 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('strips managedFields and last-applied, freezes objects, and indexes controller owners', async () => {
    script.items = [
      cm('a', '1', {
        metadata: {
          name: 'a',
          namespace: 'ns',
          resourceVersion: '1',
          managedFields: [{ manager: 'x' }],
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'p', uid: 'parent', controller: true }],
        },
        data: { k: 'v' },
      }),
    ];
    const { informer } = start();
    await until(() => expect(informer.hasSynced()).toBe(true));
    const a = informer.get('ns', 'a')!;
    expect(a.metadata.managedFields).toBeUndefined();
    expect(a.metadata.annotations).toBeUndefined();
    expect(Object.isFrozen(a) && Object.isFrozen(a.data)).toBe(true);
    expect(() => {
      (a.data as Record<string, string>).k = 'mutated';
    }).toThrow(TypeError);
    expect(informer.byIndex(OWNER_UID_INDEX, 'parent').map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('late handlers get the current objects as initial adds; handler errors do not stop the informer', async () => {
    script.items = [cm('a', '1')];
    const { informer } = start();
    await until(() => expect(script.watches).toHaveLength(1));
    const late: string[] = [];
    informer.addHandler({ add: (o, initial) => late.push(`${o.metadata.name} ${initial}`) });
    informer.addHandler({
      add: () => {
        throw new Error('handler bug');
      },
    });
    expect(late).toEqual(['a true']);
    script.watches[0]!.send('ADDED', cm('b', '11'));
    await until(() => expect(late).toEqual(['a true', 'b false']));
  });
});
