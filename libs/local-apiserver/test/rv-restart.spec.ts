/**
 * Issue 15 part 2: a restart or a fault never leaves a client silently stale. Answers recorded
 * from kube-apiserver v1.36.2 (envtest, real binaries):
 * - list or get with a resourceVersion the server has not reached waits ~3 s (3.1-3.2 s
 *   measured), then 504 with TOO_LARGE below (`current` is the server's RV; header
 *   `Retry-After: 1`), whatever the resourceVersionMatch or limit (GET-3, LIST-4);
 * - a plain watch from such a resourceVersion is 200 and delivers the events after it once the
 *   server gets there, no ERROR event (WATCH-7);
 * - watch timeoutSeconds (WATCH-13): 0 is no timeout of the client's (the server's own 30-60
 *   min); -1 or -100 is 200 with the single event ERROR {500 InternalError "context deadline
 *   exceeded"} and the end, before any initial event; 99999999999 is taken (the watch stays
 *   open); 9999999999999999999 is 400 `strconv.ParseInt: parsing "9999999999999999999": value
 *   out of range` (and `abc`: `strconv.ParseInt: parsing "abc": invalid syntax`, no prefix).
 * A state directory (`stateDir`, `--state-dir`) keeps objects and the RV high-water mark, as etcd
 * does for a real cluster: a restarted server continues where it stopped, even after SIGKILL.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type KubeObject, type LocalApiServer } from '../src/index.ts';
import { ApiClient, CM, TestServer, installWidgets, W } from './helpers.ts';

const cms = '/api/v1/namespaces/default/configmaps';
const widgets = '/apis/example.com/v1/namespaces/default/widgets';

const tooLarge = (requested: string | number, current: string | number) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
  reason: 'Timeout',
  details: {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  },
  code: 504,
});

/** The wait before a 504, shortened here; the default (kube-apiserver's ~3 s) is checked once below. */
const WAIT_MS = 400;

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start({ futureResourceVersionWaitMs: WAIT_MS });
  await installWidgets(t);
});
afterAll(() => t.stop());

const currentRv = async (path = cms) => Number((await t.get(`${path}?limit=1`)).body.metadata.resourceVersion);

describe('a resourceVersion ahead of the server (issue 15 part 2)', () => {
  it('list and get answer 504 ResourceVersionTooLarge as kube-apiserver, for built-ins and custom resources', async () => {
    await t.post(cms, CM('ahead'));
    await t.post(widgets, W('ahead'));
    // All at once: each waits concurrently.
    const future = (await currentRv()) + 1000;
    const asked = [cms, widgets].flatMap((path) =>
      [
        `resourceVersion=${future}`,
        `resourceVersion=${future}&limit=1`,
        `resourceVersion=${future}&resourceVersionMatch=NotOlderThan`,
        `resourceVersion=${future}&resourceVersionMatch=Exact&limit=1`,
      ]
        .map((query) => `${path}?${query}`)
        .concat(`${path}/ahead?resourceVersion=${future}`),
    );
    const t0 = Date.now();
    const answers = await Promise.all(asked.map((p) => t.get(p)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WAIT_MS - 10);
    for (const [i, r] of answers.entries()) {
      expect(r.status, asked[i]).toBe(504);
      expect(r.headers.get('retry-after')).toBe('1');
      const current = r.body.message.split('current: ')[1];
      expect(r.body).toEqual(tooLarge(future, current));
      expect(Number(current)).toBeLessThan(future);
    }
  }, 60_000);

  it("by default the wait is kube-apiserver v1.36.2's: ~3 s before the 504", async () => {
    const d = await TestServer.start();
    try {
      const future = (await currentRvOf(d, cms)) + 1000;
      const t0 = Date.now();
      const r = await d.get(`${cms}?resourceVersion=${future}`);
      expect(r.status).toBe(504);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2990);
    } finally {
      await d.stop();
    }
  }, 30_000);

  it('a list or get from a resourceVersion reached while it waits is answered', async () => {
    // A wait longer than any test: the write below must land within it however loaded the machine.
    const l = await TestServer.start({ futureResourceVersionWaitMs: 60_000 });
    try {
      const target = (await currentRvOf(l, cms)) + 1;
      const pending = l.get(`${cms}?resourceVersion=${target}`);
      const pendingGet = l.get(`${cms}/reached?resourceVersion=${target}`);
      await l.post(cms, CM('reached'));
      const r = await pending;
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: KubeObject) => i.metadata?.name)).toContain('reached');
      expect((await pendingGet).status).toBe(200);
    } finally {
      await l.stop();
    }
  });

  it('WATCH-7 a plain watch from a resourceVersion ahead waits for it: no ERROR, then only the changes after it', async () => {
    const ahead = (await currentRv()) + 2;
    const w = t.watch(
      `${cms}?watch=1&resourceVersion=${ahead}&allowWatchBookmarks=true`,
      (ev) => ev.length > 0,
      10_000,
    );
    for (const name of ['fw-1', 'fw-2', 'fw-3']) await t.post(cms, CM(name));
    const { status, events } = await w;
    expect(status).toBe(200);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED fw-3']);
  });

  it('WATCH-7 a watch-list (sendInitialEvents) from a resourceVersion ahead waits as a list, then ends with the 504 as an ERROR event', async () => {
    const ahead = (await currentRv()) + 1000;
    const w = await t.watch(
      `${cms}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=${ahead}`,
      () => false,
      10_000,
    );
    expect(w.status).toBe(200);
    expect(w.ended).toBe(true);
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('ERROR');
    expect(w.events[0].object).toEqual(tooLarge(ahead, w.events[0].object.message.split('current: ')[1]));
  }, 30_000);
});

