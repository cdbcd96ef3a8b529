export { createViewerApp, CONTENT_SECURITY_POLICY, type ViewerOptions } from './app.ts';
export { Book } from './book.ts';
export { RenderError, WorkerPageRenderer, sharedPageRenderer, type PageRenderer } from './page-renderer.ts';
export { createMarkdownRenderer, isSafeLink, slugify } from './render.ts';
export { parseSummary, readingOrder, type Summary, type SummaryItem, type Chapter, type PageRef } from './summary.ts';
