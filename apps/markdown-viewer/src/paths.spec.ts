import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/atomic-writer.ts';
import { normalizeBookPath, OutsideBookError, pageUrlPath, relativeHref, resolveInsideBook } from './paths.ts';

describe('normalizeBookPath', () => {
  it.each([
    ['intro.md', 'intro.md'],
    ['./intro.md', 'intro.md'],
    ['guide//setup.md', 'guide/setup.md'],
    ['guide/./setup.md', 'guide/setup.md'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeBookPath(input)).toBe(expected);
  });

  it.each([
    '../secret.md',
    'guide/../../secret.md',
    '/etc/passwd',
    '..data/SUMMARY.md',
    '.git/config',
    'a\\..\\b.md',
    'a\0.md',
    '',
    './',
  ])('refuses %j', (input) => {
    expect(normalizeBookPath(input)).toBeNull();
  });
});

describe('resolveInsideBook', () => {
  const root = tempDir('mdv-paths-');
  const book = join(root, 'book');
  mkdirSync(join(book, 'sub'), { recursive: true });
  writeFileSync(join(book, 'page.md'), '# page');
  writeFileSync(join(root, 'secret.md'), 'secret');
  symlinkSync(join(root, 'secret.md'), join(book, 'escape.md'));
  symlinkSync('page.md', join(book, 'alias.md'));

  it('resolves files and in-book symlinks', async () => {
    expect(await resolveInsideBook(book, 'page.md')).toMatch(/book\/page\.md$/);
    expect(await resolveInsideBook(book, 'alias.md')).toMatch(/book\/page\.md$/);
  });

  it('answers undefined for a missing file', async () => {
    expect(await resolveInsideBook(book, 'missing.md')).toBeUndefined();
    expect(await resolveInsideBook(book, 'page.md/child.md')).toBeUndefined();
  });

  it('refuses a symlink that leads out of the book', async () => {
    await expect(resolveInsideBook(book, 'escape.md')).rejects.toBeInstanceOf(OutsideBookError);
    await expect(resolveInsideBook(book, 'escape.md')).rejects.toMatchObject({ code: 'OutsideBook' });
  });
});

describe('relativeHref', () => {
  it.each([
    ['/intro.html', '/setup.html', 'setup.html'],
    ['/guide/intro.html', '/setup.html', '../setup.html'],
    ['/guide/intro.html', '/guide/b/c.html', 'b/c.html'],
    ['/', '/intro.html', 'intro.html'],
    ['/guide/', '/assets/viewer.css', '../assets/viewer.css'],
    ['/intro.html', '/', './'],
    ['/a/b.html', '/', '../'],
  ])('from %s to %s is %s', (from, to, expected) => {
    expect(relativeHref(from, to)).toBe(expected);
  });

  it('maps markdown pages to html URLs', () => {
    expect(pageUrlPath('guide/intro.md')).toBe('guide/intro.html');
  });
});
