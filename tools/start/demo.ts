import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { applyManifests, eventually, installCRDs, loadManifests } from '@kubeloop/envtest';
import { startApiServer, type LocalApiServer } from '@kubeloop/local-apiserver';
import type { Logger } from '@kubeloop/runtime';
import { BookServers } from './books.ts';
import { PortInUseError } from './errors.ts';
import { apiServerLogSink } from './log-stream.ts';
import { startOperators, type Operators } from './operators.ts';
import type { StartOptions } from './options.ts';
import { isAddressInUse, isPortFree } from './ports.ts';
import { Progress, renderSummary } from './progress.ts';
import { kustomizationResources } from './samples.ts';
import { discoverOperatorApps } from './apps.ts';

export const WORKSPACE_ROOT = resolve(import.meta.dirname, '../..');

/**
 * How long a Job runs here before the local API server's Job simulation completes it (JOB-4):
 * nothing runs Pods, and CronJobs should be seen turning over their Jobs.
 */
export const JOB_COMPLETION_SECONDS = 10;

export interface Demo {
  apiUrl: string;
  kubeconfigPath: string;
  books: BookServers;
  /** Rejects when a component fails after start (a manager exited with an error). */
  failed: Promise<never>;
  /** Stops managers, book servers and the API server, in that order; safe to call twice. */
  stop(): Promise<void>;
}

export interface DemoIO {
  log: Logger;
  progress: Progress;
  /** Where deploy/ lives (default: this repository). */
  workspaceRoot?: string;
  cwd?: string;
  /** How long to wait for the samples' books to get their content before the summary. */
  booksTimeoutMs?: number;
}

/**
 * Brings the whole system up in one process: API server → kubeconfig → CRDs → managers (with
 * webhooks) → book servers → samples → summary. Whatever was started is stopped again when a
 * later step fails, so a failed start leaves no listener behind.
 */
