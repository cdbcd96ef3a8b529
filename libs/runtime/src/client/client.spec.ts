import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigMap, Namespace } from '../kinds/builtin.ts';
import { defineKind, Type } from '../kinds/kind.ts';
import { Client } from './client.ts';
import { ApiError, ConnectionError, isAlreadyExists, isConflict, isNotFound, UnsupportedPatchError } from './errors.ts';
import { FakeApiServer, json, status } from './fake-server.test-helpers.ts';

const Widget = defineKind({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  spec: Type.Object({ size: Type.Integer() }),
});

let server: FakeApiServer;
let client: Client;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  client = new Client(server.kubeConfig('team-a'), { fieldManager: 'math', retryInitialMs: 1, retryMaxMs: 5 });
});
afterEach(async () => {
  client.close();
  await server.stop();
});

describe('Client paths, auth and bodies', () => {
  it('builds core, group, namespaced and cluster-scoped paths and sends the bearer token', async () => {
    server.route = (req, res) => json(res, 200, { metadata: { name: 'x' } });
    await client.resource(ConfigMap).get('ns1', 'cm');
    await client.resource(Widget).get('ns1', 'w');
    await client.resource(Namespace).get('', 'ns1');
    await client.resource(Widget).list({ labelSelector: 'a=b', limit: 10 });
    expect(server.requests.map((r) => r.url.pathname + r.url.search)).toEqual([
      '/api/v1/namespaces/ns1/configmaps/cm',
      '/apis/test.kubeloop.dev/v1/namespaces/ns1/widgets/w',
      '/api/v1/namespaces/ns1',
      '/apis/test.kubeloop.dev/v1/widgets?labelSelector=a%3Db&limit=10',
    ]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer secret-token');
    expect(client.defaultNamespace).toBe('team-a');
  });

  it('get returns undefined on 404; delete returns false when already gone', async () => {
    server.route = (req, res) => json(res, 404, status(404, 'NotFound', 'configmaps "cm" not found'));
    expect(await client.resource(ConfigMap).get('ns', 'cm')).toBeUndefined();
    expect(await client.resource(ConfigMap).delete('ns', 'cm')).toBe(false);
  });

  it('writes carry fieldManager and set apiVersion/kind', async () => {
    server.route = (req, res) => json(res, 201, JSON.parse(req.body));
    await client.resource(ConfigMap).create({ metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url.searchParams.get('fieldManager')).toBe('math');
    expect(JSON.parse(req.body)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('withFieldManager shares the connection but writes under another manager', async () => {
    server.route = (req, res) => json(res, 200, { metadata: { name: 'a' } });
    const other = client.withFieldManager('math-status');
    await other.resource(ConfigMap).patch('ns', 'a', { data: {} });
    await client.resource(ConfigMap).patch('ns', 'a', { data: {} });
    expect(server.requests.map((r) => r.url.searchParams.get('fieldManager'))).toEqual(['math-status', 'math']);
    expect(other.transport).toBe(client.transport);
  });

  it('patch sends the content type of its type; strategic is refused for custom kinds before sending', async () => {
    server.route = (req, res) => json(res, 200, { metadata: { name: 'a' } });
    await client.resource(ConfigMap).patch('ns', 'a', { data: { k: 'v' } }, 'strategic');
    await client.resource(Widget).patchStatus('ns', 'a', [{ op: 'add', path: '/status', value: {} }], 'json');
    expect(server.requests.map((r) => [r.headers['content-type'], r.url.pathname])).toEqual([
      ['application/strategic-merge-patch+json', '/api/v1/namespaces/ns/configmaps/a'],
      ['application/json-patch+json', '/apis/test.kubeloop.dev/v1/namespaces/ns/widgets/a/status'],
    ]);
    await expect(client.resource(Widget).patch('ns', 'a', {}, 'strategic')).rejects.toThrow(UnsupportedPatchError);
    expect(server.requests).toHaveLength(2);
  });

  it('error predicates', async () => {
    server.route = (req, res) =>
      req.method === 'POST'
        ? json(res, 409, status(409, 'AlreadyExists', 'configmaps "a" already exists'))
        : json(res, 409, status(409, 'Conflict', 'the object has been modified'));
    const e1 = await client
      .resource(ConfigMap)
      .create({ metadata: { name: 'a', namespace: 'ns' } })
      .catch((e) => e);
    const e2 = await client
      .resource(ConfigMap)
      .update({ metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } })
      .catch((e) => e);
    expect([isAlreadyExists(e1), isConflict(e1), isConflict(e2), isNotFound(e2)]).toEqual([true, false, true, false]);
    expect(e2).toBeInstanceOf(ApiError);
    expect(e2.code).toBe(409);
  });
});

describe('Client retries', () => {
  it('retries GET on 503 and on a dropped connection', async () => {
    let n = 0;
    server.route = (req, res) => {
      n++;
      if (n === 1) return json(res, 503, status(503, 'ServiceUnavailable', 'etcd is down'));
      if (n === 2) return void res.socket?.destroy();
      json(res, 200, { metadata: { name: 'cm' } });
    };
    expect(await client.resource(ConfigMap).get('ns', 'cm')).toEqual({ metadata: { name: 'cm' } });
    expect(n).toBe(3);
  });

  it('does not resend a write after 500 or a broken connection', async () => {
    server.route = (req, res) => json(res, 500, status(500, 'InternalError', 'boom'));
    await expect(client.resource(ConfigMap).create({ metadata: { name: 'a', namespace: 'ns' } })).rejects.toMatchObject(
      { code: 500 },
    );
    expect(server.requests).toHaveLength(1);
    server.route = (req, res) => void res.socket?.destroy();
    // Both go out on the pooled socket from the first request; neither may run twice.
    await expect(
      client.resource(ConfigMap).create({ metadata: { generateName: 'a-', namespace: 'ns' } }),
    ).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(2);
    await expect(
      client.resource(ConfigMap).patch('ns', 'a', [{ op: 'add', path: '/data/x', value: '1' }], 'json'),
    ).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(3);
  });

  it('resends a replay-safe write once when its pooled keep-alive socket was dead', async () => {
    server.route = (req, res) => json(res, 200, { metadata: { name: 'a' } });
    await client.resource(ConfigMap).get('ns', 'a'); // leaves one idle pooled socket
    let n = 0;
    server.route = (req, res) => {
      if (n++ === 0) return void res.socket?.destroy();
      json(res, 200, JSON.parse(req.body));
    };
    await client.resource(ConfigMap).update({ metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } });
    expect(n).toBe(2);
  });

  it('honours 429 Retry-After, for writes too', async () => {
    const times: number[] = [];
    server.route = (req, res) => {
      times.push(Date.now());
      if (times.length === 1)
        return json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '1' });
      json(res, 201, JSON.parse(req.body));
    };
    await client.resource(ConfigMap).create({ metadata: { name: 'a', namespace: 'ns' } });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries and reports the last answer', async () => {
    const c = new Client(server.kubeConfig(), { maxRetries: 2, retryInitialMs: 1 });
    server.route = (req, res) => json(res, 503, status(503, 'ServiceUnavailable', 'down'));
    await expect(c.resource(ConfigMap).list({ namespace: 'ns' })).rejects.toMatchObject({ code: 503 });
    expect(server.requests).toHaveLength(3);
    c.close();
  });

  it('403 names the verb and the resource', async () => {
    server.route = (req, res) =>
      json(
        res,
        403,
        status(403, 'Forbidden', 'widgets.test.kubeloop.dev is forbidden: User "x" cannot list resource "widgets"'),
      );
    const err = (await client
      .resource(Widget)
      .list({ namespace: 'ns' })
      .catch((e) => e)) as ApiError;
    expect(err.code).toBe(403);
    expect(err.verb).toBe('list');
    expect(err.resource).toBe('widgets.test.kubeloop.dev');
    expect(err.message).toMatch(/forbidden: list widgets\.test\.kubeloop\.dev in namespace "ns"/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Client watch', () => {
  it('streams events until the server closes and sends the watch parameters', async () => {
    server.route = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}\n{"type":"BOOK');
      setImmediate(() => res.end('MARK","object":{"metadata":{"resourceVersion":"9"}}}\n'));
    };
    const events = [];
    for await (const ev of client
      .resource(ConfigMap)
      .watch({ namespace: 'ns', resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 300 })) {
      events.push(ev);
    }
    expect(events.map((e) => [e.type, e.object.metadata?.resourceVersion])).toEqual([
      ['ADDED', '5'],
      ['BOOKMARK', '9'],
    ]);
    const q = server.requests[0]!.url.searchParams;
    expect([q.get('watch'), q.get('resourceVersion'), q.get('allowWatchBookmarks'), q.get('timeoutSeconds')]).toEqual([
      'true',
      '4',
      'true',
      '300',
    ]);
  });

  it('ends quietly when aborted, and throws ConnectionError when the stream is cut', async () => {
    server.route = (req, res) => {
      res.writeHead(200);
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    };
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const ev of client.resource(ConfigMap).watch({ signal: ac.signal })) {
      seen.push(ev.type);
      ac.abort();
    }
    expect(seen).toEqual(['ADDED']);

    const it2 = client.resource(ConfigMap).watch({})[Symbol.asyncIterator]();
    expect((await it2.next()).value?.type).toBe('ADDED');
    server.dropConnections();
    await expect(it2.next()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('a non-200 answer to a watch is an ApiError', async () => {
    server.route = (req, res) => json(res, 410, status(410, 'Expired', 'too old resource version'));
    const it = client.resource(ConfigMap).watch({ resourceVersion: '1' })[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 410, reason: 'Expired' });
  });
});
