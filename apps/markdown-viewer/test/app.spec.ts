import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createViewerApp, CONTENT_SECURITY_POLICY } from '../src/index.ts';
import { tempDir } from './atomic-writer.ts';
import { SAMPLE_BOOK } from './book-fixture.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('viewer routes', () => {
  const root = tempDir('mdviewer-app-');
  const bookDir = join(root, 'book');
  const { logger, lines } = capturingLogger();
  let app: ReturnType<typeof createViewerApp>;

  beforeAll(() => {
    mkdirSync(join(bookDir, 'guide'), { recursive: true });
    for (const [name, content] of Object.entries(SAMPLE_BOOK)) writeFileSync(join(bookDir, name), content);
    writeFileSync(join(bookDir, 'guide', 'nested.md'), '# Nested\n\n[back](../intro.md)\n');
    writeFileSync(join(bookDir, 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(bookDir, 'evil.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    writeFileSync(join(bookDir, 'notes.yaml'), 'a: 1');
    writeFileSync(join(root, 'secret.md'), '# TOP SECRET\n');
    writeFileSync(join(root, 'secret.png'), 'TOP SECRET');
    symlinkSync(join(root, 'secret.md'), join(bookDir, 'leak.md'));
    app = createViewerApp({ bookDir, logger });
  });

  it('redirects / to the first page of the summary', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('intro.html');
  });

  it('renders a page with sidebar, title, and next link', async () => {
    const res = await request(app).get('/intro.html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<title>Introduction - Sample Book</title>');
    expect(res.text).toContain(
      '<a href="intro.html" aria-current="page"><span class="number">1.</span>Introduction</a>',
    );
    expect(res.text).toContain('<span class="draft"><span class="number">3.</span>Draft chapter</span>');
    expect(res.text).toContain('<a class="next" rel="next" href="setup.html"><small>Next</small>Setup</a>');
    expect(res.text).not.toContain('rel="prev"');
    expect(res.text).toContain('href="setup.html">setup</a>');
    expect(res.text).toContain('<link rel="stylesheet" href="assets/viewer.css">');
  });

  it('links previous and next through nested chapters', async () => {
    const res = await request(app).get('/details.html');
    expect(res.text).toContain('<a class="previous" rel="prev" href="setup.html"><small>Previous</small>Setup</a>');
    expect(res.text).not.toContain('rel="next"');
    expect(res.text).toContain('<span class="number">2.1.</span>Details');
  });

  it('renders pages in subdirectories with links relative to them', async () => {
    const res = await request(app).get('/guide/nested.html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="../assets/viewer.css"');
    expect(res.text).toContain('href="../intro.html"');
    expect(res.text).toContain('<title>Nested - Sample Book</title>');
  });

  it('highlights code and anchors headings', async () => {
    const res = await request(app).get('/setup.html');
    expect(res.text).toContain('<code class="hljs language-yaml">');
    expect(res.text).toContain('<h2 id="next-steps">');
  });

  it('escapes raw HTML and drops javascript: links (XSS)', async () => {
    const res = await request(app).get('/intro.html');
    expect(res.text).toContain('&lt;b&gt;book&lt;/b&gt;');
    expect(res.text).not.toContain('<b>book</b>');
    expect(res.text).not.toMatch(/href="javascript:/i);
  });

  it('escapes hostile titles from SUMMARY.md', async () => {
    const dir = join(tempDir('mdviewer-xss-'), 'book');
    mkdirSync(dir);
    writeFileSync(join(dir, 'SUMMARY.md'), '# <img src=x onerror=alert(1)>\n\n- [<script>alert(1)</script>](a.md)\n');
    writeFileSync(join(dir, 'a.md'), 'text');
    const res = await request(createViewerApp({ bookDir: dir, logger })).get('/a.html');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('redirects a markdown source URL to its page', async () => {
    const res = await request(app).get('/setup.md');
    expect(res.status).toBe(301);
    expect(res.headers['location']).toBe('setup.html');
  });

  it('sets security headers on every response', async () => {
    for (const path of ['/intro.html', '/missing.html', '/healthz', '/assets/viewer.css']) {
      const res = await request(app).get(path);
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('serves the stylesheet as CSS with revalidation', async () => {
    const res = await request(app).get('/assets/viewer.css');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.text).toContain('@media (max-width: 820px)');
    const again = await request(app).get('/assets/viewer.css').set('If-None-Match', res.headers['etag']!);
    expect(again.status).toBe(304);
  });

  it('serves images from the book with their type, and sandboxes SVG', async () => {
    const png = await request(app).get('/pic.png');
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const svg = await request(app).get('/evil.svg');
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.headers['content-security-policy']).toContain('sandbox');
    expect((await request(app).get('/notes.yaml')).status).toBe(404);
  });

  it('answers 404 with an HTML page that still shows the book', async () => {
    const res = await request(app).get('/nope/missing.html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('href="../intro.html"');
    expect((await request(app).post('/intro.html')).status).toBe(404);
  });

  it.each([
    '/../secret.md',
    '/..%2fsecret.html',
    '/..%2Fsecret.png',
    '/%2e%2e/secret.html',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/guide/..%2f..%2fsecret.html',
    '/..%5csecret.html',
    '/leak.html',
    '/leak.md',
    '/..data/SUMMARY.html',
    '/%00.html',
  ])('never serves outside the book: %s', async (path) => {
    const res = await request(app).get(path);
    expect([400, 404]).toContain(res.status);
    expect(res.text).not.toContain('TOP SECRET');
  });

  it('answers 400 for a malformed percent-encoding', async () => {
    expect((await request(app).get('/%E0%A4%A.html')).status).toBe(400);
  });

  it('reports health and readiness', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(200);
    const empty = tempDir('mdviewer-empty-');
    const notReady = createViewerApp({ bookDir: empty, logger });
    expect((await request(notReady).get('/readyz')).status).toBe(503);
    expect((await request(notReady).get('/')).status).toBe(503);
    const missing = createViewerApp({ bookDir: join(empty, 'does-not-exist'), logger });
    expect((await request(missing).get('/readyz')).status).toBe(503);
    expect((await request(missing).get('/healthz')).status).toBe(200);
    let draining = false;
    const shutting = createViewerApp({ bookDir, logger, isShuttingDown: () => draining });
    expect((await request(shutting).get('/readyz')).status).toBe(200);
    draining = true;
    expect((await request(shutting).get('/readyz')).status).toBe(503);
  });

  it('logs one JSON line per request', async () => {
    const before = lines.length;
    await request(app).get('/setup.html?x=1').set('User-Agent', 'spec');
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      method: 'GET',
      url: '/setup.html?x=1',
      status: 200,
      userAgent: 'spec',
      msg: 'request',
    });
    expect(typeof logged[0]!['durationMs']).toBe('number');
  });
});
