import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RenderReply, RenderRequest } from './render.worker.ts';

/** Markdown source in, page body HTML out. */
export interface PageRenderer {
  render(source: string): Promise<string>;
}

/** A render that did not finish in time or threw; the page answers 500 and is not retried until it changes. */
export class RenderError extends Error {
  readonly code = 'RenderFailed';
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

export interface WorkerPageRendererOptions {
  /** A render running longer than this is abandoned: the thread is replaced. Default 60 s. */
  timeoutMs?: number;
}

interface Job {
  source: string;
  resolve(html: string): void;
  reject(error: Error): void;
}

const HERE = fileURLToPath(import.meta.url);
/** `.ts` when running from source (tests, `npm start`, `nx serve`), `.js` in the built image. */
const WORKER_URL = new URL(`./render.worker${extname(HERE)}`, import.meta.url);
/** tsx's ESM API, only needed (and only resolved) when running from source. */
const TSX_ESM_API = extname(HERE) === '.ts' ? tsxEsmApi() : '';

function tsxEsmApi(): string {
  // Its `import` entry: the `require` one computes its own paths wrongly inside a worker.
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const entry = (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  return new URL(entry.import.default, pathToFileURL(pkg)).href;
}

/**
 * Renders markdown on one worker thread, one page at a time, in arrival order. The event loop
 * that serves HTTP (in `npm start` also the API server's) only hands over the source and gets
 * the HTML back: a page that takes seconds to render delays nothing else. A render that runs
 * past `timeoutMs`, or a thread that dies, is a RenderError for that page; the thread is
 * replaced and the queue goes on. The thread is unref'd: it never keeps a process alive.
 */
export class WorkerPageRenderer implements PageRenderer {
  private worker: Worker | undefined;
  /** Set once the current thread has loaded and can take a page. */
  private ready = false;
  private readonly queue: Job[] = [];
  private running: { job: Job; id: number; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  /** Renders started on the thread (not cache hits: those never reach a renderer). */
  renders = 0;

  constructor(opts: WorkerPageRendererOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  render(source: string): Promise<string> {
    if (this.closed) return Promise.reject(new RenderError('the page renderer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ source, resolve, reject });
      this.pump();
    });
  }

  /** Ends the thread; queued and running renders fail. */
  async close(): Promise<void> {
    this.closed = true;
    const failed = new RenderError('the page renderer is closed');
    for (const job of this.queue.splice(0)) job.reject(failed);
    this.finish(failed);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.running || this.closed || this.queue.length === 0) return;
    const worker = (this.worker ??= this.spawn());
    if (!this.ready) return;
    const job = this.queue.shift()!;
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.finish(
        new RenderError(`rendering took longer than ${this.timeoutMs} ms; the page is too large or too complex`),
      );
      this.replace(worker);
    }, this.timeoutMs);
    timer.unref();
    this.running = { job, id, timer };
    this.renders++;
    worker.ref();
    worker.postMessage({ id, source: job.source } satisfies RenderRequest);
  }

  /** Settles the running job (if any) and starts the next one. */
  private finish(outcome: string | Error, id?: number): void {
    const running = this.running;
    if (!running || (id !== undefined && running.id !== id)) return;
    this.running = undefined;
    clearTimeout(running.timer);
    this.worker?.unref();
    if (typeof outcome === 'string') running.job.resolve(outcome);
    else running.job.reject(outcome);
    queueMicrotask(() => this.pump());
  }

  private replace(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = false;
    }
    void worker.terminate();
  }

  private spawn(): Worker {
    const worker = WORKER_URL.pathname.endsWith('.ts')
      ? // From source the thread registers tsx's loader itself (as `node --import tsx` does for a process).
        new Worker(
          `import(${JSON.stringify(TSX_ESM_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`,
          { eval: true },
        )
      : new Worker(WORKER_URL);
    this.ready = false;
    worker.unref();
    worker.on('message', (reply: RenderReply) => {
      if ('ready' in reply) {
        if (this.worker !== worker) return;
        this.ready = true;
        this.pump();
      } else this.finish('html' in reply ? reply.html : new RenderError(`rendering failed: ${reply.error}`), reply.id);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = false;
      // A thread that never came up fails the page waiting for it, rather than looping on restarts.
      if (!this.running) this.queue.shift()?.reject(new RenderError(`the render thread ${why}`));
      this.finish(new RenderError(`the render thread ${why}`));
      queueMicrotask(() => this.pump());
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    return worker;
  }
}

let shared: WorkerPageRenderer | undefined;

/** The process-wide renderer every viewer app uses unless given its own. */
export function sharedPageRenderer(): WorkerPageRenderer {
  return (shared ??= new WorkerPageRenderer());
}
