/**
 * BookServers against a real HTTP API server (envtest: local-apiserver by default), with no
 * controller running: the test writes the MarkdownView and its ConfigMap itself, so what is
 * checked is only the stand-in for the viewer Pods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { Client, ConfigMap, createLogger } from '@kubeloop/runtime';
import { MarkdownView } from '../../apps/markdown-view/src/api/v1/markdown-view.ts';
import { BookServers, type ServedBook } from './books.ts';
import { freePort, listen } from './ports.ts';

const ROOT = resolve(import.meta.dirname, '../..');

let cp: ControlPlane;
let client: Client;
let root: string;
let books: BookServers;
let blocker: Server;
let firstPort: number;
const served: ServedBook[] = [];

beforeAll(async () => {
  cp = await startControlPlane({ crdPaths: [join(ROOT, 'deploy/markdown-view/crd')] });
  client = new Client(cp.kubeConfig, { fieldManager: 'books-test' });
  root = await mkdtemp(join(tmpdir(), 'books-'));
  // The first port is taken by someone else: books must skip it, not fail.
  blocker = createServer();
  firstPort = await freePort('127.0.0.1');
  await listen(blocker, firstPort, '127.0.0.1');
  books = new BookServers({
    kubeConfig: cp.kubeConfig,
    root,
    host: '127.0.0.1',
    firstPort,
    log: createLogger({ level: 'silent' }),
    onServed: (b) => served.push(b),
  });
  await books.start();
});

afterAll(async () => {
  await books?.stop();
  blocker?.close();
  await cp?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const view = (namespace: string, name: string) => ({
  apiVersion: MarkdownView.apiVersion,
  kind: 'MarkdownView',
  metadata: { namespace, name },
  spec: { markdowns: { 'SUMMARY.md': '- [One](one.md)\n', 'one.md': '# One\n' } },
});
const configMap = (namespace: string, name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name: `markdowns-${name}` },
  data,
});

describe('BookServers', () => {
  it('serves each MarkdownView on its own port (skipping ports in use) from its ConfigMap, following changes', async () => {
    const ns = await createTestNamespace(cp);
    await client.resource(MarkdownView).create(view(ns, 'alpha') as never);
    await client.resource(MarkdownView).create(view(ns, 'beta') as never);
    const alpha = await eventually(() => {
      const b = books.books().find((x) => x.namespace === ns && x.name === 'alpha');
      expect(b).toBeDefined();
      return b!;
    });
    // No ConfigMap yet: the server is up and says the book is not ready, like a viewer whose mount is empty.
    expect((await fetch(alpha.url)).status).toBe(503);
    expect(books.hasContent(ns, 'alpha')).toBe(false);

    await client
      .resource(ConfigMap)
      .create(configMap(ns, 'alpha', { 'SUMMARY.md': '- [One](one.md)\n', 'one.md': '# One\n\nfirst\n' }));
    await eventually(async () => expect(await (await fetch(alpha.url)).text()).toContain('first'));
    expect(books.hasContent(ns, 'alpha')).toBe(true);
    const version = await readlink(join(alpha.dir, '..data'));

    const cm = (await client.resource(ConfigMap).get(ns, 'markdowns-alpha'))!;
    await client
      .resource(ConfigMap)
      .update({ ...cm, data: { 'SUMMARY.md': '- [Two](two.md)\n', 'two.md': '# Two\n\nsecond\n' } });
    await eventually(async () => {
      const res = await fetch(alpha.url);
      expect(res.url).toBe(`${alpha.url}two.html`);
      expect(await res.text()).toContain('second');
    });
    expect(await readlink(join(alpha.dir, '..data'))).not.toBe(version);
    await expect(stat(join(alpha.dir, 'one.md'))).rejects.toMatchObject({ code: 'ENOENT' });

    const ports = books
      .books()
      .filter((b) => b.namespace === ns)
      .map((b) => b.port);
    expect(ports).toHaveLength(2);
    expect(ports).not.toContain(firstPort);
    expect(new Set(ports).size).toBe(2);
    expect(served.map((b) => `${b.namespace}/${b.name}`)).toEqual(
      expect.arrayContaining([`${ns}/alpha`, `${ns}/beta`]),
    );
  });

  it('a deleted MarkdownView stops its server and removes its files', async () => {
    const ns = await createTestNamespace(cp);
    await client.resource(MarkdownView).create(view(ns, 'gone') as never);
    await client
      .resource(ConfigMap)
      .create(configMap(ns, 'gone', { 'SUMMARY.md': '- [One](one.md)\n', 'one.md': 'x' }));
    const book = await eventually(() => {
      expect(books.hasContent(ns, 'gone')).toBe(true);
      return books.books().find((b) => b.namespace === ns && b.name === 'gone')!;
    });
    expect((await fetch(book.url)).status).toBe(200);
    await client.resource(MarkdownView).delete(ns, 'gone');
    await eventually(() => expect(books.books().some((b) => b.namespace === ns && b.name === 'gone')).toBe(false));
    await expect(fetch(book.url)).rejects.toThrow();
    await expect(stat(book.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
