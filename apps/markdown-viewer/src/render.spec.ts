import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer, isSafeLink, pageHref, slugify } from './render.ts';

const md = createMarkdownRenderer();

describe('createMarkdownRenderer', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = md.render('Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](javascript&colon;alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '![x](data:image/png;base64,iVBORw0KGgo=)',
    '<javascript:alert(1)>',
    '[x](file:///etc/passwd)',
  ])('produces no link or image for %s', (source) => {
    const html = md.render(source);
    expect(html).not.toMatch(/<a |<img /);
    expect(html.toLowerCase()).not.toMatch(/href="(javascript|vbscript|data|file):/);
  });

  it('keeps http(s), mailto, relative and fragment links', () => {
    const html = md.render(
      '[a](https://example.com) [b](mailto:x@example.com) [c](other.html) [d](#top) <https://k8s.io>',
    );
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('href="mailto:x@example.com"');
    expect(html).toContain('href="other.html"');
    expect(html).toContain('href="#top"');
    expect(html).toContain('href="https://k8s.io"');
  });

  it('points links to markdown files at their rendered pages', () => {
    const html = md.render('[next](setup.md#install) [up](../index.md) [ext](https://x.io/a.md) [img](pic.png)');
    expect(html).toContain('href="setup.html#install"');
    expect(html).toContain('href="../index.html"');
    expect(html).toContain('href="https://x.io/a.md"');
    expect(html).toContain('href="pic.png"');
  });

  it('gives headings unique ids and a self link', () => {
    const html = md.render(
      '# Getting started\n\n## Install `kubectl`\n\n## Install `kubectl`\n\n## Install kubectl-1\n',
    );
    expect(html).toContain(
      '<h1 id="getting-started"><a class="header" href="#getting-started">Getting started</a></h1>',
    );
    expect(html).toContain('<h2 id="install-kubectl">');
    expect(html).toContain('<h2 id="install-kubectl-1">');
    expect(html).toContain('<h2 id="install-kubectl-1-1">');
  });

  it('does not nest anchors when a heading holds a link', () => {
    const html = md.render('## See [docs](https://k8s.io)\n');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('See docs');
  });

  it('highlights fenced code in known languages and escapes unknown ones', () => {
    const html = md.render('```yaml\nkind: MarkdownView # sample\n```\n\n```nolang\n<b>x</b>\n```\n');
    expect(html).toContain('<pre class="hljs"><code class="hljs language-yaml">');
    expect(html).toContain('<span class="hljs-attr">kind:</span>');
    expect(html).toContain('<span class="hljs-comment"># sample</span>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('escapes a hostile language name', () => {
    const html = md.render('```"><script>\ncode\n```\n');
    expect(html).not.toContain('<script>');
  });
});

describe('isSafeLink', () => {
  it('ignores whitespace and control characters browsers drop from schemes', () => {
    expect(isSafeLink('java\tscript:alert(1)')).toBe(false);
    expect(isSafeLink(' \u0001javascript:alert(1)')).toBe(false);
    expect(isSafeLink('page.html')).toBe(true);
  });
});

describe('slugify and pageHref', () => {
  it('slugifies like GitHub', () => {
    expect(slugify('Hello, World! 2.0')).toBe('hello-world-20');
    expect(slugify('Über größe')).toBe('über-größe');
  });
  it('leaves query and fragment in place', () => {
    expect(pageHref('a/b.md?x=1#y')).toBe('a/b.html?x=1#y');
    expect(pageHref('#only')).toBe('#only');
  });
});
