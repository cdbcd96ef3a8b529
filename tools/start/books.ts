import { createServer, type Server } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { Cache, Client, ConfigMap, type Logger } from '@kubeloop/runtime';
import { MarkdownView } from '../../apps/markdown-view/src/api/v1/markdown-view.ts';
import { configMapName } from '../../apps/markdown-view/src/desired/viewer.ts';
import { createViewerApp, WorkerPageRenderer, type PageRenderer } from '../../apps/markdown-viewer/src/index.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { isAddressInUse, listen } from './ports.ts';

/** A MarkdownView's book as served on this machine. */
export interface ServedBook {
  namespace: string;
  name: string;
  port: number;
  url: string;
  /** The directory the viewer reads: the ConfigMap's files in the kubelet's layout. */
  dir: string;
}

export interface BookServersOptions {
  kubeConfig: KubeConfig;
  /** Books live in `<root>/<namespace>/<name>/`. */
  root: string;
  host: string;
  /** The first book's port; later books take the next free ones. */
  firstPort: number;
  log: Logger;
  /** Called when a book starts being served (after its port is bound). */
  onServed?: (book: ServedBook) => void;
  /**
   * Renders every book's pages; by default one worker thread owned by these servers. Never on
   * this event loop: `npm start` runs the API server on it, and a 1 MiB markdown table takes
   * markdown-it seconds.
   */
  renderer?: PageRenderer;
}

interface Entry {
  book: ServedBook;
  server: Server;
}

/** How many ports above firstPort a book may try before giving up. */
const PORT_SEARCH = 100;
const RETRY_MS = 1_000;

/**
 * The local stand-in for each MarkdownView's viewer Deployment. No Pods run here, so for every
 * MarkdownView this runs the markdown viewer in-process, on its own port, over a directory that
 * mirrors the ConfigMap `markdowns-<name>` the way the kubelet mounts it (atomic `..data` swap),
 * kept in sync through an informer. A view's deletion stops its server and removes its files.
 */
export class BookServers {
  private readonly cache: Cache;
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly renderer: PageRenderer;
  private readonly ownRenderer: WorkerPageRenderer | undefined;

  constructor(private readonly opts: BookServersOptions) {
    this.cache = new Cache(new Client(opts.kubeConfig, { fieldManager: 'kubeloop-books', logger: opts.log }), {
      logger: opts.log,
    });
    this.ownRenderer = opts.renderer ? undefined : new WorkerPageRenderer();
    this.renderer = opts.renderer ?? this.ownRenderer!;
  }

  /** Starts watching and returns once the first state of every existing view is served. */
  async start(): Promise<void> {
    const key = (o: { metadata: { namespace?: string; name?: string } }) =>
      `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    const onView = (o: { metadata: { namespace?: string; name?: string } }) => this.schedule(key(o));
    this.cache.informerFor(MarkdownView).addHandler({ add: onView, update: (_, o) => onView(o), delete: onView });
    const onConfigMap = (o: { metadata: { namespace?: string; name?: string } }) => {
      const name = o.metadata.name ?? '';
      if (name.startsWith(configMapName('')))
        this.schedule(`${o.metadata.namespace ?? ''}/${name.slice(configMapName('').length)}`);
    };
    this.cache
      .informerFor(ConfigMap)
      .addHandler({ add: onConfigMap, update: (_, o) => onConfigMap(o), delete: onConfigMap });
    await this.cache.start(this.abort.signal);
    await this.cache.waitForSync(this.abort.signal);
    await this.idle();
  }

  /** Every book being served, by namespace and name. */
  books(): ServedBook[] {
    return [...this.entries.values()]
      .map((e) => e.book)
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }

  /** Whether the view's ConfigMap content has reached its book directory (SUMMARY.md written). */
  hasContent(namespace: string, name: string): boolean {
    return this.written.has(`${namespace}/${name}`);
  }

  /** Resolves when no sync is queued or running. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.abort.abort();
    await this.idle();
    await Promise.all([...this.entries.values()].map((e) => closeServer(e.server)));
    this.entries.clear();
    await this.ownRenderer?.close();
    await this.cache.stopped();
  }

  private readonly written = new Set<string>();

  private schedule(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    while (this.dirty.size > 0 && !this.stopped) {
      const key = this.dirty.values().next().value as string;
      this.dirty.delete(key);
      try {
        await this.sync(key);
      } catch (error) {
        this.opts.log.error({ err: error, book: key }, 'book sync failed; retrying');
        this.retryTimer = setTimeout(() => this.schedule(key), RETRY_MS);
        this.retryTimer.unref();
      }
    }
  }

  private async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const dir = join(this.opts.root, namespace, name);
    const view = this.cache.reader(MarkdownView).get(namespace, name);
    const entry = this.entries.get(key);
    if (!view) {
      // The entry goes last: once a book is no longer listed, its server is closed and its files gone.
      if (entry) await closeServer(entry.server);
      await rm(dir, { recursive: true, force: true });
      if (entry) {
        this.entries.delete(key);
        this.written.delete(key);
        this.opts.log.info({ book: key, url: entry.book.url }, 'MarkdownView deleted: stopped serving its book');
      }
      return;
    }
    const configMap = this.cache.reader(ConfigMap).get(namespace, configMapName(name));
    if (configMap) {
      // As the kubelet: the ConfigMap going away leaves the last files in place.
      const changed = await writeAtomically(dir, payloadOf(configMap));
      if (changed)
        this.opts.log.info(
          { book: key, files: Object.keys(payloadOf(configMap)).length },
          `book files updated from configmap/${configMapName(name)}`,
        );
      if (configMap.data?.['SUMMARY.md'] !== undefined) this.written.add(key);
    } else {
      await mkdir(dir, { recursive: true });
    }
    if (!entry) await this.serve(namespace, name, dir);
  }

  private async serve(namespace: string, name: string, dir: string): Promise<void> {
    const log = this.opts.log.child({ book: `${namespace}/${name}` });
    const taken = new Set([...this.entries.values()].map((e) => e.book.port));
    for (let port = this.opts.firstPort; port < this.opts.firstPort + PORT_SEARCH && port <= 65535; port++) {
      if (taken.has(port)) continue;
      const server = createServer(createViewerApp({ bookDir: dir, logger: log, renderer: this.renderer }));
      try {
        await listen(server, port, this.opts.host);
      } catch (error) {
        if (!isAddressInUse(error)) throw error;
        log.warn({ port }, `port ${port} is in use; trying the next one for this book`);
        continue;
      }
      const book: ServedBook = { namespace, name, port, url: `http://${this.opts.host}:${port}/`, dir };
      this.entries.set(`${namespace}/${name}`, { book, server });
      log.info({ url: book.url, dir }, 'serving book (local stand-in for its viewer Deployment)');
      this.opts.onServed?.(book);
      return;
    }
    throw new Error(
      `no free port for book ${namespace}/${name} in ${this.opts.firstPort}..${this.opts.firstPort + PORT_SEARCH - 1}; pick another range with --book-port`,
    );
  }
}

function payloadOf(configMap: ConfigMap): Payload {
  const payload: Payload = { ...(configMap.data ?? {}) };
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) payload[key] = Buffer.from(value, 'base64');
  return payload;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
