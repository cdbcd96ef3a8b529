import { access, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createHash } from 'node:crypto';
import { isMissing, resolveInsideBook } from './paths.ts';
import { sharedPageRenderer, type PageRenderer } from './page-renderer.ts';
import { parseSummary, readingOrder, type PageRef, type Summary } from './summary.ts';

export interface LoadedSummary {
  summary: Summary;
  pages: PageRef[];
}

interface FileSeen {
  /** (inode, size, mtime, ctime) of the file last read at this realpath. */
  fingerprint: string;
  contentKey: string;
}

interface Rendered<T> {
  value: Promise<T>;
  bytes: number;
}

/**
 * A book directory read on demand. Every read starts with realpath + stat: a ConfigMap update
 * is visible on the very next request (the kubelet writes the new files into a fresh
 * `..<timestamp>` directory and atomically swaps the `..data` symlink, so the realpath of each
 * file changes even when size and mtime happen to match). No watcher means no missed event and
 * no timer to stop.
 *
 * Parsed and rendered results are kept by content (sha256), not by path: a ConfigMap update
 * moves every file to a new realpath, but only the pages whose text changed are rendered again,
 * and concurrent requests for one page share one render. A page whose render fails keeps
 * failing, without another render, until its text changes. Rendering goes through a
 * PageRenderer (by default a worker thread), so a slow page never blocks the event loop.
 */
export class Book {
  /** realpath → the content key of what was last read there. */
  private readonly files = new Map<string, FileSeen>();
  /** content key → result, least recently used first. */
  private readonly results = new Map<string, Rendered<unknown>>();
  private resultBytes = 0;

  constructor(
    readonly dir: string,
    private readonly renderer: PageRenderer = sharedPageRenderer(),
    private readonly maxCacheEntries = 512,
    /** Rendered HTML kept, counted as source + HTML length (a 1 MiB table page is ~3 MiB). */
    private readonly maxCacheBytes = 64 * 1024 * 1024,
  ) {}

  /** Ready means: the directory can be listed and SUMMARY.md is a readable file. */
  async isReady(): Promise<boolean> {
    try {
      await access(this.dir, constants.R_OK | constants.X_OK);
      const real = await resolveInsideBook(this.dir, 'SUMMARY.md');
      if (real === undefined) return false;
      await access(real, constants.R_OK);
      return (await stat(real)).isFile();
    } catch {
      return false;
    }
  }

  /** The parsed SUMMARY.md, or undefined while the book has none. */
  async summary(): Promise<LoadedSummary | undefined> {
    return this.cached('summary', 'SUMMARY.md', async (source) => {
      const summary = parseSummary(source);
      return { summary, pages: readingOrder(summary) };
    });
  }

  /** The rendered HTML body of a markdown page, or undefined when the file does not exist. */
  async renderPage(bookPath: string): Promise<string | undefined> {
    return this.cached(
      'page',
      bookPath,
      (source) => this.renderer.render(source),
      (html) => html.length,
    );
  }

  /** Raw bytes of a non-markdown file (images), or undefined when missing. */
  async readAsset(bookPath: string): Promise<Buffer | undefined> {
    const real = await resolveInsideBook(this.dir, bookPath);
    if (real === undefined) return undefined;
    try {
      const info = await stat(real);
      return info.isFile() ? await readFile(real) : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async cached<T>(
    kind: string,
    bookPath: string,
    build: (source: string) => Promise<T>,
    sizeOf: (value: T) => number = () => 0,
  ): Promise<T | undefined> {
    const real = await resolveInsideBook(this.dir, bookPath);
    if (real === undefined) return undefined;
    let contentKey: string;
    let source: string | undefined;
    try {
      const info = await stat(real);
      if (!info.isFile()) return undefined;
      const fingerprint = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
      const known = this.files.get(real);
      if (known && known.fingerprint === fingerprint && this.results.has(known.contentKey)) {
        contentKey = known.contentKey;
      } else {
        source = await readFile(real, 'utf8');
        contentKey = `${kind}:${createHash('sha256').update(source).digest('base64url')}`;
        this.files.delete(real);
        this.files.set(real, { fingerprint, contentKey });
        // Old timestamped directories disappear after a swap; forget their paths with them.
        while (this.files.size > this.maxCacheEntries) this.files.delete(this.files.keys().next().value as string);
      }
    } catch (error) {
      // The kubelet may delete the old `..<timestamp>` directory between realpath and read.
      if (isMissing(error)) return undefined;
      throw error;
    }
    let entry = this.results.get(contentKey) as Rendered<T> | undefined;
    if (entry) {
      this.results.delete(contentKey);
      this.results.set(contentKey, entry);
    } else {
      const text = source!;
      entry = { value: build(text), bytes: text.length };
      this.results.set(contentKey, entry);
      this.resultBytes += entry.bytes;
      const settled = entry;
      entry.value.then(
        (value) => {
          if (this.results.get(contentKey) !== settled) return;
          const extra = sizeOf(value);
          settled.bytes += extra;
          this.resultBytes += extra;
          this.evict();
        },
        () => undefined,
      );
      this.evict();
    }
    return entry.value;
  }

  private evict(): void {
    for (const [key, entry] of this.results) {
      if (
        this.results.size <= 1 ||
        (this.results.size <= this.maxCacheEntries && this.resultBytes <= this.maxCacheBytes)
      )
        break;
      this.results.delete(key);
      this.resultBytes -= entry.bytes;
    }
  }
}