export async function startDemo(opts: StartOptions, io: DemoIO): Promise<Demo> {
  const root = io.workspaceRoot ?? WORKSPACE_ROOT;
  const { progress } = io;
  const log = io.log.child({ component: 'start' });
  const cwd = io.cwd ?? process.cwd();
  const shown = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  const stops: (() => Promise<void>)[] = [];
  const apps = discoverOperatorApps(root);
  const appNames = apps.map((a) => a.name).join(', ');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stops.reverse()) {
        try {
          await s();
        } catch (error) {
          log.error({ err: error }, 'error while stopping');
        }
      }
    })());

  try {
    progress.line(`Starting kubeloop (state in ${shown(opts.stateDir)})`);
    await assertPortsFree(opts);
    await mkdir(opts.stateDir, { recursive: true });
    // Book files are rebuilt from the ConfigMaps the API server keeps; an earlier run's may be
    // stale (or belong to objects deleted since).
    await rm(join(opts.stateDir, 'books'), { recursive: true, force: true });

    const kubeconfigPath = join(opts.stateDir, 'kubeconfig');
    const api = await progress.step(
      'API server',
      `port ${opts.port}`,
      async () => {
        const server = await startApiServer({
          port: opts.port,
          host: opts.host,
          // Objects, resourceVersions and credentials survive restarts, as a cluster's etcd does:
          // a client running across a restart (kubectl, `nx run math:serve`) keeps working.
          stateDir: join(opts.stateDir, 'apiserver'),
          fresh: opts.fresh,
          simulateJobs: { completeAfterSeconds: JOB_COMPLETION_SECONDS },
          logger: apiServerLogSink(io.log.child({ component: 'apiserver' })),
        }).catch((error: unknown) => {
          throw isAddressInUse(error) ? new PortInUseError(opts.port, 'API server', '--port', 'KUBELOOP_PORT') : error;
        });
        stops.push(() => server.stop());
        server.writeKubeconfig(kubeconfigPath);
        return server;
      },
      (s: LocalApiServer) =>
        `${s.url}, kubeconfig ${shown(kubeconfigPath)}, ${s.restored ? 'objects of the last run kept' : 'no objects yet'}`,
    );
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);

    const crdDirs = apps.map((app) => app.crdDir);
    await progress.step(
      'CRDs',
      'Established and served',
      async () => {
        await installCRDs(kubeConfig, crdDirs);
        return loadManifests(crdDirs).filter((o) => (o as { kind?: string }).kind === 'CustomResourceDefinition')
          .length;
      },
      (n) => `${n} installed from ${apps.map((a) => `deploy/${a.name}/crd`).join(', ')}`,
    );

    const operators: Operators = await progress.step(
      'managers',
      `${appNames} caches to sync`,
      async () => {
        const started = await startOperators({
          kubeConfig,
          log: io.log,
          host: opts.host,
          apps,
          ...(opts.webhooks
            ? { webhook: { port: opts.webhookPort, certDir: join(opts.stateDir, 'webhook-certs') } }
            : {}),
        }).catch((error: unknown) => {
          throw isAddressInUse(error) && opts.webhookPort
            ? new PortInUseError(opts.webhookPort, 'webhook server', '--webhook-port')
            : error;
        });
        stops.push(() => started.stop());
        return started;
      },
      (o) =>
        `${appNames} reconciling${
          Object.keys(o.webhookUrls).length
            ? `, webhooks at ${Object.entries(o.webhookUrls)
                .map(([app, url]) => `${url} (${app})`)
                .join(', ')}`
            : ''
        }`,
    );

    let summaryPrinted = false;
    const books = new BookServers({
      kubeConfig,
      root: join(opts.stateDir, 'books'),
      host: opts.host,
      firstPort: opts.bookPort,
      log: io.log.child({ component: 'books' }),
      onServed: (book) => {
        if (summaryPrinted) progress.line(`book ${book.namespace}/${book.name} → ${book.url}`);
      },
    });
    await progress.step(
      'book servers',
      'MarkdownView and ConfigMap informers',
      async () => {
        stops.push(() => books.stop());
        await books.start();
      },
      () => `from port ${opts.bookPort}`,
    );

    // On a restart the books to wait for are those of the MarkdownViews kept from the last run.
    let sampleViews: { namespace: string; name: string }[] = api.restored
      ? books.books().map((b) => ({ namespace: b.namespace, name: b.name }))
      : [];
    if (opts.samples && api.restored)
      progress.line('samples: kept from the last run (npm start -- --fresh starts over)');
    // Samples go into a new (or --fresh) state only: on a restart they are there already, or
    // the user deleted or changed them, which a restart must not undo.
    if (opts.samples && !api.restored) {
      const files = apps.flatMap((app) => (app.samplesDir ? kustomizationResources(app.samplesDir) : []));
      await progress.step(
        'samples',
        'objects created',
        async () => {
          const objects = loadManifests(files) as { kind: string; metadata: { name: string; namespace?: string } }[];
          await applyManifests(kubeConfig, objects);
          sampleViews = objects
            .filter((o) => o.kind === 'MarkdownView')
            .map((o) => ({ namespace: o.metadata.namespace ?? 'default', name: o.metadata.name }));
          return objects;
        },
        (objects) =>
          `${objects.length} applied (${[...new Set(objects.map((o) => o.kind))].join(', ')}) in namespace default`,
      );
    }

    const pending = () =>
      sampleViews.filter((v) => !books.hasContent(v.namespace, v.name)).map((v) => `${v.namespace}/${v.name}`);
    if (sampleViews.length > 0) {
      await progress
        .step(
          'books',
          'each MarkdownView’s ConfigMap to reach its book',
          async () => {
            await eventually(
              () => {
                const left = pending();
                if (left.length > 0) throw new Error(`waiting for ${left.join(', ')}`);
              },
              { timeout: io.booksTimeoutMs ?? 20_000, interval: 50 },
            );
            return books.books().length;
          },
          (n) => `${n} served`,
        )
        .catch((error: unknown) =>
          log.warn({ err: error }, 'not every book has its content yet; the summary lists them as waiting'),
        );
    }

    progress.line(
      renderSummary({
        apiUrl: api.url,
        kubeconfigPath,
        cwd,
        books: books.books(),
        webhooks: Object.keys(operators.webhookUrls).length > 0,
        apps: apps.map((a) => a.name),
        jobSeconds: JOB_COMPLETION_SECONDS,
        booksPending: pending(),
      }),
    );
    summaryPrinted = true;
    return { apiUrl: api.url, kubeconfigPath, books, failed: operators.failed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Refuses before anything starts when a fixed port is taken, naming the flag that moves it. */
async function assertPortsFree(opts: StartOptions): Promise<void> {
  const fixed: [number, string, string, string?][] = [
    [opts.port, 'API server', '--port', 'KUBELOOP_PORT'],
    [opts.bookPort, 'first book', '--book-port', 'KUBELOOP_BOOK_PORT'],
  ];
  if (opts.webhooks && opts.webhookPort) fixed.push([opts.webhookPort, 'webhook server', '--webhook-port']);
  for (const [port, what, flag, env] of fixed) {
    if (!(await isPortFree(port, opts.host))) throw new PortInUseError(port, what, flag, env);
  }
}
