import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { Deployment, Event, type KubeObject } from '@kubeloop/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Foo, type FooObject } from '../src/api/v1alpha1/foo.ts';
import { startSampleController, type SampleControllerEnv } from './harness.ts';

const SAMPLE = join(
  import.meta.dirname,
  '../../../deploy/sample-controller/samples/samplecontroller_v1alpha1_foo.yaml',
);
// Waits cover a real kube-apiserver + kube-controller-manager on a loaded 2-core machine.
const T = { timeout: 60_000 };

let env: SampleControllerEnv;
beforeAll(async () => {
  env = await startSampleController();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const foos = () => env.client.resource(Foo);
const deployments = () => env.client.resource(Deployment);
const newFoo = (name: string, spec: FooObject['spec']): FooObject => ({
  apiVersion: Foo.apiVersion,
  kind: 'Foo',
  metadata: { name, namespace: env.namespace },
  spec,
});

/** The Events recorded on an object, as `<type> <reason>: <message>`. */
async function eventsOf(obj: KubeObject): Promise<string[]> {
  const { items } = await env.client.resource(Event).list({ namespace: env.namespace });
  return items
    .filter((e) => e.involvedObject.uid === obj.metadata.uid)
    .map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

/** The Foo once its status mirrors its Deployment's availableReplicas (0 when it reports none). */
async function synced(name: string, deploymentName: string): Promise<{ foo: FooObject; deployment: Deployment }> {
  return eventually(async () => {
    const foo = await foos().get(env.namespace, name);
    const deployment = await deployments().get(env.namespace, deploymentName);
    expect(deployment).toBeDefined();
    expect(foo?.status).toEqual({ availableReplicas: deployment!.status?.availableReplicas ?? 0 });
    return { foo: foo!, deployment: deployment! };
  }, T);
}

describe('Foo controller (upstream kubernetes/sample-controller)', () => {
  it("makes the sample's Deployment as upstream's newDeployment, controlled by the Foo, and mirrors its availableReplicas", async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as FooObject[];
    const created = await foos().create({ ...sample!, metadata: { ...sample!.metadata, namespace: env.namespace } });
    const { deployment } = await synced('example-foo', 'example-foo');
    const labels = { app: 'nginx', controller: 'example-foo' };
    expect(deployment.spec).toMatchObject({
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] } },
    });
    expect(deployment.spec!.template.spec!.containers).toHaveLength(1);
    expect(deployment.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'samplecontroller.k8s.io/v1alpha1',
        kind: 'Foo',
        name: 'example-foo',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    await eventually(
      async () => expect(await eventsOf(created)).toContain('Normal Synced: Foo synced successfully'),
      T,
    );
  });

  it('follows spec.replicas and puts back a drift of the Deployment, writing only replicas', async () => {
    await foos().create(newFoo('drift', { deploymentName: 'drift-web', replicas: 2 }));
    await eventually(
      async () => expect((await deployments().get(env.namespace, 'drift-web'))?.spec?.replicas).toBe(2),
      T,
    );
    await foos().patch(env.namespace, 'drift', { spec: { replicas: 3 } }, 'merge');
    await eventually(
      async () => expect((await deployments().get(env.namespace, 'drift-web'))?.spec?.replicas).toBe(3),
      T,
    );
    // Someone scales the Deployment and labels it: replicas go back, the label stays (upstream's
    // whole-object Update would drop it).
    await deployments().patch(
      env.namespace,
      'drift-web',
      { metadata: { labels: { team: 'web' } }, spec: { replicas: 7 } },
      'merge',
    );
    await eventually(async () => {
      const d = await deployments().get(env.namespace, 'drift-web');
      expect(d?.spec?.replicas).toBe(3);
      expect(d?.metadata.labels).toEqual({ team: 'web' });
    }, T);
    await synced('drift', 'drift-web');
  });

  it('leaves alone a Deployment of that name it does not control: Warning ErrResourceExists, no status', async () => {
    const theirs = await deployments().create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'taken', namespace: env.namespace },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'theirs' } },
        template: {
          metadata: { labels: { app: 'theirs' } },
          spec: { containers: [{ name: 'web', image: 'httpd:2' }] },
        },
      },
    });
    const foo = await foos().create(newFoo('squatter', { deploymentName: 'taken', replicas: 1 }));
    await eventually(
      async () =>
        expect(await eventsOf(foo)).toContain(
          'Warning ErrResourceExists: Resource "taken" already exists and is not managed by Foo',
        ),
      T,
    );
    const after = await deployments().get(env.namespace, 'taken');
    expect(after?.metadata.ownerReferences).toBeUndefined();
    expect(after?.spec?.replicas).toBe(4);
    expect(after?.metadata.generation).toBe(theirs.metadata.generation);
    expect((await foos().get(env.namespace, 'squatter'))?.status).toBeUndefined();
  });

  it('does nothing while spec.deploymentName is empty, and makes the Deployment once it is set', async () => {
    await foos().create(newFoo('unnamed', { replicas: 2 }));
    await foos().create(newFoo('marker', { deploymentName: 'marker-web' }));
    // The controller has reached a later Foo: the earlier one, unnamed, was left as it is.
    await synced('marker', 'marker-web');
    expect((await foos().get(env.namespace, 'unnamed'))?.status).toBeUndefined();
    await foos().patch(env.namespace, 'unnamed', { spec: { deploymentName: 'unnamed-web' } }, 'merge');
    const { deployment } = await synced('unnamed', 'unnamed-web');
    expect(deployment.spec?.replicas).toBe(2);
  });

  it('deleting the Foo garbage-collects its Deployment', async () => {
    await foos().create(newFoo('doomed', { deploymentName: 'doomed-web', replicas: 1 }));
    await synced('doomed', 'doomed-web');
    await foos().delete(env.namespace, 'doomed');
    await eventually(async () => expect(await deployments().get(env.namespace, 'doomed-web')).toBeUndefined(), T);
  });

  it('the API server refuses replicas outside 1..10, as kube-apiserver words it', async () => {
    const err = (await foos()
      .create(newFoo('eleven', { deploymentName: 'x', replicas: 11 }))
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: number; status?: { message?: string } } | undefined;
    expect(err?.code).toBe(422);
    expect(err?.status?.message).toBe(
      'Foo.samplecontroller.k8s.io "eleven" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    );
  });
});
