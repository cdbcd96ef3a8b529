import { access, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { MarkdownIt } from 'markdown-it';
import { isMissing, resolveInsideBook } from './paths.ts';
import { createMarkdownRenderer } from './render.ts';
import { parseSummary, readingOrder, type PageRef, type Summary } from './summary.ts';

export interface LoadedSummary {
  summary: Summary;
  pages: PageRef[];
}

interface CacheEntry<T> {
  fingerprint: string;
  value: T;
}

/**
 * A book directory read on demand. Every read starts with realpath + stat, and parsed or
 * rendered results are cached under (realpath, inode, size, mtime, ctime). That makes a
 * ConfigMap update visible on the very next request: the kubelet writes the new files into a
 * fresh `..<timestamp>` directory and atomically swaps the `..data` symlink, so the realpath
 * of `SUMMARY.md` changes even when size and mtime happen to match. No watcher means no missed
 * event and no timer to stop — at the price of two syscalls per file per request.
 */
export class Book {
  private readonly cache = new Map<string, CacheEntry<unknown>>();

  constructor(
    readonly dir: string,
    private readonly md: MarkdownIt = createMarkdownRenderer(),
    private readonly maxCacheEntries = 512,
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
    return this.cached('SUMMARY.md', (source) => {
      const summary = parseSummary(source);
      return { summary, pages: readingOrder(summary) };
    });
  }

  /** The rendered HTML body of a markdown page, or undefined when the file does not exist. */
  async renderPage(bookPath: string): Promise<string | undefined> {
    return this.cached(bookPath, (source) => this.md.render(source));
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

  private async cached<T>(bookPath: string, build: (source: string) => T): Promise<T | undefined> {
    const real = await resolveInsideBook(this.dir, bookPath);
    if (real === undefined) return undefined;
    let source: string;
    let fingerprint: string;
    try {
      const info = await stat(real);
      if (!info.isFile()) return undefined;
      fingerprint = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
      const hit = this.cache.get(real);
      if (hit && hit.fingerprint === fingerprint) return hit.value as T;
      source = await readFile(real, 'utf8');
    } catch (error) {
      // The kubelet may delete the old `..<timestamp>` directory between realpath and read.
      if (isMissing(error)) return undefined;
      throw error;
    }
    const value = build(source);
    this.cache.delete(real);
    this.cache.set(real, { fingerprint, value });
    // Old timestamped directories disappear after a swap; evict the oldest entries with them.
    while (this.cache.size > this.maxCacheEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    return value;
  }
}
