import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { Client, ConfigMap, Event, EventRecorder, Namespace, type Event as EventT } from '../src/index.ts';

let cp: ControlPlane;
let client: Client;
let ns: string;

beforeAll(async () => {
  cp = await startControlPlane();
  client = new Client(cp.kubeConfig, { fieldManager: 'runtime-test' });
  ns = await createTestNamespace(cp, 'events-');
});
afterAll(async () => {
  client?.close();
  await cp?.stop();
});

async function eventsFor(name: string, namespace = ns): Promise<EventT[]> {
  const list = await client.resource(Event).list({ namespace, fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

describe('EventRecorder against an API server', () => {
  it('records core/v1 Events with reportingComponent and source.component, aggregating repeats', async () => {
    const cm = await client.resource(ConfigMap).create({ metadata: { name: 'subject', namespace: ns } });
    const recorder = new EventRecorder(client, { component: 'math', instance: 'pod-1' });
    recorder.normal(cm, 'Created', 'created Number t-0');
    recorder.normal(cm, 'Created', 'created Number t-0');
    recorder.normal(cm, 'Created', 'created Number t-0');
    recorder.warning(cm, 'Failed', 'could not compute');
    await recorder.flush();

    const events = await eventsFor('subject');
    expect(events).toHaveLength(2);
    const created = events.find((e) => e.reason === 'Created')!;
    expect(created).toMatchObject({
      type: 'Normal',
      message: 'created Number t-0',
      count: 3,
      reportingComponent: 'math',
      reportingInstance: 'pod-1',
      source: { component: 'math', host: 'pod-1' },
      involvedObject: { kind: 'ConfigMap', name: 'subject', namespace: ns, uid: cm.metadata.uid, apiVersion: 'v1' },
    });
    expect(Date.parse(created.lastTimestamp!)).toBeGreaterThanOrEqual(Date.parse(created.firstTimestamp!));
    expect(events.find((e) => e.reason === 'Failed')).toMatchObject({ type: 'Warning', count: 1 });
  });

  it('puts events about cluster-scoped objects in "default"', async () => {
    const nsObj = await client.resource(Namespace).get('', ns);
    const recorder = new EventRecorder(client, { component: 'math' });
    recorder.normal(nsObj!, 'Seen', 'namespace seen');
    await recorder.flush();
    await eventually(async () => expect((await eventsFor(ns, 'default')).map((e) => e.reason)).toContain('Seen'));
  });

  it('never throws into the caller: a failing write is logged and dropped', async () => {
    const lines: { msg?: string }[] = [];
    const { createLogger } = await import('../src/index.ts');
    const logger = createLogger({
      level: 'warn',
      destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    const recorder = new EventRecorder(client, { component: 'math', logger });
    // The namespace does not exist: the API server refuses the Event.
    expect(() =>
      recorder.warning(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'no-such-ns-kubeloop' } },
        'R',
        'm',
      ),
    ).not.toThrow();
    await recorder.flush();
    expect(lines.map((l) => l.msg)).toContain('could not record event');
  });

  it('starts a new Event when the aggregated one was deleted', async () => {
    const cm = await client.resource(ConfigMap).create({ metadata: { name: 'subject2', namespace: ns } });
    const recorder = new EventRecorder(client, { component: 'math' });
    recorder.normal(cm, 'Again', 'same');
    await recorder.flush();
    const [first] = await eventsFor('subject2');
    await client.resource(Event).delete(ns, first!.metadata.name!);
    recorder.normal(cm, 'Again', 'same');
    await recorder.flush();
    const after = await eventsFor('subject2');
    expect(after).toHaveLength(1);
    expect(after[0]!.count).toBe(1);
    expect(after[0]!.metadata.name).not.toBe(first!.metadata.name);
  });
});
