import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestMeter, writesTo, type RequestEvent } from './request-meter.ts';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url!.includes('conflict') ? 409 : 200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function send(method: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : '{}');
  });
}

describe('RequestMeter', () => {
  it('counts what this process sends by verb and resource, with answers and conflicts', async () => {
    const meter = new RequestMeter().start();
    const events: RequestEvent[] = [];
    const off = meter.onRequest((e) => events.push(e));
    const ns = '/apis/g/v1/namespaces/a';
    await Promise.all([
      send('POST', `${ns}/numbers`),
      send('POST', `${ns}/numbers`),
      send('PUT', `${ns}/numbers/x/status`),
      send('GET', `${ns}/numbers`),
    ]);
    await send('PUT', `${ns}/tuples/conflict/status`);
    off();
    meter.stop();
    await send('POST', `${ns}/numbers`); // not counted: stopped

    const s = meter.snapshot();
    expect(s.byKey['create numbers']).toMatchObject({ count: 2, codes: { '200': 2 } });
    expect(s.byVerb).toEqual({ create: 2, update: 2, list: 1 });
    expect(s.total).toBe(5);
    expect(s.writes).toBe(4);
    expect(s.conflicts).toBe(1);
    expect(s.peakWritesInFlight).toBeGreaterThanOrEqual(1);
    expect(writesTo(s, 'numbers/status')).toBe(1);
    expect(writesTo(s, 'numbers', ['create'])).toBe(2);
    expect(events).toHaveLength(5);
    expect(events.find((e) => e.name === 'conflict')).toMatchObject({
      verb: 'update',
      resource: 'tuples/status',
      status: 409,
    });
    expect(events.every((e) => e.endedAt > performance.timeOrigin)).toBe(true);
  });

  it('reset starts a new period', async () => {
    const meter = new RequestMeter().start();
    await send('POST', '/api/v1/namespaces/a/events');
    meter.reset();
    await send('GET', '/api/v1/namespaces/a/events/e');
    meter.stop();
    expect(meter.snapshot().byVerb).toEqual({ get: 1 });
  });
});
