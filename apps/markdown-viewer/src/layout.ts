import type { Chapter, PageRef, Summary, SummaryItem } from './summary.ts';
import { pageUrlPath, relativeHref } from './paths.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageView {
  /** URL path of the response (`/guide/intro.html`), for relative links and aria-current. */
  urlPath: string;
  title: string;
  /** Trusted HTML: markdown-it output or the viewer's own markup. */
  bodyHtml: string;
  summary?: Summary;
  currentPath?: string;
  previous?: PageRef;
  next?: PageRef;
}

/**
 * The whole HTML document. Every string that came from the book goes through escapeHtml;
 * only bodyHtml is inserted as is, and it is markdown-it's output with raw HTML disabled.
 */
export function renderLayout(view: PageView): string {
  const bookTitle = view.summary?.title;
  const documentTitle = bookTitle && bookTitle !== view.title ? `${view.title} - ${bookTitle}` : view.title;
  const href = (to: string): string => escapeHtml(relativeHref(view.urlPath, to));
  const sidebar = view.summary
    ? `<nav class="sidebar" aria-label="Table of contents">
${bookTitle ? `<p class="book-title"><a href="${href('/')}">${escapeHtml(bookTitle)}</a></p>` : ''}
${renderToc(view.summary.items, view, href)}
</nav>`
    : '';
  const pager =
    view.previous || view.next
      ? `<nav class="pager" aria-label="Previous and next pages">
${view.previous ? `<a class="previous" rel="prev" href="${href(pageUrlPath(view.previous.path))}"><small>Previous</small>${escapeHtml(view.previous.title)}</a>` : ''}
${view.next ? `<a class="next" rel="next" href="${href(pageUrlPath(view.next.path))}"><small>Next</small>${escapeHtml(view.next.title)}</a>` : ''}
</nav>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(documentTitle)}</title>
<link rel="stylesheet" href="${href('/assets/viewer.css')}">
</head>
<body>
<input type="checkbox" id="nav-toggle" class="nav-toggle">
<label for="nav-toggle" class="nav-toggle-label">&#9776; Contents</label>
<div class="layout">
${sidebar}
<div class="content">
<main>
${view.bodyHtml}
</main>
${pager}
</div>
</div>
</body>
</html>
`;
}

function renderToc(items: SummaryItem[], view: PageView, href: (to: string) => string): string {
  const parts = items.map((item) => {
    switch (item.type) {
      case 'separator':
        return '<li><hr class="separator"></li>';
      case 'part':
        return `<li class="part-title">${escapeHtml(item.title)}</li>`;
      case 'chapter':
        return renderChapter(item, view, href);
    }
  });
  return `<ol class="toc">\n${parts.join('\n')}\n</ol>`;
}

function renderChapter(chapter: Chapter, view: PageView, href: (to: string) => string): string {
  const number = chapter.number ? `<span class="number">${chapter.number.join('.')}.</span>` : '';
  const label = `${number}${escapeHtml(chapter.title)}`;
  const entry =
    chapter.path === null
      ? `<span class="draft">${label}</span>`
      : `<a href="${href(pageUrlPath(chapter.path))}"${chapter.path === view.currentPath ? ' aria-current="page"' : ''}>${label}</a>`;
  const children = chapter.children.length
    ? `<ol>\n${chapter.children.map((child) => renderChapter(child, view, href)).join('\n')}\n</ol>`
    : '';
  return `<li>${entry}${children}</li>`;
}
