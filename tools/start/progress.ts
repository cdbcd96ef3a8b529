import { relative } from 'node:path';
import type { ServedBook } from './books.ts';

export interface ProgressOptions {
  out?: { write(text: string): unknown };
  color?: boolean;
  /** How long a step runs before a "still waiting" line (default 3 s), and then every so often. */
  stillWaitingMs?: number;
  now?: () => number;
}

/**
 * The human side of `npm start` on stdout (logs go to stderr): each step says what it waits
 * for when it starts and what is up when it ends, so a slow start shows where it is stuck.
 */
export class Progress {
  private readonly out: { write(text: string): unknown };
  private readonly color: boolean;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions = {}) {
    this.out = opts.out ?? process.stdout;
    this.color = opts.color ?? false;
    this.now = opts.now ?? Date.now;
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** Runs one step: `… name  waiting for …`, then `✓ name  detail (1.2 s)` or `✗ name  error`. */
  async step<T>(name: string, waitingFor: string, run: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const started = this.now();
    this.line(`  ${this.paint(90, '…')} ${name.padEnd(22)} ${this.paint(90, waitingFor)}`);
    const every = this.opts.stillWaitingMs ?? 3_000;
    const timer = setInterval(() => {
      this.line(
        `  ${this.paint(33, '…')} ${name.padEnd(22)} ${this.paint(90, `still waiting for ${waitingFor} (${seconds(this.now() - started)})`)}`,
      );
    }, every);
    timer.unref();
    try {
      const result = await run();
      const text = detail ? detail(result) : '';
      this.line(
        `  ${this.paint(32, '✓')} ${name.padEnd(22)} ${text}${text ? ' ' : ''}${this.paint(90, `(${seconds(this.now() - started)})`)}`,
      );
      return result;
    } catch (error) {
      this.line(`  ${this.paint(31, '✗')} ${name.padEnd(22)} ${(error as Error).message}`);
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  private paint(code: number, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export interface SummaryInfo {
  apiUrl: string;
  kubeconfigPath: string;
  cwd: string;
  books: ServedBook[];
  webhooks: boolean;
  /** The operator apps running (for the first line and the hints). */
  apps?: string[];
  /** Seconds after which the Job simulation completes a Job. */
  jobSeconds?: number;
  /** MarkdownViews whose book had no content yet when the summary was printed. */
  booksPending?: string[];
}

/** The closing block: what to export, what to try, where the books are. */
export function renderSummary(info: SummaryInfo): string {
  const rel = relative(info.cwd, info.kubeconfigPath);
  const shown = rel && !rel.startsWith('..') ? `$PWD/${rel}` : info.kubeconfigPath;
  const lines = [
    '',
    `kubeloop is up: a local API server at ${info.apiUrl} with the ${operatorList(info.apps ?? ['math', 'markdown-view'])} operators${info.webhooks ? ' (webhooks on)' : ''}.`,
    '',
    'In another terminal:',
    '',
    `  export KUBECONFIG=${shown}`,
    '',
    'The API server speaks HTTPS only; that kubeconfig (mode 0600) holds its CA and the bearer token every',
    'request needs. Objects are kept across restarts (npm start -- --fresh starts empty).',
    '',
    'Try:',
    '  kubectl get kubeloop',
    '  kubectl get numbers,tuples,fermats',
    '  kubectl describe fermat fermat-13',
    ...(info.apps?.includes('cronjob')
      ? [
          // `cronjobs` alone is batch/v1's built-in CronJob (discovery lists built-in groups first).
          `  kubectl get cronjobs.batch.tutorial.kubebuilder.io,jobs -w   # a Job a minute, each done after ${info.jobSeconds ?? 10} s`,
        ]
      : []),
    ...(info.apps?.includes('mycronjob')
      ? ['  kubectl get mycronjobs,jobs   # a Job every 5 s, never cleaned up']
      : []),
    '',
  ];
  if (info.books.length === 0) {
    lines.push('Books: none yet (apply a MarkdownView and its book URL shows up in the logs).');
  } else {
    lines.push(
      'Books (a local markdown-viewer per MarkdownView, standing in for its viewer Deployment: nothing runs Pods here):',
    );
    const width = Math.max(...info.books.map((b) => `${b.namespace}/${b.name}`.length));
    for (const book of info.books) {
      const pending = info.booksPending?.includes(`${book.namespace}/${book.name}`)
        ? '  (waiting for its ConfigMap)'
        : '';
      lines.push(`  ${`${book.namespace}/${book.name}`.padEnd(width)}  ${book.url}${pending}`);
    }
  }
  lines.push('', 'Ctrl-C stops everything. Logs of every component follow.', '');
  return lines.join('\n');
}

function operatorList(apps: string[]): string {
  return apps.length <= 1 ? apps.join('') : `${apps.slice(0, -1).join(', ')} and ${apps[apps.length - 1]}`;
}
