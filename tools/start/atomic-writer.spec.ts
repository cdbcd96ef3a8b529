import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lstat, mkdtemp, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidPayloadPathError, writeAtomically } from './atomic-writer.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const versions = async () => (await readdir(dir)).filter((n) => /^\.\.\d{4}_/.test(n));

describe('writeAtomically (the kubelet ConfigMap volume layout)', () => {
  it('writes files into a ..<timestamp> directory, points ..data at it, and links each name through ..data', async () => {
    expect(await writeAtomically(dir, { 'SUMMARY.md': '# S', 'page1.md': 'one' })).toBe(true);
    const [version] = await versions();
    expect(version).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\w+$/);
    expect(await readlink(join(dir, '..data'))).toBe(version);
    expect(await readlink(join(dir, 'SUMMARY.md'))).toBe('..data/SUMMARY.md');
    expect(await readFile(join(dir, 'page1.md'), 'utf8')).toBe('one');
    expect((await readdir(dir)).sort()).toEqual(['..data', version, 'SUMMARY.md', 'page1.md'].sort());
  });

  it('an update swaps ..data to a new version (realpaths change), removes dropped names and the old version', async () => {
    await writeAtomically(dir, { 'SUMMARY.md': '# S', 'old.md': 'old' });
    const before = await realpath(join(dir, 'SUMMARY.md'));
    expect(await writeAtomically(dir, { 'SUMMARY.md': '# S', 'new.md': 'new' })).toBe(true);
    const after = await realpath(join(dir, 'SUMMARY.md'));
    expect(after).not.toBe(before);
    expect(await versions()).toHaveLength(1);
    await expect(lstat(join(dir, 'old.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(dir, 'new.md'), 'utf8')).toBe('new');
    expect(await lstat(join(dir, '..data_tmp')).catch(() => undefined)).toBeUndefined();
  });

  it('writes nothing when the content is unchanged (no new version, realpath stays)', async () => {
    await writeAtomically(dir, { 'a.md': 'x', 'b.bin': new Uint8Array([1, 2]) });
    const before = await realpath(join(dir, 'a.md'));
    expect(await writeAtomically(dir, { 'a.md': 'x', 'b.bin': new Uint8Array([1, 2]) })).toBe(false);
    expect(await realpath(join(dir, 'a.md'))).toBe(before);
    expect(await writeAtomically(dir, { 'a.md': 'x', 'b.bin': new Uint8Array([1, 3]) })).toBe(true);
  });

  it('nested paths are linked by their first element', async () => {
    await writeAtomically(dir, { 'img/logo.txt': 'L' });
    expect(await readlink(join(dir, 'img'))).toBe('..data/img');
    expect(await readFile(join(dir, 'img', 'logo.txt'), 'utf8')).toBe('L');
  });

  it('refuses paths that would escape or collide with its own names', async () => {
    for (const bad of ['../x', '/etc/passwd', '..data', 'a/../../b', 'a//b', '']) {
      await expect(writeAtomically(dir, { [bad]: 'x' })).rejects.toBeInstanceOf(InvalidPayloadPathError);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});
