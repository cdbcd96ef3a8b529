import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { StartError } from './errors.ts';

export const DATA_DIR = '..data';
const DATA_DIR_TMP = '..data_tmp';

/** File name → content, as a ConfigMap's data (and decoded binaryData). */
export type Payload = Record<string, string | Uint8Array>;

export class InvalidPayloadPathError extends StartError {
  constructor(path: string, why: string) {
    super('InvalidPayloadPath', `cannot write "${path}" into a book directory: ${why}`);
  }
}

/**
 * Writes a ConfigMap's files the way the kubelet projects a ConfigMap volume (its AtomicWriter),
 * so a reader sees either the old set of files or the new one, never a mix:
 *
 * ```
 * dir/..2026_11_23_10_00_00.123456/SUMMARY.md   the files of this version
 * dir/..data -> ..2026_11_23_10_00_00.123456     swapped with one rename(2)
 * dir/SUMMARY.md -> ..data/SUMMARY.md            user-visible names, stable across versions
 * ```
 *
 * The markdown viewer relies on exactly this (it caches by realpath, which changes on every swap),
 * so serving the demo's books from such a directory exercises the same path as in a Pod.
 * Returns false when the files were already as given (no new version written).
 */
export async function writeAtomically(dir: string, payload: Payload): Promise<boolean> {
  for (const path of Object.keys(payload)) validatePath(path);
  await mkdir(dir, { recursive: true });
  const oldVersion = await currentVersion(dir);
  const oldPaths = oldVersion ? await listFiles(join(dir, oldVersion)) : [];
  if (oldVersion && (await sameContent(join(dir, oldVersion), oldPaths, payload))) return false;

  const version = await mkdtemp(join(dir, `..${timestamp(new Date())}.`));
  for (const [path, content] of Object.entries(payload)) {
    const file = join(version, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { mode: 0o644 });
  }
  const tmpLink = join(dir, DATA_DIR_TMP);
  await rm(tmpLink, { force: true });
  await symlink(basename(version), tmpLink);
  await rename(tmpLink, join(dir, DATA_DIR));

  const newTops = new Set(Object.keys(payload).map(topLevel));
  for (const top of newTops) {
    const link = join(dir, top);
    const existing = await lstat(link).catch(() => undefined);
    if (!existing) await symlink(posix.join(DATA_DIR, top), link);
  }
  for (const top of new Set(oldPaths.map(topLevel))) {
    if (!newTops.has(top)) await unlink(join(dir, top)).catch(ignoreMissing);
  }
  if (oldVersion) await rm(join(dir, oldVersion), { recursive: true, force: true });
  return true;
}

/** The version directory `..data` points at, if any. */
async function currentVersion(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA_DIR));
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? posix.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

async function sameContent(versionDir: string, oldPaths: string[], payload: Payload): Promise<boolean> {
  const paths = Object.keys(payload);
  if (paths.length !== oldPaths.length || !paths.every((p) => oldPaths.includes(p))) return false;
  for (const path of paths) {
    const current = await readFile(join(versionDir, path));
    const wanted = payload[path]!;
    if (!current.equals(typeof wanted === 'string' ? Buffer.from(wanted) : Buffer.from(wanted))) return false;
  }
  return true;
}

function topLevel(path: string): string {
  return path.split('/')[0]!;
}

/** The kubelet's rules: relative, no `..` element, no leading `..` (reserved for its own names). */
function validatePath(path: string): void {
  if (path === '') throw new InvalidPayloadPathError(path, 'empty name');
  if (path.startsWith('/')) throw new InvalidPayloadPathError(path, 'absolute path');
  if (path.startsWith('..')) throw new InvalidPayloadPathError(path, 'names starting with ".." are reserved');
  if (path.split('/').some((part) => part === '..' || part === ''))
    throw new InvalidPayloadPathError(path, 'contains an empty or ".." element');
}

function timestamp(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getUTCFullYear()}_${pad(date.getUTCMonth() + 1)}_${pad(date.getUTCDate())}_${pad(date.getUTCHours())}_${pad(date.getUTCMinutes())}_${pad(date.getUTCSeconds())}`;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
