import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '../client/client.ts';
import { FakeApiServer, json, status } from '../client/fake-server.test-helpers.ts';
import { FakeClock } from '../queue/clock.ts';
import { EventRecorder } from './recorder.ts';

let server: FakeApiServer;
let client: Client;
let clock: FakeClock;

const subject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', uid: 'u1' } };

beforeEach(async () => {
  server = await new FakeApiServer().start();
  server.route = (req, res) =>
    json(res, req.method === 'POST' ? 201 : 200, req.method === 'POST' ? JSON.parse(req.body) : {});
  client = new Client(server.kubeConfig(), { retryInitialMs: 1 });
  clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
});
afterEach(async () => {
  client.close();
  await server.stop();
});

const calls = () => server.requests.map((r) => `${r.method} ${r.url.pathname}`);

describe('EventRecorder aggregation', () => {
  it('creates once, then patches count and lastTimestamp within the window; a new Event after it', async () => {
    const rec = new EventRecorder(client, { component: 'math', instance: 'pod-1', clock });
    rec.normal(subject, 'Created', 'made it');
    await rec.flush();
    const created = JSON.parse(server.requests[0]!.body);
    expect(created).toMatchObject({
      metadata: { namespace: 'ns' },
      type: 'Normal',
      reason: 'Created',
      count: 1,
      firstTimestamp: '2026-11-23T10:00:00Z',
      reportingComponent: 'math',
      source: { component: 'math', host: 'pod-1' },
    });
    expect(created.metadata.name).toMatch(/^cm\.[0-9a-f]+$/);

    clock.advance(60_000);
    rec.normal(subject, 'Created', 'made it');
    await rec.flush();
    expect(server.requests[1]!.method).toBe('PATCH');
    expect(server.requests[1]!.url.pathname).toBe(`/api/v1/namespaces/ns/events/${created.metadata.name}`);
    expect(server.requests[1]!.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ count: 2, lastTimestamp: '2026-11-23T10:01:00Z' });

    rec.normal(subject, 'Created', 'another message');
    await rec.flush();
    clock.advance(10 * 60_000);
    rec.normal(subject, 'Created', 'made it');
    await rec.flush();
    expect(calls()).toEqual([
      'POST /api/v1/namespaces/ns/events',
      `PATCH /api/v1/namespaces/ns/events/${created.metadata.name}`,
      'POST /api/v1/namespaces/ns/events',
      'POST /api/v1/namespaces/ns/events',
    ]);
  });

  it('a burst of repeats becomes one create and one patch carrying the folded count', async () => {
    const rec = new EventRecorder(client, { component: 'math', clock });
    for (let i = 0; i < 4; i++) rec.warning(subject, 'Failed', 'boom');
    await rec.flush();
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(JSON.parse(server.requests[1]!.body).count).toBe(4);
  });

  it('writes one Event at a time by default, in the order recorded, and counts what waits', async () => {
    let inFlight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    server.route = (req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      release.push(() => {
        inFlight--;
        json(res, 201, JSON.parse(req.body));
      });
    };
    const rec = new EventRecorder(client, { component: 'math', clock });
    const objs = ['a', 'b', 'c'].map((name) => ({ ...subject, metadata: { ...subject.metadata, name, uid: name } }));
    for (const o of objs) rec.normal(o, 'Created', `created ${o.metadata.name}`);
    expect(rec.pending).toBe(3);
    const done = rec.flush();
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(release.length).toBe(i + 1));
      release[i]!();
    }
    await done;
    expect(peak).toBe(1);
    expect(rec.pending).toBe(0);
    expect(server.requests.map((r) => JSON.parse(r.body).message)).toEqual(['created a', 'created b', 'created c']);
  });

  it('maxInFlight lets several distinct Events go at once, never two of the same key', async () => {
    const rec = new EventRecorder(client, { component: 'math', clock, maxInFlight: 4 });
    rec.normal(subject, 'A', 'x');
    rec.normal(subject, 'A', 'x');
    rec.normal(subject, 'B', 'y');
    await rec.flush();
    expect(server.requests.map((r) => `${r.method} ${JSON.parse(r.body).reason ?? JSON.parse(r.body).count}`)).toEqual([
      'POST A',
      'POST B',
      'PATCH 2',
    ]);
  });

  it('stamps the time an Event happened, not the time the queue wrote it', async () => {
    const rec = new EventRecorder(client, { component: 'math', clock });
    rec.normal(subject, 'Seen', 'first');
    rec.normal({ ...subject, metadata: { ...subject.metadata, name: 'other' } }, 'Seen', 'second');
    clock.advance(5_000);
    await rec.flush();
    expect(server.requests.map((r) => JSON.parse(r.body).firstTimestamp)).toEqual([
      '2026-11-23T10:00:00Z',
      '2026-11-23T10:00:00Z',
    ]);
  });

  it('never throws to the caller and keeps working after an API error', async () => {
    server.route = (req, res) => json(res, 403, status(403, 'Forbidden', 'events is forbidden'));
    const rec = new EventRecorder(client, { component: 'math', clock });
    expect(() => rec.normal(subject, 'X', 'y')).not.toThrow();
    await rec.flush();
    server.route = (req, res) => json(res, 201, JSON.parse(req.body));
    rec.normal(subject, 'X', 'y');
    await rec.flush();
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });
});