describe('WATCH-13 watch timeoutSeconds (issue 15 part 3)', () => {
  it('0 and huge values keep the watch open; a negative one is an ERROR event at once; beyond int64 is 400', async () => {
    const rv = await currentRv();
    const watches = ['0', '99999999999'].map((ts) =>
      t.watch(`${cms}?watch=1&resourceVersion=${rv}&timeoutSeconds=${ts}`, (ev) => ev.length > 0, 10_000),
    );
    await t.post(cms, CM('after-timeouts'));
    for (const w of await Promise.all(watches)) {
      expect(w.ended).toBe(false);
      expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after-timeouts']);
    }
    for (const ts of ['-1', '-100']) {
      const w = await t.watch(`${cms}?watch=1&timeoutSeconds=${ts}`, () => false, 5000);
      expect(w.status).toBe(200);
      expect(w.ended).toBe(true);
      expect(w.events).toEqual([
        {
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'context deadline exceeded',
            reason: 'InternalError',
            code: 500,
          },
        },
      ]);
    }
    for (const [ts, why] of [
      ['9999999999999999999', 'value out of range'],
      ['abc', 'invalid syntax'],
    ]) {
      const r = await t.get(`${cms}?watch=1&timeoutSeconds=${ts}`);
      expect(r.status).toBe(400);
      expect(r.body.message).toBe(`strconv.ParseInt: parsing "${ts}": ${why}`);
    }
  }, 30_000);
});

