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
import { apiRequest, createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { Client, ConfigMap, createLogger } from '@kubeloop/runtime';
import { MarkdownView } from '../../apps/markdown-view/src/api/v1/markdown-view.ts';
import { WorkerPageRenderer } from '../../apps/markdown-viewer/src/index.ts';
import { BookServers, type ServedBook } from './books.ts';
import { freePort, listen } from './ports.ts';

const ROOT = resolve(import.meta.dirname, '../..');

let cp: ControlPlane;
let client: Client;
let root: string;
let books: BookServers;
let blocker: Server;
let firstPort: number;
let renderer: WorkerPageRenderer;
const served: ServedBook[] = [];

beforeAll(async () => {
  cp = await startControlPlane({ crdPaths: [join(ROOT, 'deploy/markdown-view/crd')] });
  client = new Client(cp.kubeConfig, { fieldManager: 'books-test' });
  root = await mkdtemp(join(tmpdir(), 'books-'));
  // The first port is taken by someone else: books must skip it, not fail.
  blocker = createServer();
  firstPort = await freePort('127.0.0.1');
  await listen(blocker, firstPort, '127.0.0.1');
  renderer = new WorkerPageRenderer();
  books = new BookServers({
    kubeConfig: cp.kubeConfig,
    renderer,
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
  await renderer?.close();
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
    await client.resource(MarkdownView).create(view(ns, 'alpha'));
    await client.resource(MarkdownView).create(view(ns, 'beta'));
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
    await client.resource(MarkdownView).create(view(ns, 'gone'));
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

/** A markdown table of about `bytes` bytes (markdown-it needs seconds for 1 MiB of it). */
function bigTable(bytes: number): string {
  const lines = ['| n | square | note |', '|---|---|---|'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `| ${i} | ${i * i} | row ${i} of a very large table |`;
    lines.push(line);
    size += line.length + 1;
  }
  return `# Big\n\n${lines.join('\n')}\n`;
}

/**
 * Sequential GETs of each URL, one every 10 ms, until stopped. A probe's latency runs from when
 * it was due (its timer firing late counts: a blocked event loop delays the asking too) to its answer.
 */
function probe(targets: { url: string; get: () => Promise<number> }[]): {
  stop: () => Promise<{ url: string; worstMs: number; count: number }[]>;
} {
  let running = true;
  const loops = targets.map(async ({ url, get }) => {
    let worstMs = 0;
    let count = 0;
    let due = performance.now();
    while (running) {
      expect(await get()).toBe(200);
      worstMs = Math.max(worstMs, performance.now() - due);
      count++;
      due = performance.now() + 10;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { url, worstMs, count };
  });
  return {
    stop: () => {
      running = false;
      return Promise.all(loops);
    },
  };
}

describe('BookServers keep the API server responsive', () => {
  it('renders a 1 MiB table off the event loop (healthz answers within 200 ms meanwhile), once per change of the page', async () => {
    const ns = await createTestNamespace(cp);
    const big = bigTable(1000 * 1024);
    const summary = '- [Big](big.md)\n- [Small](small.md)\n';
    await client.resource(MarkdownView).create(view(ns, 'huge'));
    await client
      .resource(ConfigMap)
      .create(configMap(ns, 'huge', { 'SUMMARY.md': summary, 'big.md': big, 'small.md': '# Small\n\none\n' }));
    const book = await eventually(() => {
      expect(books.hasContent(ns, 'huge')).toBe(true);
      return books.books().find((b) => b.namespace === ns && b.name === 'huge')!;
    });

    // This process's event loop serves the API server (when local) and every book server.
    // The API server through the kubeconfig (HTTPS with its CA), the book server over plain HTTP.
    const apiServer = cp.kubeConfig.getCurrentCluster()!.server;
    const probes = probe([
      {
        url: `${book.url}healthz`,
        get: async () => await fetch(`${book.url}healthz`).then(async (r) => (await r.text(), r.status)),
      },
      ...(cp.kind === 'local'
        ? [
            {
              url: `${apiServer}/healthz`,
              get: async () => (await apiRequest(cp.kubeConfig, 'GET', '/healthz')).status,
            },
          ]
        : []),
    ]);
    const rendersBefore = renderer.renders;
    const t0 = performance.now();
    const page = await fetch(`${book.url}big.html`);
    const html = await page.text();
    const renderMs = performance.now() - t0;
    const latencies = await probes.stop();
    expect(page.status).toBe(200);
    expect(html).toContain('<td>row 1000 of a very large table</td>');
    // Rendered on this loop, one probe waits for the whole render (seconds). Off it, answers take
    // milliseconds; the bound allows for a machine so loaded that the render itself takes 10+ s.
    const boundMs = Math.max(200, renderMs / 10);
    for (const { url, worstMs, count } of latencies) {
      expect(count, url).toBeGreaterThan(3);
      expect(worstMs, `${url}: slowest answer while big.html rendered for ${renderMs.toFixed(0)} ms`).toBeLessThan(
        boundMs,
      );
    }
    expect(renderer.renders - rendersBefore).toBe(1);

    // Asked again: served from the cache.
    expect((await fetch(`${book.url}big.html`)).status).toBe(200);
    expect(renderer.renders - rendersBefore).toBe(1);

    // Another page changes: every file moves to a new `..<timestamp>` directory, but only that page renders again.
    const cm = (await client.resource(ConfigMap).get(ns, 'markdowns-huge'))!;
    await client.resource(ConfigMap).update({ ...cm, data: { ...cm.data, 'small.md': '# Small\n\ntwo\n' } });
    await eventually(async () => expect(await (await fetch(`${book.url}small.html`)).text()).toContain('two'));
    const afterSmall = renderer.renders;
    expect(await (await fetch(`${book.url}big.html`)).text()).toContain('row 1000 of a very large table');
    expect(renderer.renders).toBe(afterSmall);
  }, 120_000);
});
