import { realpath } from 'node:fs/promises';
import { posix, sep } from 'node:path';

/**
 * Turns a book-relative path into its canonical posix form, or null when it cannot name a file
 * inside the book: absolute paths, `..` escapes, NUL bytes, backslashes (a Windows separator
 * would let `..\` through a posix check) and dot-files (the kubelet's `..data` and
 * `..2026_…` directories are implementation details of a ConfigMap mount, not pages).
 */
export function normalizeBookPath(relative: string): string | null {
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const stripped = relative.replace(/^(\.\/)+/, '');
  if (stripped === '' || stripped.startsWith('/')) return null;
  const segments = stripped.split('/');
  if (segments.some((segment) => segment !== '.' && segment.startsWith('.'))) return null;
  const normalized = posix.normalize(stripped);
  if (normalized.startsWith('../') || normalized === '..' || normalized.startsWith('/')) return null;
  return normalized;
}

/** Thrown when a path would leave the book directory; the server answers 404 without detail. */
export class OutsideBookError extends Error {
  readonly code = 'OutsideBook';
  constructor(readonly requested: string) {
    super(`path ${JSON.stringify(requested)} is outside the book directory; only files below it are served`);
    this.name = 'OutsideBookError';
  }
}

/**
 * Resolves a normalized book path to the real file it names and proves the real file is still
 * inside the real book directory. The lexical check in normalizeBookPath cannot see symlinks: a
 * ConfigMap mount is all symlinks (`page.md -> ..data/page.md`, `..data -> ..2026_…/`), which
 * stay inside, but a symlink planted in a hostPath book could point anywhere, so the decision is
 * made on realpaths. Returns undefined when the file does not exist.
 */
export async function resolveInsideBook(bookDir: string, bookPath: string): Promise<string | undefined> {
  const realRoot = await realpath(bookDir);
  let real: string;
  try {
    real = await realpath(posix.join(realRoot.split(sep).join('/'), bookPath));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw new OutsideBookError(bookPath);
  }
  return real;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG';
}

/**
 * The href from one page's URL to another's, relative, so the book keeps working when served
 * under a path prefix (an ingress or `kubectl proxy`) and not only at `/`.
 */
export function relativeHref(fromUrlPath: string, toUrlPath: string): string {
  const from = posix.join('/', fromUrlPath);
  // A browser resolves against the directory of the URL: `/a/` is itself a directory.
  const fromDir = fromUrlPath.endsWith('/') ? from : posix.dirname(from);
  const target = posix.join('/', toUrlPath);
  const rel = posix.relative(fromDir, target);
  if (rel === '') return './';
  return toUrlPath.endsWith('/') && !rel.endsWith('/') ? `${rel}/` : rel;
}

/** `guide/intro.md` is served at `guide/intro.html`, like mdBook's output. */
export function pageUrlPath(bookPath: string): string {
  return bookPath.replace(/\.md$/i, '.html');
}
