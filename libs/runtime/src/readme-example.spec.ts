import { expect, it } from 'vitest';
import { startControlPlane, eventually } from '@kubeloop/envtest';
import { Client, ConfigMap, Manager, Type, controllerFor, crdFor, defineKind, requeueAfter } from './index.ts';

// 1. A kind, declared once: the CRD, the TS type and the typed client all come from it.
const Greeting = defineKind({
  group: 'demo.kubeloop.dev',
  version: 'v1',
  kind: 'Greeting',
  plural: 'greetings',
  scope: 'Namespaced',
  spec: Type.Object({ who: Type.String({ minLength: 1 }) }),
  status: Type.Object({ message: Type.Optional(Type.String()) }),
});

// 2. A controller: level-based, idempotent, reads the cache, writes through the client.
const greetingController = controllerFor(Greeting)
  .owns(ConfigMap) // a change to (or deletion of) the ConfigMap wakes its Greeting
  .complete(async ({ namespace, name }, ctx) => {
    const greeting = ctx.cache.reader(Greeting).get(namespace, name);
    if (!greeting) return; // deleted: the garbage collector removes the ConfigMap
    const message = `Hello, ${greeting.spec.who}!`;
    const existing = ctx.cache.reader(ConfigMap).get(namespace, name);
    if (existing?.data?.message !== message) {
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        data: { message },
        metadata: {
          name,
          namespace,
          ownerReferences: [
            { apiVersion: Greeting.apiVersion, kind: 'Greeting', name, uid: greeting.metadata.uid!, controller: true },
          ],
        },
      };
      if (existing)
        await ctx.client
          .resource(ConfigMap)
          .update({ ...cm, metadata: { ...cm.metadata, resourceVersion: existing.metadata.resourceVersion } });
      else await ctx.client.resource(ConfigMap).create(cm);
      ctx.events.normal(greeting, 'Greeted', message);
    }
    if (greeting.status?.message !== message) {
      await ctx.client.resource(Greeting).patchStatus(namespace, name, { status: { message } });
    }
    return requeueAfter(10 * 60_000); // nothing to poll here; shows the API
  });

// 3. A manager runs it (in main.ts: `runManager('greeter', (mgr) => mgr.add(greetingController))`).
it('greets', async () => {
  const cp = await startControlPlane({ crds: [crdFor(Greeting)] });
  const mgr = new Manager({
    name: 'greeter',
    kubeConfig: cp.kubeConfig,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
  });
  mgr.add(greetingController);
  const stop = new AbortController();
  const running = mgr.start(stop.signal);

  const client = new Client(cp.kubeConfig);
  await client.resource(Greeting).create({
    apiVersion: Greeting.apiVersion,
    kind: 'Greeting',
    metadata: { name: 'world', namespace: 'default' },
    spec: { who: 'world' },
  });
  await eventually(async () => {
    expect((await client.resource(ConfigMap).get('default', 'world'))?.data?.message).toBe('Hello, world!');
    expect((await client.resource(Greeting).get('default', 'world'))?.status?.message).toBe('Hello, world!');
  });
  stop.abort();
  await running;
  await cp.stop();
});
