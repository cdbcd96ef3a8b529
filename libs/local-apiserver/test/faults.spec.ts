/**
 * Issue 15 parts 2 and 3: one failing watcher does not stop delivery to the others, and a
 * value the server cannot serialize is refused before it is stored (a 4,000-deep array in a
 * ConfigMap was stored, then every list and watch of ConfigMaps in the namespace answered 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../src/store/object-store.ts';
import { TestServer } from './helpers.ts';

const cms = '/api/v1/namespaces/default/configmaps';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(() => t.stop());

describe('watchers are isolated (issue 15 part 2)', () => {
  it('a listener that throws neither stops delivery to the others nor fails the write', () => {
    const store = new ObjectStore(100);
    const seen: string[] = [];
    store.subscribe((e) => seen.push(`a:${e.object.metadata!.name}`));
    store.subscribe(() => {
      throw new Error('broken watcher');
    });
    store.subscribe((e) => seen.push(`c:${e.object.metadata!.name}`));
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    expect(() => store.create('/configmaps', obj)).not.toThrow();
    expect(seen).toEqual(['a:x', 'c:x']);
    expect(store.get('/configmaps', 'default', 'x')).toBeDefined();
  });
});

describe('what cannot be stored is refused before it is stored (issue 15 parts 2 and 3)', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('nesting the server cannot serialize is a 400 naming the limit, before anything is stored', async () => {
    // 4,000 levels were stored, then overflowed every list and watch of the namespace (500) until deleted.
    const deep = await t.req(
      'POST',
      cms,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep4000"},"extra":{"a":${nested(4000)}}}`,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/nest/);
    expect((await t.get(`${cms}/deep4000`)).status).toBe(404);
    expect((await t.get(cms)).status).toBe(200);
    const w = await t.watch(`${cms}?watch=1`, (ev) => ev.length > 0, 3000);
    expect(w.status).toBe(200);
  });
});
