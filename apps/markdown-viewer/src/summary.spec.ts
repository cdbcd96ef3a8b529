import { describe, expect, it } from 'vitest';
import { findChapter, parseSummary, readingOrder, type Chapter } from './summary.ts';

const BOOK = `# The Operator Book

[Preface](preface.md)

- [Getting started](getting-started.md)
    - [Install](install/index.md)
    - [Not written yet]()
        - [Deep](install/deep.md)
- [Concepts](./concepts.md)

---

# Reference

- [API](reference/api.md#top)
- Plain entry

[Appendix](appendix.md)
[Glossary](glossary.md)
`;

describe('parseSummary', () => {
  const summary = parseSummary(BOOK);

  it('reads the optional title from the first h1', () => {
    expect(summary.title).toBe('The Operator Book');
  });

  it('keeps prefix, numbered, separator, part and suffix entries in order', () => {
    expect(
      summary.items.map((item) =>
        item.type === 'chapter'
          ? `${item.type}:${item.title}`
          : item.type === 'part'
            ? `part:${item.title}`
            : item.type,
      ),
    ).toEqual([
      'chapter:Preface',
      'chapter:Getting started',
      'chapter:Concepts',
      'separator',
      'part:Reference',
      'chapter:API',
      'chapter:Plain entry',
      'chapter:Appendix',
      'chapter:Glossary',
    ]);
  });

  it('nests list items, numbers numbered chapters only, and keeps numbering across parts', () => {
    const chapters = summary.items.filter((item): item is Chapter => item.type === 'chapter');
    expect(chapters[0]!.number).toBeUndefined();
    const started = chapters[1]!;
    expect(started.number).toEqual([1]);
    expect(started.children.map((c) => [c.title, c.path, c.number])).toEqual([
      ['Install', 'install/index.md', [1, 1]],
      ['Not written yet', null, [1, 2]],
    ]);
    expect(started.children[1]!.children[0]).toMatchObject({
      title: 'Deep',
      path: 'install/deep.md',
      number: [1, 2, 1],
    });
    expect(chapters[2]!.number).toEqual([2]);
    expect(chapters[3]).toMatchObject({ title: 'API', path: 'reference/api.md', number: [3] });
    expect(chapters[4]).toMatchObject({ title: 'Plain entry', path: null, number: [4] });
    expect(chapters[5]!.number).toBeUndefined();
  });

  it('normalizes ./ prefixes and strips fragments from page paths', () => {
    expect(findChapter(summary, 'concepts.md')?.title).toBe('Concepts');
    expect(findChapter(summary, 'reference/api.md')?.title).toBe('API');
    expect(findChapter(summary, 'install/deep.md')?.title).toBe('Deep');
  });

  it('gives the reading order: prefix, depth-first numbered, suffix, drafts skipped', () => {
    expect(readingOrder(summary).map((page) => page.path)).toEqual([
      'preface.md',
      'getting-started.md',
      'install/index.md',
      'install/deep.md',
      'concepts.md',
      'reference/api.md',
      'appendix.md',
      'glossary.md',
    ]);
  });

  it('works without a title and with * lists', () => {
    const plain = parseSummary('* [One](one.md)\n* [Two](two.md)\n');
    expect(plain.title).toBeUndefined();
    expect(readingOrder(plain).map((p) => p.title)).toEqual(['One', 'Two']);
  });

  it('turns links that cannot be book pages into drafts instead of links', () => {
    const hostile = parseSummary(
      [
        '- [Escape](../../etc/passwd.md)',
        '- [Absolute](/etc/passwd.md)',
        '- [Remote](https://example.com/x.md)',
        '- [Script](javascript:alert(1))',
        '- [Hidden](..data/page.md)',
        '- [Not markdown](image.png)',
        '- [Spaced](my%20page.md)',
      ].join('\n'),
    );
    const chapters = hostile.items as Chapter[];
    expect(chapters.map((c) => c.path)).toEqual([null, null, null, null, null, null, 'my page.md']);
  });

  it('keeps a page listed twice once in the reading order', () => {
    expect(readingOrder(parseSummary('- [A](a.md)\n- [A again](a.md)\n- [B](b.md)\n')).map((p) => p.path)).toEqual([
      'a.md',
      'b.md',
    ]);
  });

  it('reads an empty summary as no entries', () => {
    expect(parseSummary('')).toEqual({ items: [] });
  });
});
