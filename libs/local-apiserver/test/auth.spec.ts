/**
 * Issue 15 part 1: only the kubeconfig's holder gets in. Answers recorded from kube-apiserver
 * v1.36.2 (envtest with real binaries, token auth, RBAC):
 * - a bogus bearer token: 401, body exactly UNAUTHORIZED below (no details);
 * - no credentials: anonymous; kube-apiserver with anonymous auth limited to the health
 *   endpoints (AnonymousAuthConfigurableEndpoints) answers the same 401, and `/healthz`,
 *   `/readyz`, `/livez`, `/version` 200 (`/healthz/ping` is not open);
 * - a body with `Content-Type: text/plain` or a form type: 415 with UNSUPPORTED_BODY's message.
 * Deliberate differences, for a server on a developer's machine that any web page can reach:
 * a body without Content-Type is 415 too (kube-apiserver reads it as JSON), and a Host header
 * that does not name this loopback listener is refused (DNS rebinding).
 * kubectl (client-go) sends a bearer token only over TLS, so the server speaks only HTTPS (its own
 * CA, in the kubeconfig) and every start has a random token unless one is given.
 * Deliberate difference: no credentials is 401 here; the real server (anonymous auth on, RBAC)
 * answers 403 `configmaps is forbidden: User "system:anonymous" cannot list resource ...`.
 * Also recorded: a malformed %-escape is Go net/http's plain-text `400 Bad Request` (closed);
 * a body over 3 MiB is 413 `Request entity too large: limit is 3145728`.
 */
import { readFileSync, statSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type LocalApiServer } from '../src/index.ts';
import { ApiClient, CM, TestServer, type Reply } from './helpers.ts';

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};
const UNSUPPORTED_BODY =
  'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/** One request exactly as given: no token unless in `headers`, any Host, any Content-Type (or none). */
function raw(
  target: TestServer | LocalApiServer,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  const client = target instanceof TestServer ? target.client : new ApiClient(target.url, target.caPem);
  return client.request({ ...opts, anonymous: true });
}

let t: TestServer;
const cms = '/api/v1/namespaces/default/configmaps';
const bearer = () => ({ authorization: `Bearer ${t.server.token}` });

beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => {
  await t.stop();
});

