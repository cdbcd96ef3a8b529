import hljs from 'highlight.js';
import markdownit, { type MarkdownIt, type StateCore, type Token } from 'markdown-it';

/**
 * The one markdown-it configuration the viewer renders with. Safety comes from construction,
 * not from sanitizing afterwards: `html: false` makes raw HTML in a page plain escaped text,
 * and validateLink refuses every URL scheme that could run code or smuggle content.
 */
export function createMarkdownRenderer(): MarkdownIt {
  const md: MarkdownIt = markdownit({
    html: false,
    linkify: true,
    typographer: false,
    highlight: (code, lang) => highlightCode(md, code, lang),
  });
  md.validateLink = isSafeLink;
  md.core.ruler.push('heading_anchors', headingAnchors);
  md.core.ruler.push('markdown_links_to_pages', markdownLinksToPages);
  return md;
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Relative URLs, fragments and http(s)/mailto only. Browsers ignore ASCII whitespace and control
 * characters inside a scheme (`java\tscript:` runs), so they are removed before looking at it.
 */
export function isSafeLink(url: string): boolean {
  // markdown-it has already decoded entities (`javascript&colon;` arrives as `javascript:`).
  // eslint-disable-next-line no-control-regex -- control characters are what this removes (see above)
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return scheme === null || SAFE_SCHEMES.has(`${scheme[1]}:`);
}

function highlightCode(md: MarkdownIt, code: string, lang: string): string {
  const language = lang.trim().split(/\s+/)[0] ?? '';
  const known = language !== '' && hljs.getLanguage(language) !== undefined;
  const body = known ? hljs.highlight(code, { language, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
  const languageClass = language ? ` language-${md.utils.escapeHtml(language)}` : '';
  return `<pre class="hljs"><code class="hljs${languageClass}">${body}</code></pre>`;
}

/**
 * GitHub-style ids on headings (`## Getting started` → `getting-started`, repeats get `-1`,
 * `-2`), with the heading text wrapped in a link to itself so readers can copy a section URL.
 */
function headingAnchors(state: StateCore): void {
  const used = new Map<string, number>();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== 'heading_open') continue;
    const inline = tokens[i + 1];
    if (!inline || inline.type !== 'inline' || !inline.children) continue;
    const base = slugify(plainText(inline.children)) || 'section';
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    let id = count === 0 ? base : `${base}-${count}`;
    while (count > 0 && used.has(id)) id = `${id}-1`;
    used.set(id, used.get(id) ?? 1);
    open.attrSet('id', id);
    const linkOpen = new state.Token('link_open', 'a', 1);
    linkOpen.attrSet('class', 'header');
    linkOpen.attrSet('href', `#${id}`);
    const linkClose = new state.Token('link_close', 'a', -1);
    // Links inside a heading would nest anchors; keep their text only.
    const flattened = inline.children.filter((child) => child.type !== 'link_open' && child.type !== 'link_close');
    inline.children = [linkOpen, ...flattened, linkClose];
  }
}

export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s+/g, '-');
}

function plainText(children: Token[]): string {
  return children
    .map((child) =>
      child.type === 'text' || child.type === 'code_inline'
        ? child.content
        : child.children
          ? plainText(child.children)
          : '',
    )
    .join('');
}

/** `[next](setup.md#install)` points at the rendered page `setup.html#install`. */
function markdownLinksToPages(state: StateCore): void {
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') {
        const href = token.attrGet('href');
        if (href !== null) token.attrSet('href', pageHref(String(href)));
      }
      if (token.children) visit(token.children);
    }
  };
  visit(state.tokens);
}

export function pageHref(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#')) return href;
  const match = /^([^?#]*?)\.md((?:[?#].*)?)$/i.exec(href);
  return match ? `${match[1]}.html${match[2]}` : href;
}
