import { parentPort } from 'node:worker_threads';
import { createMarkdownRenderer } from './render.ts';

/**
 * The thread that turns markdown into HTML for a PageRenderer. It holds the one markdown-it
 * instance and nothing else, so a slow page (markdown-it needs seconds for a 1 MiB table) costs
 * this thread's time, never the event loop that serves requests.
 */
export interface RenderRequest {
  id: number;
  source: string;
}
/** `ready` once loaded (a render's time limit starts only then), then one reply per request. */
export type RenderReply = { ready: true } | { id: number; html: string } | { id: number; error: string };

const md = createMarkdownRenderer();
parentPort!.on('message', ({ id, source }: RenderRequest) => {
  let reply: RenderReply;
  try {
    reply = { id, html: md.render(source) };
  } catch (error) {
    reply = { id, error: (error as Error)?.stack ?? String(error) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true } satisfies RenderReply);
