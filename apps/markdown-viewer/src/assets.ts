/**
 * The viewer's stylesheet, served as `/assets/viewer.css` so the Content-Security-Policy can
 * forbid inline styles and scripts alike. Kept in a TS module so the compiled `dist/` carries it
 * without a copy step. The sidebar collapses behind a CSS-only toggle on narrow screens: the
 * page ships no JavaScript at all.
 */
export const VIEWER_CSS = `
:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --accent: #0a58ca; --border: #d1d9e0;
  --sidebar-bg: #f6f8fa; --code-bg: #f6f8fa; --active-bg: #dde8fb;
  --kw: #cf222e; --str: #0a3069; --num: #0550ae; --com: #6e7781; --fn: #8250df; --type: #953800;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --accent: #58a6ff; --border: #30363d;
    --sidebar-bg: #010409; --code-bg: #161b22; --active-bg: #1f2d45;
    --kw: #ff7b72; --str: #a5d6ff; --num: #79c0ff; --com: #8b949e; --fn: #d2a8ff; --type: #ffa657;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Helvetica, Arial, sans-serif;
}
a { color: var(--accent); }
.layout { display: flex; min-height: 100vh; }
.sidebar {
  flex: 0 0 290px; background: var(--sidebar-bg); border-right: 1px solid var(--border);
  padding: 1.25rem 1rem 2rem; position: sticky; top: 0; height: 100vh; overflow-y: auto;
  font-size: 0.95rem;
}
.sidebar .book-title { font-size: 1.1rem; font-weight: 700; margin: 0 0 1rem; line-height: 1.3; }
.sidebar .book-title a { color: inherit; text-decoration: none; }
.toc, .toc ol { list-style: none; margin: 0; padding: 0; }
.toc ol { padding-left: 1rem; }
.toc li { margin: 0.1rem 0; }
.toc a, .toc .draft { display: block; padding: 0.2rem 0.5rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
.toc a:hover { background: var(--active-bg); }
.toc a[aria-current="page"] { background: var(--active-bg); color: var(--accent); font-weight: 600; }
.toc .draft { color: var(--muted); font-style: italic; }
.toc .number { color: var(--muted); margin-right: 0.35rem; font-variant-numeric: tabular-nums; }
.toc .part-title { margin: 1rem 0 0.25rem; padding: 0 0.5rem; font-weight: 700; color: var(--muted);
  text-transform: uppercase; font-size: 0.78rem; letter-spacing: 0.04em; }
.toc .separator { border: 0; border-top: 1px solid var(--border); margin: 0.6rem 0.5rem; }
.nav-toggle, .nav-toggle-label { display: none; }
.content { flex: 1 1 auto; min-width: 0; padding: 2rem 2.5rem 3rem; }
.content main { max-width: 46rem; margin: 0 auto; }
main h1, main h2, main h3, main h4 { line-height: 1.25; margin: 1.8em 0 0.6em; }
main h1:first-child { margin-top: 0; }
main h1 { font-size: 2rem; } main h2 { font-size: 1.5rem; border-bottom: 1px solid var(--border); padding-bottom: 0.3em; }
main a.header { color: inherit; text-decoration: none; }
main a.header:hover { text-decoration: underline; }
main img { max-width: 100%; height: auto; }
main blockquote { margin: 1em 0; padding: 0.2em 1em; color: var(--muted); border-left: 4px solid var(--border); }
main table { display: block; overflow-x: auto; border-collapse: collapse; margin: 1em 0; }
main th, main td { border: 1px solid var(--border); padding: 0.4em 0.8em; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
:not(pre) > code { background: var(--code-bg); padding: 0.15em 0.35em; border-radius: 5px; }
pre { background: var(--code-bg); padding: 1rem; border-radius: 8px; overflow-x: auto; line-height: 1.45; border: 1px solid var(--border); }
.pager { display: flex; justify-content: space-between; gap: 1rem; max-width: 46rem; margin: 3rem auto 0;
  border-top: 1px solid var(--border); padding-top: 1rem; }
.pager a { display: block; max-width: 48%; padding: 0.6rem 0.9rem; border: 1px solid var(--border); border-radius: 8px; text-decoration: none; }
.pager a small { display: block; color: var(--muted); font-size: 0.8rem; }
.pager .next { margin-left: auto; text-align: right; }
.not-found { text-align: center; padding-top: 3rem; }
.hljs-keyword, .hljs-selector-tag, .hljs-literal, .hljs-built_in { color: var(--kw); }
.hljs-string, .hljs-regexp, .hljs-attr-value, .hljs-template-string { color: var(--str); }
.hljs-number, .hljs-symbol, .hljs-attr, .hljs-variable, .hljs-template-variable { color: var(--num); }
.hljs-comment, .hljs-quote, .hljs-meta { color: var(--com); font-style: italic; }
.hljs-title, .hljs-section, .hljs-function .hljs-title { color: var(--fn); }
.hljs-type, .hljs-class .hljs-title, .hljs-params { color: var(--type); }
.hljs-addition { color: #1a7f37; } .hljs-deletion { color: #cf222e; }
@media (max-width: 820px) {
  body { font-size: 16px; }
  .layout { display: block; }
  .nav-toggle-label {
    display: flex; align-items: center; gap: 0.5rem; position: sticky; top: 0; z-index: 2;
    padding: 0.75rem 1rem; background: var(--sidebar-bg); border-bottom: 1px solid var(--border);
    font-weight: 600; cursor: pointer;
  }
  .sidebar { display: none; position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--border); }
  .nav-toggle:checked ~ .layout .sidebar { display: block; }
  .content { padding: 1.25rem 1rem 2rem; }
  main h1 { font-size: 1.6rem; }
  .pager { flex-direction: column; }
  .pager a { max-width: 100%; }
  .pager .next { margin-left: 0; }
}
`;
