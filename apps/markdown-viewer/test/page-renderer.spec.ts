import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { Book, createViewerApp, RenderError, WorkerPageRenderer, type PageRenderer } from '../src/index.ts';
import { AtomicWriter, tempDir } from './atomic-writer.ts';

/** A markdown table of about `bytes` bytes: markdown-it needs seconds for one of 1 MiB. */
export function bigTable(bytes: number): string {
  const lines = ['| n | square | note |', '|---|---|---|'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `| ${i} | ${i * i} | row ${i} of a very large table |`;
    lines.push(line);
    size += line.length + 1;
  }
  return `# Big\n\n${lines.join('\n')}\n`;
}

/** Counts renders and can hold them until released, to see sharing and caching from outside. */
class CountingRenderer implements PageRenderer {
  sources: string[] = [];
  private release: (() => void) | undefined;
  private gate: Promise<void> | undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
    this.gate = undefined;
  }
  async render(source: string): Promise<string> {
    this.sources.push(source);
    await this.gate;
    if (source.includes('BROKEN')) throw new RenderError('cannot render this page');
    return `<p>${source.length}</p>`;
  }
}

describe('WorkerPageRenderer', () => {
  const renderer = new WorkerPageRenderer({ timeoutMs: 20_000 });
  afterAll(() => renderer.close());

  it('renders a large page on its thread while this event loop keeps ticking', async () => {
    const source = bigTable(256 * 1024);
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGapMs = Math.max(worstGapMs, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    try {
      const html = await renderer.render(source);
      expect(html).toContain('<td>row 1234 of a very large table</td>');
    } finally {
      clearInterval(ticker);
    }
    const renderMs = performance.now() - started;
    // The render itself takes long enough that an in-loop render would show as one long gap.
    expect(ticks).toBeGreaterThan(3);
    expect(worstGapMs, `render took ${renderMs.toFixed(0)} ms`).toBeLessThan(Math.max(200, renderMs / 10));
  }, 60_000);

  it('a render past its timeout fails alone: the thread is replaced and the next page renders', async () => {
    // 4 MiB of table needs markdown-it well over a second even on an idle machine.
    const quick = new WorkerPageRenderer({ timeoutMs: 1000 });
    try {
      const slow = quick.render(bigTable(4 * 1024 * 1024));
      const next = quick.render('# after\n');
      await expect(slow).rejects.toThrow(/longer than 1000 ms/);
      expect(await next).toContain('after</a></h1>');
      expect(quick.renders).toBe(2);
    } finally {
      await quick.close();
    }
    await expect(quick.render('# closed')).rejects.toBeInstanceOf(RenderError);
  }, 60_000);
});

describe('Book renders each page once per content', () => {
  it('shares one render between concurrent requests and keeps it across a ConfigMap swap that left the page alone', async () => {
    const dir = join(tempDir('mdviewer-render-once-'), 'src');
    const writer = new AtomicWriter(dir);
    writer.write({ 'SUMMARY.md': '- [Big](big.md)\n- [Small](small.md)\n', 'big.md': 'big page', 'small.md': 'a' });
    const renderer = new CountingRenderer();
    const book = new Book(dir, renderer);

    renderer.hold();
    const pages = Promise.all([book.renderPage('big.md'), book.renderPage('big.md'), book.renderPage('big.md')]);
    await new Promise((resolve) => setImmediate(resolve));
    renderer.open();
    expect(await pages).toEqual(['<p>8</p>', '<p>8</p>', '<p>8</p>']);
    expect(renderer.sources).toEqual(['big page']);

    // Every file moves to a new `..<timestamp>` directory; only small.md's text changed.
    writer.write({ 'SUMMARY.md': '- [Big](big.md)\n- [Small](small.md)\n', 'big.md': 'big page', 'small.md': 'bb' });
    expect(await book.renderPage('big.md')).toBe('<p>8</p>');
    expect(await book.renderPage('small.md')).toBe('<p>2</p>');
    expect(await book.renderPage('small.md')).toBe('<p>2</p>');
    expect(renderer.sources).toEqual(['big page', 'bb']);
  });

  it('a page that fails to render answers 500 without another render until its text changes', async () => {
    const dir = join(tempDir('mdviewer-render-fail-'), 'src');
    const writer = new AtomicWriter(dir);
    writer.write({ 'SUMMARY.md': '- [P](p.md)\n', 'p.md': 'BROKEN' });
    const renderer = new CountingRenderer();
    const app = createViewerApp({ bookDir: dir, renderer, logger: pino({ level: 'silent' }) });
    expect((await request(app).get('/p.html')).status).toBe(500);
    expect((await request(app).get('/p.html')).status).toBe(500);
    expect(renderer.sources).toEqual(['BROKEN']);
    writer.write({ 'SUMMARY.md': '- [P](p.md)\n', 'p.md': 'fixed' });
    expect((await request(app).get('/p.html')).status).toBe(200);
    expect(renderer.sources).toEqual(['BROKEN', 'fixed']);
  });
});
