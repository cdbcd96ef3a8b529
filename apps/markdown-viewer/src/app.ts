import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { pino, type Logger } from 'pino';
import { VIEWER_CSS } from './assets.ts';
import { Book } from './book.ts';
import type { PageRenderer } from './page-renderer.ts';
import { escapeHtml, renderLayout, type PageView } from './layout.ts';
import { normalizeBookPath, OutsideBookError, pageUrlPath, relativeHref } from './paths.ts';
import { findChapter } from './summary.ts';

export interface ViewerOptions {
  /** Directory holding SUMMARY.md and the pages (a ConfigMap mount in a cluster). */
  bookDir: string;
  logger?: Logger;
  /** Readiness turns false once this returns true, so endpoints drain before the server closes. */
  isShuttingDown?: () => boolean;
  /** Where markdown becomes HTML; by default the process's shared worker thread. */
  renderer?: PageRenderer;
}

/**
 * Script and style only from our own origin (there is no script at all today; `'none'` keeps it
 * that way), images from the book or https, nothing may frame the book.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self' https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Served from the book as files besides markdown; anything else is 404. */
const ASSET_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const CSS_ETAG = `"${createHash('sha256').update(VIEWER_CSS).digest('base64url').slice(0, 27)}"`;

/** Builds the viewer's express app without listening; main.ts owns the socket. */
export function createViewerApp(options: ViewerOptions): Express {
  const log = options.logger ?? pino({ name: 'markdown-viewer' });
  const book = new Book(options.bookDir, options.renderer);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(requestLog(log));
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });

  app.get('/readyz', async (_req, res) => {
    const shuttingDown = options.isShuttingDown?.() ?? false;
    const ready = !shuttingDown && (await book.isReady());
    res
      .status(ready ? 200 : 503)
      .type('text/plain')
      .send(ready ? 'ok\n' : shuttingDown ? 'shutting down\n' : 'book directory has no readable SUMMARY.md\n');
  });

  app.get('/assets/viewer.css', (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', CSS_ETAG);
    if (req.headers['if-none-match'] === CSS_ETAG) {
      res.status(304).end();
      return;
    }
    res.type('text/css; charset=utf-8').send(VIEWER_CSS);
  });

  app.use(async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    await serveBook(book, req, res, next);
  });

  app.use(async (req, res) => {
    await sendNotFound(book, req, res);
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: error, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    res
      .status(500)
      .type('text/html; charset=utf-8')
      .send(
        renderLayout({
          urlPath: req.path,
          title: 'Server error',
          bodyHtml:
            '<div class="not-found"><h1>Something went wrong</h1><p>The page could not be rendered. Try again in a moment.</p></div>',
        }),
      );
  });

  return app;
}

async function serveBook(book: Book, req: Request, res: Response, next: NextFunction): Promise<void> {
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(req.path);
  } catch {
    res.status(400).type('text/plain').send('malformed URL\n');
    return;
  }
  try {
    if (urlPath === '/') {
      await serveIndex(book, req, res);
      return;
    }
    const bookPath = normalizeBookPath(urlPath.slice(1));
    if (bookPath === null) {
      next();
      return;
    }
    const extension = extname(bookPath).toLowerCase();
    if (extension === '.html') {
      const markdownPath = bookPath.slice(0, -'.html'.length) + '.md';
      const body = await book.renderPage(markdownPath);
      if (body === undefined) {
        next();
        return;
      }
      const loaded = await book.summary();
      const index = loaded?.pages.findIndex((page) => page.path === markdownPath) ?? -1;
      const chapter = loaded ? findChapter(loaded.summary, markdownPath) : undefined;
      const view: PageView = {
        urlPath: req.path,
        title: chapter?.title ?? firstHeading(body) ?? markdownPath,
        bodyHtml: body,
        currentPath: markdownPath,
        ...(loaded ? { summary: loaded.summary } : {}),
        ...(index > 0 ? { previous: loaded!.pages[index - 1]! } : {}),
        ...(index >= 0 && index + 1 < loaded!.pages.length ? { next: loaded!.pages[index + 1]! } : {}),
      };
      sendHtml(res, 200, renderLayout(view));
      return;
    }
    if (extension === '.md') {
      // Hand-typed or old links to the source file: send readers to the rendered page.
      if ((await book.renderPage(bookPath)) === undefined) {
        next();
        return;
      }
      res.redirect(301, relativeHref(req.path, `/${pageUrlPath(bookPath)}`));
      return;
    }
    const type = ASSET_TYPES[extension];
    const bytes = type ? await book.readAsset(bookPath) : undefined;
    if (!type || bytes === undefined) {
      next();
      return;
    }
    if (extension === '.svg') {
      // An SVG opened directly is a document that could carry script; sandbox it.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type(type).send(bytes);
  } catch (error) {
    if (error instanceof OutsideBookError) {
      next();
      return;
    }
    throw error;
  }
}

async function serveIndex(book: Book, req: Request, res: Response): Promise<void> {
  const loaded = await book.summary();
  if (!loaded) {
    sendHtml(
      res,
      503,
      renderLayout({
        urlPath: req.path,
        title: 'Book not ready',
        bodyHtml:
          '<div class="not-found"><h1>This book has no SUMMARY.md yet</h1><p>Add a SUMMARY.md listing the pages; this page updates without a restart.</p></div>',
      }),
    );
    return;
  }
  const first = loaded.pages[0];
  if (first) {
    res.setHeader('Cache-Control', 'no-cache');
    res.redirect(302, relativeHref(req.path, `/${pageUrlPath(first.path)}`));
    return;
  }
  sendHtml(
    res,
    200,
    renderLayout({
      urlPath: req.path,
      title: loaded.summary.title ?? 'Book',
      summary: loaded.summary,
      bodyHtml: `<h1>${escapeHtml(loaded.summary.title ?? 'Book')}</h1><p>SUMMARY.md links no pages yet.</p>`,
    }),
  );
}

async function sendNotFound(book: Book, req: Request, res: Response): Promise<void> {
  let summary;
  try {
    summary = (await book.summary())?.summary;
  } catch {
    summary = undefined;
  }
  sendHtml(
    res,
    404,
    renderLayout({
      urlPath: req.path,
      title: 'Page not found',
      ...(summary ? { summary } : {}),
      bodyHtml: `<div class="not-found"><h1>Page not found</h1><p>There is no page at this address.</p><p><a href="${escapeHtml(relativeHref(req.path, '/'))}">Go to the first page</a></p></div>`,
    }),
  );
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).setHeader('Cache-Control', 'no-cache');
  res.type('text/html; charset=utf-8').send(html);
}

function firstHeading(html: string): string | undefined {
  const match = /<h1[^>]*>(?:<a[^>]*>)?([^<]*)/.exec(html);
  return match?.[1]
    ? match[1]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
    : undefined;
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
}

/** One JSON line per request, written when the response has been handed to the socket. */
function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      log.info(
        {
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          bytes: Number(res.getHeader('content-length') ?? 0),
          userAgent: req.headers['user-agent'],
        },
        'request',
      );
    });
    next();
  };
}
