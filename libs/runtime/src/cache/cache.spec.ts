import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../client/client.ts';
import { AlreadyStartedError } from '../client/errors.ts';
import { FakeApiServer, json, until } from '../client/fake-server.test-helpers.ts';
import { ConfigMap, Namespace, Secret } from '../kinds/builtin.ts';
import { Cache } from './cache.ts';

let server: FakeApiServer;
let client: Client;
let ac: AbortController;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  server.route = (req, res) => {
    if (req.url.searchParams.get('watch') === 'true') {
      res.writeHead(200);
      res.flushHeaders();
      return;
    }
    if (req.url.pathname.includes('secrets')) return; // never answers: Secrets never sync
    json(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
  };
  client = new Client(server.kubeConfig());
  ac = new AbortController();
});
afterEach(async () => {
  ac.abort();
  client.close();
  await server.stop();
});

describe('Cache', () => {
  it('shares one informer per kind and scope; cluster-scoped kinds ignore the namespace scope', () => {
    const cache = new Cache(client, { namespace: 'team' });
    expect(cache.informerFor(ConfigMap)).toBe(cache.informerFor(ConfigMap));
    expect(cache.informerFor(ConfigMap, { labelSelector: 'a=b' })).not.toBe(cache.informerFor(ConfigMap));
    expect(cache.informerFor(ConfigMap, { namespace: 'other' })).not.toBe(cache.informerFor(ConfigMap));
    expect(cache.reader(ConfigMap)).toBe(cache.informerFor(ConfigMap));
    cache.informerFor(Namespace);
    expect(cache.allInformers()).toHaveLength(4);
  });

  it('starts informers created after start(), and waitForSync covers them', async () => {
    const cache = new Cache(client, { namespace: 'team' });
    cache.informerFor(ConfigMap);
    await cache.start(ac.signal);
    await expect(cache.start(ac.signal)).rejects.toBeInstanceOf(AlreadyStartedError);
    expect(await cache.waitForSync(ac.signal)).toBe(true);
    const late = cache.informerFor(Namespace);
    expect(cache.hasSynced()).toBe(false);
    expect(await cache.waitForSync(ac.signal)).toBe(true);
    expect(late.hasSynced()).toBe(true);
    expect(server.requests.some((r) => r.url.pathname === '/api/v1/namespaces')).toBe(true);
    expect(cache.isHealthy()).toBe(true);
  });

  it('waitForSync answers false when its signal aborts first, and names unhealthy informers', async () => {
    const cache = new Cache(client);
    cache.informerFor(Secret);
    await cache.start(ac.signal);
    const waiter = new AbortController();
    const result = cache.waitForSync(waiter.signal);
    await until(() => expect(server.requests.length).toBeGreaterThan(0));
    waiter.abort();
    expect(await result).toBe(false);
    expect(cache.unhealthy()).toEqual(['v1/secrets|||']);
    ac.abort();
    await cache.stopped();
  });
});
