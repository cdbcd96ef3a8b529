/**
 * `npm start` end to end: the start command as a child process (exactly what `npm start` runs),
 * driven through what a user has — the printed kubeconfig with kubectl and client-node, the
 * printed book URL — then SIGTERM. Free ports and a temp state dir keep it off the defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { eventually } from '@kubeloop/envtest';
import { freePort } from './ports.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Exactly what `npm start` runs (minus npm itself, whose own exit code after a signal is npm's business). */
const START_COMMAND = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start.split(/\s+/);
const SUMMARY_END = 'Ctrl-C stops everything';
const START_TIMEOUT = 90_000;
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCommand(args: string[]): Started {
  const [command, ...rest] = START_COMMAND;
  const child = spawn(command === 'node' ? process.execPath : command!, [...rest, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForSummary(s: Started): Promise<string> {
  return eventually(
    () => {
      if (s.child.exitCode !== null)
        throw new Error(
          `start exited with ${s.child.exitCode} before the summary:\n${s.stdout()}\n${s.stderr().slice(-4000)}`,
        );
      if (!s.stdout().includes(SUMMARY_END)) throw new Error(`no summary yet:\n${s.stdout()}`);
      return s.stdout();
    },
    { timeout: START_TIMEOUT, interval: 100 },
  );
}

function kubectl(kubeconfig: string, args: string[], input?: string) {
  // A discovery cache of its own: ~/.kube/cache is keyed by host:port, and another test's
  // server that had this free port before would answer `get kubeloop` with its kinds.
  const cacheDir = join(dirname(kubeconfig), 'kubectl-cache');
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
    encoding: 'utf8',
    input,
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function stopWith(s: Started, signal: 'SIGTERM' | 'SIGINT'): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  s.child.kill(signal);
  const timeout = new Promise<never>((_, rej) =>
    setTimeout(() => rej(new Error(`no exit within 10 s of ${signal}:\n${s.stdout().slice(-2000)}`)), 10_000).unref(),
  );
  const { code } = await Promise.race([s.exited, timeout]);
  return { code, ms: Date.now() - t0 };
}

describe.skipIf(!hasKubectl)('npm start (end to end)', () => {
  let port: number;
  let bookPort: number;
  let stateDir: string;
  let first: Started;
  let summary: string;
  let kubeconfig: string;
  let bookUrl: string;
  const args = () => [
    '--port',
    String(port),
    '--book-port',
    String(bookPort),
    '--state-dir',
    stateDir,
    '--log-format',
    'json',
  ];

  beforeAll(async () => {
    port = await freePort('127.0.0.1');
    bookPort = await freePort('127.0.0.1');
    stateDir = await mkdtemp(join(tmpdir(), 'kubeloop-start-'));
    first = startCommand(args());
    summary = await waitForSummary(first);
    kubeconfig = /export KUBECONFIG=(\S+)/.exec(summary)![1]!.replace('$PWD', ROOT);
    bookUrl = /default\/markdownview-sample\s+(http:\/\/\S+)/.exec(summary)![1]!;
  }, START_TIMEOUT + 10_000);

  afterAll(async () => {
    if (first && first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('prints the kubeconfig to export, three kubectl commands and the book URL', () => {
    expect(kubeconfig).toBe(join(stateDir, 'kubeconfig'));
    for (const cmd of [
      'kubectl get kubeloop',
      'kubectl get numbers,tuples,fermats',
      'kubectl describe fermat fermat-13',
    ])
      expect(summary).toContain(cmd);
    expect(bookUrl).toBe(`http://127.0.0.1:${bookPort}/`);
    expect(summary).toMatch(/✓ API server\s+https:\/\/127\.0\.0\.1:\d+/);
  });

  it('logs every component as JSON lines with a component field', async () => {
    await eventually(
      () => {
        const components = new Set(
          first
            .stderr()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => (JSON.parse(l) as { component?: string }).component),
        );
        for (const c of ['math', 'markdown-view', 'books']) expect(components).toContain(c);
      },
      { timeout: 10_000 },
    );
  });

  it('reconciles the samples: Fermat 13 has its witness (kubectl), the MarkdownView is Available (client-node)', async () => {
    await eventually(
      () => {
        const r = kubectl(kubeconfig, ['get', 'fermat', 'fermat-13', '-o', 'jsonpath={.status.witness}']);
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe('2^2 + 3^2');
      },
      { timeout: 30_000, interval: 250 },
    );
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const api = kc.makeApiClient(CustomObjectsApi);
    await eventually(
      async () => {
        const view = (await api.getNamespacedCustomObject({
          group: 'view.kubebuilder.example.com',
          version: 'v1',
          namespace: 'default',
          plural: 'markdownviews',
          name: 'markdownview-sample',
        })) as {
          status?: { conditions?: { type: string; status: string }[] };
        };
        expect(view.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
      },
      { timeout: 30_000, interval: 250 },
    );
    const all = kubectl(kubeconfig, ['get', 'kubeloop']);
    expect(all.stdout).toContain('fermat-13');
    expect(all.stdout).toContain('markdownview-sample');
  });

  it('the book URL serves the first page of the SUMMARY, and follows edits of the MarkdownView', async () => {
    const res = await fetch(bookUrl);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${bookUrl}page1.html`);
    expect(await res.text()).toContain('This book is served by the markdown viewer from a ConfigMap.');
    const patch = JSON.stringify({ spec: { markdowns: { 'page1.md': '# Page 1\n\nEdited while npm start runs.\n' } } });
    const r = kubectl(kubeconfig, ['patch', 'markdownview', 'markdownview-sample', '--type', 'merge', '-p', patch]);
    expect(r.stderr).toBe('');
    await eventually(
      async () => {
        expect(await (await fetch(`${bookUrl}page1.html`)).text()).toContain('Edited while npm start runs.');
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('the markdown-view webhooks are registered: a book without SUMMARY.md is refused with the webhook message', () => {
    const view = {
      apiVersion: 'view.kubebuilder.example.com/v1',
      kind: 'MarkdownView',
      metadata: { name: 'no-summary', namespace: 'default' },
      spec: { markdowns: { 'page.md': 'x' } },
    };
    const r = kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify(view));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('markdowns must have SUMMARY.md.');
  });

  it('a new Tuple applied with kubectl gets its Numbers', async () => {
    const tuple = {
      apiVersion: 'math.potsbo.k8s.wantedly.com/v1beta1',
      kind: 'Tuple',
      metadata: { name: 'e2e-tuple', namespace: 'default' },
      spec: { numbers: [4, 9, 10] },
    };
    const r = kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify(tuple));
    expect(r.stderr).toBe('');
    const uid = kubectl(kubeconfig, ['get', 'tuple', 'e2e-tuple', '-o', 'jsonpath={.metadata.uid}']).stdout;
    await eventually(
      () => {
        const list = JSON.parse(kubectl(kubeconfig, ['get', 'numbers', '-o', 'json']).stdout) as {
          items: {
            metadata: { name: string; ownerReferences?: { uid: string; controller?: boolean }[] };
            spec: { value: number };
          }[];
        };
        const children = list.items.filter((n) =>
          n.metadata.ownerReferences?.some((o) => o.uid === uid && o.controller),
        );
        expect(children.map((n) => [n.metadata.name, n.spec.value]).sort()).toEqual([
          ['e2e-tuple-0', 4],
          ['e2e-tuple-1', 9],
          ['e2e-tuple-2', 10],
        ]);
      },
      { timeout: 20_000, interval: 250 },
    );
  });

  it('a second start on a port in use says which port and which flag, and exits 1', async () => {
    const other = await freePort('127.0.0.1');
    const second = startCommand([
      '--port',
      String(port),
      '--book-port',
      String(other),
      '--state-dir',
      join(stateDir, 'second'),
    ]);
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.stderr()).toContain(`port ${port} (API server) is already in use`);
    expect(second.stderr()).toContain('--port <port>');
  }, 60_000);

  it(
    'SIGTERM stops everything within 10 s and exits 0; a second start then works on the same ports with the same objects (and stops on Ctrl-C)',
    async () => {
      const { code } = await stopWith(first, 'SIGTERM');
      expect(code).toBe(0);
      expect(first.stdout()).toContain('stopped');
      for (const p of [port, bookPort]) {
        // every listener is closed: the ports can be bound again
        const s = createServer();
        await new Promise<void>((res, rej) => s.once('error', rej).listen(p, '127.0.0.1', () => res()));
        await new Promise<void>((res) => s.close(() => res()));
      }
      const again = startCommand(args());
      try {
        const text = await waitForSummary(again);
        expect(text).toContain(`http://127.0.0.1:${bookPort}/`);
        // The API server kept its objects (its state directory, OBJ-10): the samples were not
        // applied again, and what kubectl made in the first run is there, the same objects.
        expect(text).toContain('objects of the last run kept');
        const r = kubectl(kubeconfig, ['get', 'fermat', 'fermat-13', '-o', 'name']);
        expect(r.stdout.trim()).toBe('fermat.math.potsbo.k8s.wantedly.com/fermat-13');
        expect(kubectl(kubeconfig, ['get', 'numbers', 'e2e-tuple-0', '-o', 'jsonpath={.spec.value}']).stdout).toBe('4');
        expect((await stopWith(again, 'SIGINT')).code).toBe(0);
        expect(again.stdout()).toContain('SIGINT: stopping');
      } finally {
        if (again.child.exitCode === null && again.child.signalCode === null) again.child.kill('SIGKILL');
      }
    },
    START_TIMEOUT + 30_000,
  );
});