describe('authentication (issue 15 part 1)', () => {
  it('a request without a token, or with a wrong one, is 401 with kube-apiserver Unauthorized Status', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer not-the-token' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
    ]) {
      for (const path of ['/api/v1/namespaces', cms, '/apis', '/api', '/openapi/v3', '/', '/healthz/ping']) {
        const r = await raw(t, { path, headers });
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.headers.get('content-type')).toBe('application/json');
        expect(r.body).toEqual(UNAUTHORIZED);
      }
    }
    const created = await raw(t, {
      method: 'POST',
      path: cms,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CM('no-token')),
    });
    expect(created.status).toBe(401);
    expect((await t.get(`${cms}/no-token`)).status).toBe(404);
  });

  it('/healthz, /readyz, /livez and /version stay open, as kube-apiserver with anonymous health checks', async () => {
    for (const path of ['/healthz', '/readyz', '/livez', '/version']) {
      const r = await raw(t, { path });
      expect(r.status, path).toBe(200);
    }
  });

  it('HTTPS only, verified by the CA in the kubeconfig: plain HTTP gets no answer, another CA fails the handshake', async () => {
    expect(t.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const plain = await fetch(`http://127.0.0.1:${t.server.port}/healthz`).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    expect(plain).not.toBe(200);
    const other = await startApiServer({ simulateDeployments: false });
    try {
      const wrongCa = new ApiClient(t.server.url, other.caPem, t.server.token);
      await expect(wrongCa.request({ path: cms })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
      wrongCa.close();
    } finally {
      await other.stop();
    }
  });

  it('the token is random per start unless given; only the 0600 kubeconfig carries it', async () => {
    const other = await startApiServer({ simulateDeployments: false });
    const fixed = await startApiServer({ simulateDeployments: false, token: 'my-fixed-token-0123456789' });
    const dir = await mkdtemp(join(tmpdir(), 'auth-'));
    try {
      expect(t.server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(t.server.token);
      expect(fixed.token).toBe('my-fixed-token-0123456789');
      // One server's token opens no other server.
      expect((await raw(other, { path: cms, headers: bearer() })).status).toBe(401);
      expect((await raw(other, { path: cms, headers: { authorization: `Bearer ${other.token}` } })).status).toBe(200);

      const path = join(dir, 'kubeconfig');
      other.writeKubeconfig(path);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(`token: ${JSON.stringify(other.token)}`);
      expect(text).toContain(`certificate-authority-data: ${Buffer.from(other.caPem).toString('base64')}`);
      // What the kubeconfig holds is all a client needs.
      const fromFile = ApiClient.fromKubeconfig(text);
      expect((await fromFile.request({ path: cms })).status).toBe(200);
      fromFile.close();
    } finally {
      await other.stop();
      await fixed.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('request bodies are decoded only with a Content-Type the endpoint accepts (issue 15 part 1)', () => {
  it('a cross-site no-cors POST (a Blob body: no Content-Type, no token) creates nothing', async () => {
    const r = await raw(t, { method: 'POST', path: cms, body: JSON.stringify(CM('cross-site')) });
    expect(r.status).toBe(401);
    expect((await t.get(`${cms}/cross-site`)).status).toBe(404);
  });

  it('with the token, a body without Content-Type is 415 and never decoded', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const path = method === 'POST' ? cms : `${cms}/no-type`;
      const r = await raw(t, { method, path, headers: bearer(), body: JSON.stringify(CM('no-type')) });
      expect(r.status, method).toBe(415);
      expect(r.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    }
    expect((await t.get(`${cms}/no-type`)).status).toBe(404);
  });

  it('text/plain and form bodies are 415 with kube-apiserver message', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw(t, {
        method: 'POST',
        path: cms,
        headers: { ...bearer(), 'content-type': type },
        body: JSON.stringify(CM('plain')),
      });
      expect(r.status, type).toBe(415);
      expect(r.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: UNSUPPORTED_BODY,
        reason: 'UnsupportedMediaType',
        code: 415,
      });
    }
    expect((await t.get(`${cms}/plain`)).status).toBe(404);
  });
});

describe('Host header (DNS rebinding, issue 15 part 1)', () => {
  it('a Host that is not a loopback name of this listener is refused, token or not', async () => {
    const port = t.server.port;
    for (const host of [`evil.example:${port}`, `attacker.test`, `192.168.1.10:${port}`, `localhost:${port + 1}`]) {
      for (const path of ['/healthz', cms]) {
        const r = await raw(t, { path, headers: { ...bearer(), host } });
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(r.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
        expect(r.body.message).toContain(host);
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost']) {
      const r = await raw(t, { path: cms, headers: { ...bearer(), host } });
      expect(r.status, host).toBe(200);
    }
  });
});

describe('malformed and oversized requests (issue 15 part 3)', () => {
  it('a malformed %-escape in the path is 400, not 500', async () => {
    for (const path of [`${cms}/%zz`, '/api/v1/namespaces/%E0%A4%A/configmaps']) {
      const r = await raw(t, { path });
      expect(r.status, path).toBe(400);
      expect(r.text).toBe('400 Bad Request');
    }
  });

  it('a body over 3 MiB gets kube-apiserver 413 (not a connection reset), and nothing is stored', async () => {
    const body = JSON.stringify(CM('huge', { data: { a: 'x'.repeat(3 * 1024 * 1024) } }));
    const r = await raw(t, {
      method: 'POST',
      path: cms,
      headers: { ...bearer(), 'content-type': 'application/json' },
      body,
    });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Request entity too large: limit is 3145728',
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
    expect((await t.get(`${cms}/huge`)).status).toBe(404);
  });

  it('a request whose headers or body never finish is cut; a watch is not', async () => {
    const s = await TestServer.start({ requestTimeouts: { headersMs: 300, requestMs: 600 } });
    const halfSent = (text: string) =>
      new Promise<{ ms: number; reply: string }>((resolve) => {
        const t0 = Date.now();
        const sock = tlsConnect({ port: s.server.port, host: '127.0.0.1', ca: s.server.caPem }, () => sock.write(text));
        let reply = '';
        sock.on('data', (d) => (reply += d.toString()));
        sock.on('close', () => resolve({ ms: Date.now() - t0, reply }));
      });
    try {
      const watching = s.watch(`${cms}?watch=1&timeoutSeconds=5`, (ev) => ev.length > 0, 2500);
      const [headers, body] = await Promise.all([
        halfSent(`GET ${cms} HTTP/1.1\r\nHost: 127.0.0.1\r\n`),
        halfSent(
          `POST ${cms} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.server.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`,
        ),
      ]);
      expect(headers.ms).toBeLessThan(5000);
      expect(body.ms).toBeLessThan(5000);
      expect(body.reply).toMatch(/^HTTP\/1\.1 408/);
      await s.post(cms, CM('during-watch'));
      const w = await watching;
      expect(w.status).toBe(200);
    } finally {
      await s.stop();
    }
  }, 30_000);
});
