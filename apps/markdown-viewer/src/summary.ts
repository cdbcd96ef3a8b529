import markdownit, { type Token } from 'markdown-it';
import { normalizeBookPath } from './paths.ts';

/**
 * A book's table of contents, read from SUMMARY.md with mdBook's semantics:
 *
 * ```markdown
 * # Book title                 optional, first line
 * [Preface](preface.md)        prefix chapters: plain links before the first list
 * - [Intro](intro.md)          numbered chapters: a (nested) list of links
 *   - [Detail](intro/detail.md)
 * - [Not written yet]()        draft chapter: in the sidebar, no page
 * ---                          separator
 * # Part two                   part title (a heading after the first list)
 * - [More](more.md)
 * [Appendix](appendix.md)      suffix chapters: plain links after the lists
 * ```
 *
 * mdBook rejects some of these shapes; a viewer should rather show what it can, so unknown
 * constructs are skipped and a list item without a link becomes a draft entry.
 */
export interface Summary {
  title?: string;
  items: SummaryItem[];
}

export type SummaryItem = Chapter | Separator | PartTitle;

export interface Chapter {
  type: 'chapter';
  title: string;
  /** Book-relative posix path of the markdown file; null for drafts and unusable links. */
  path: string | null;
  /** Section number of numbered chapters ([1, 2] is "1.2."); absent for prefix/suffix. */
  number?: number[];
  children: Chapter[];
}

export interface Separator {
  type: 'separator';
}

export interface PartTitle {
  type: 'part';
  title: string;
}

/** A page in reading order: what previous/next links walk through. */
export interface PageRef {
  title: string;
  path: string;
}

// A tokenizer only: rendering options do not matter here, and html stays off like everywhere.
const tokenizer = markdownit({ html: false, linkify: false });

export function parseSummary(source: string): Summary {
  const tokens = tokenizer.parse(source, {});
  const summary: Summary = { items: [] };
  let seenContent = false;
  let topNumber = 0;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') {
      const inline = tokens[i + 1]!;
      const text = inlineText(inline.children ?? []).trim();
      if (!seenContent && summary.title === undefined && token.tag === 'h1') {
        summary.title = text;
      } else if (text) {
        summary.items.push({ type: 'part', title: text });
      }
      seenContent = true;
      i = skipToClose(tokens, i);
    } else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      const end = skipToClose(tokens, i);
      const chapters = parseList(tokens.slice(i + 1, end - 1), [], topNumber);
      topNumber += chapters.length;
      summary.items.push(...chapters);
      seenContent = true;
      i = end;
    } else if (token.type === 'paragraph_open') {
      // Prefix or suffix chapters: each link in the paragraph is one chapter, no number.
      const inline = tokens[i + 1]!;
      for (const link of linksIn(inline.children ?? [])) {
        summary.items.push({ type: 'chapter', title: link.title, path: link.path, children: [] });
      }
      seenContent = true;
      i = skipToClose(tokens, i);
    } else if (token.type === 'hr') {
      summary.items.push({ type: 'separator' });
      seenContent = true;
      i += 1;
    } else {
      i = token.nesting === 1 ? skipToClose(tokens, i) : i + 1;
    }
  }
  return summary;
}

/** Every linked chapter in reading order (prefix, numbered depth-first, suffix); drafts skipped. */
export function readingOrder(summary: Summary): PageRef[] {
  const pages: PageRef[] = [];
  const seen = new Set<string>();
  const visit = (chapter: Chapter): void => {
    if (chapter.path !== null && !seen.has(chapter.path)) {
      seen.add(chapter.path);
      pages.push({ title: chapter.title, path: chapter.path });
    }
    chapter.children.forEach(visit);
  };
  for (const item of summary.items) if (item.type === 'chapter') visit(item);
  return pages;
}

/** Finds the chapter for a page path (first occurrence), for its title in the page head. */
export function findChapter(summary: Summary, path: string): Chapter | undefined {
  const search = (chapters: Chapter[]): Chapter | undefined => {
    for (const chapter of chapters) {
      if (chapter.path === path) return chapter;
      const found = search(chapter.children);
      if (found) return found;
    }
    return undefined;
  };
  return search(summary.items.filter((item): item is Chapter => item.type === 'chapter'));
}

/** Parses the tokens between a list's open and close into chapters, numbering them. */
function parseList(tokens: Token[], parentNumber: number[], start: number): Chapter[] {
  const chapters: Chapter[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.type !== 'list_item_open') {
      i = token.nesting === 1 ? skipToClose(tokens, i) : i + 1;
      continue;
    }
    const end = skipToClose(tokens, i);
    const body = tokens.slice(i + 1, end - 1);
    const number = [...parentNumber, start + chapters.length + 1];
    let title = '';
    let path: string | null = null;
    let children: Chapter[] = [];
    let j = 0;
    while (j < body.length) {
      const inner = body[j]!;
      if (inner.type === 'inline' && title === '') {
        const link = linksIn(inner.children ?? [])[0];
        if (link) {
          title = link.title;
          path = link.path;
        } else {
          title = inlineText(inner.children ?? []).trim();
        }
        j += 1;
      } else if (inner.type === 'bullet_list_open' || inner.type === 'ordered_list_open') {
        const listEnd = skipToClose(body, j);
        children = children.concat(parseList(body.slice(j + 1, listEnd - 1), number, children.length));
        j = listEnd;
      } else {
        j += 1;
      }
    }
    if (title !== '' || children.length > 0) {
      chapters.push({ type: 'chapter', title: title || 'Untitled', path, number, children });
    }
    i = end;
  }
  return chapters;
}

interface SummaryLink {
  title: string;
  path: string | null;
}

function linksIn(children: Token[]): SummaryLink[] {
  const links: SummaryLink[] = [];
  for (let i = 0; i < children.length; i++) {
    const token = children[i]!;
    if (token.type !== 'link_open') continue;
    let depth = 1;
    let j = i + 1;
    for (; j < children.length && depth > 0; j++) {
      if (children[j]!.type === 'link_open') depth++;
      if (children[j]!.type === 'link_close') depth--;
    }
    const title = inlineText(children.slice(i + 1, j - 1)).trim();
    links.push({ title: title || 'Untitled', path: summaryLinkPath(String(token.attrGet('href') ?? '')) });
    i = j - 1;
  }
  return links;
}

/**
 * Only book-relative markdown files become pages; an external URL, an absolute path or a path
 * leaving the book is shown like a draft rather than turned into a link the server would refuse.
 */
function summaryLinkPath(href: string): string | null {
  if (href === '') return null;
  const withoutFragment = href.split('#')[0]!.split('?')[0]!;
  if (/^[a-z][a-z0-9+.-]*:/i.test(withoutFragment) || withoutFragment.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutFragment);
  } catch {
    return null;
  }
  const normalized = normalizeBookPath(decoded);
  return normalized !== null && normalized.toLowerCase().endsWith('.md') ? normalized : null;
}

function inlineText(children: Token[]): string {
  let text = '';
  for (const child of children) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.children) text += inlineText(child.children);
  }
  return text;
}

/** Index just past the token that closes the block opened at `start` (same level). */
function skipToClose(tokens: Token[], start: number): number {
  const open = tokens[start]!;
  if (open.nesting !== 1) return start + 1;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    depth += tokens[i]!.nesting;
    if (depth === 0) return i + 1;
  }
  return tokens.length;
}