describe('state directory and restarts (issue 15 part 2)', () => {
  let dir: string;
  let server: LocalApiServer | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'state-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a restarted server keeps its objects, its credentials and its resourceVersions; older watches get 410', async () => {
    server = await startApiServer({ simulateDeployments: false, stateDir: dir });
    let c = new TestServer(server);
    const kubeconfig = server.kubeconfig();
    await installWidgets(c);
    const created = (await c.post(cms, CM('kept'))).body;
    const widget = (await c.post(widgets, W('kept'))).body;
    await c.post(cms, CM('deleted'));
    await c.del(`${cms}/deleted`);
    const older = Number(created.metadata.resourceVersion);
    await server.controllersIdle();
    const before = await currentRvOf(c, cms);
    const port = server.port;
    await server.stop();

    server = await startApiServer({ simulateDeployments: false, stateDir: dir, port });
    expect(server.restored).toBe(true);
    c = new TestServer(server);
    // A client of the old server goes on with the kubeconfig it had: same CA, same token.
    const oldClient = ApiClient.fromKubeconfig(kubeconfig);
    const cm = await oldClient.request({ path: `${cms}/kept` });
    oldClient.close();
    expect(cm.status).toBe(200);
    expect(cm.body.metadata).toMatchObject({
      uid: created.metadata.uid,
      resourceVersion: created.metadata.resourceVersion,
    });
    expect((await c.get(`${cms}/deleted`)).status).toBe(404);
    // CRDs are served again before the server answers its first request.
    const wd = await c.get(`${widgets}/kept`);
    expect(wd.status).toBe(200);
    expect(wd.body.metadata.uid).toBe(widget.metadata.uid);
    const next = (await c.post(cms, CM('after-restart'))).body;
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(before);
    // A watch from where the old server stopped resumes; one from further back is 410 (relist).
    const w = await c.watch(`${cms}?watch=1&resourceVersion=${before}`, (ev) =>
      ev.some((e) => e.object.metadata.name === 'after-restart'),
    );
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after-restart']);
    const gone = await c.watch(`${cms}?watch=1&resourceVersion=${older}`, (ev) => ev.length > 0);
    expect(gone.events.map((e) => `${e.type} ${e.object.code} ${e.object.reason}`)).toEqual(['ERROR 410 Expired']);
    const hwm = await currentRvOf(c, cms);
    await server.stop();

    // fresh: no objects, but resourceVersions still move forward, and a watch from any old RV
    // (even the last one) is 410: the client relists and learns its objects are gone.
    server = await startApiServer({ simulateDeployments: false, stateDir: dir, port, fresh: true });
    expect(server.restored).toBe(false);
    c = new TestServer(server);
    expect((await c.get(`${cms}/kept`)).status).toBe(404);
    const stale = await c.watch(`${cms}?watch=1&resourceVersion=${hwm}`, (ev) => ev.length > 0);
    expect(stale.events.map((e) => `${e.type} ${e.object.code}`)).toEqual(['ERROR 410']);
    const fresh = (await c.post(cms, CM('fresh'))).body;
    expect(Number(fresh.metadata.resourceVersion)).toBeGreaterThan(hwm);
  }, 60_000);

  it('one server per state directory: a second one is refused while the first runs', async () => {
    const other = await mkdtemp(join(tmpdir(), 'state-lock-'));
    const first = await startApiServer({ simulateDeployments: false, stateDir: other });
    try {
      await expect(startApiServer({ simulateDeployments: false, stateDir: other })).rejects.toThrow(
        /state directory .* is in use/,
      );
    } finally {
      await first.stop();
    }
    const again = await startApiServer({ simulateDeployments: false, stateDir: other });
    await again.stop();
    await rm(other, { recursive: true, force: true });
  });

  it('SIGKILL loses nothing the server acknowledged, and never hands out an RV twice', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'state-crash-'));
    const cli = resolve(import.meta.dirname, '../bin/kubeloop-apiserver.mjs');
    const startCli = async (port: number) => {
      const child = spawn(process.execPath, [cli, '--port', String(port), '--state-dir', stateDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const url = await new Promise<string>((resolvePromise, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /"url":"(https:[^"]+)"/.exec(out);
          if (m) resolvePromise(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`kubeloop-apiserver exited ${code}: ${err}`)));
      });
      const client = ApiClient.fromKubeconfig(readFileSync(join(stateDir, 'kubeconfig'), 'utf8'));
      return { child, url, client };
    };
    const first = await startCli(0);
    const port = Number(new URL(first.url).port);
    const acked = new Map<string, string>();
    try {
      for (let i = 0; i < 20; i++) {
        const r = await first.client.request({
          method: 'POST',
          path: cms,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(CM(`c${i}`)),
        });
        expect(r.status).toBe(201);
        acked.set(`c${i}`, JSON.parse(r.text).metadata.resourceVersion);
      }
      // Writes in flight when the process dies: each either committed or not, never half.
      const inFlight = Array.from({ length: 20 }, (_, i) =>
        first.client
          .request({
            method: 'POST',
            path: cms,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(CM(`f${i}`)),
          })
          .then(
            (r) => r.status === 201 && acked.set(`f${i}`, JSON.parse(r.text).metadata.resourceVersion),
            () => undefined,
          ),
      );
      await new Promise((r) => setTimeout(r, 5));
      first.child.kill('SIGKILL');
      await Promise.all(inFlight);
    } finally {
      first.client.close();
      first.child.kill('SIGKILL');
    }
    const second = await startCli(port);
    try {
      const list = await second.client.request({ path: cms });
      const stored = new Map<string, string>(
        JSON.parse(list.text).items.map((i: KubeObject) => [i.metadata?.name, i.metadata?.resourceVersion]),
      );
      for (const [name, rv] of acked) expect(stored.get(name), name).toBe(rv);
      const listRv = Number(JSON.parse(list.text).metadata.resourceVersion);
      expect(listRv).toBeGreaterThanOrEqual(Math.max(...[...acked.values()].map(Number)));
      const after = await second.client.request({
        method: 'POST',
        path: cms,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(CM('after-crash')),
      });
      expect(Number(JSON.parse(after.text).metadata.resourceVersion)).toBeGreaterThan(listRv);
    } finally {
      second.client.close();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});

async function currentRvOf(c: TestServer, path: string): Promise<number> {
  return Number((await c.get(`${path}?limit=1`)).body.metadata.resourceVersion);
}
