import { createServer } from 'node:http';
import { pino } from 'pino';
import { createViewerApp } from './app.ts';

/**
 * The container entry point: BOOK_DIR (default /book/src, where the MarkdownView controller
 * mounts the ConfigMap) and PORT (default 3000). On SIGTERM readiness turns false first, the
 * server stops accepting, idle keep-alive sockets close, and in-flight requests get
 * SHUTDOWN_TIMEOUT_MS (default 10 s, inside the pod's 30 s grace period) to finish.
 */
const log = pino({ name: 'markdown-viewer' });
const bookDir = process.env['BOOK_DIR'] || '/book/src';
const port = Number(process.env['PORT'] || 3000);
const shutdownTimeoutMs = Number(process.env['SHUTDOWN_TIMEOUT_MS'] || 10_000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log.fatal({ port: process.env['PORT'] }, 'PORT must be an integer between 0 and 65535');
  process.exit(2);
}

let shuttingDown = false;
const app = createViewerApp({ bookDir, logger: log, isShuttingDown: () => shuttingDown });
const server = createServer(app);
server.keepAliveTimeout = 65_000;

server.listen(port, () => {
  const address = server.address();
  log.info(
    { port: typeof address === 'object' && address ? address.port : port, bookDir },
    'markdown viewer listening',
  );
});

function shutdown(signal: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, 'shutting down: draining connections');
  const force = setTimeout(() => {
    log.warn({ timeoutMs: shutdownTimeoutMs }, 'connections still open at the shutdown deadline; closing them');
    server.closeAllConnections();
  }, shutdownTimeoutMs);
  force.unref();
  server.close((error) => {
    if (error) log.error({ err: error }, 'server close failed');
    log.info('stopped');
    process.exit(error ? 1 : 0);
  });
  server.closeIdleConnections();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
