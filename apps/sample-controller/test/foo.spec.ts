import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Foo, type FooObject } from '../src/api/v1alpha1/foo.ts';
import { startSampleController, type SampleControllerEnv } from './harness.ts';

const SAMPLE = join(
  import.meta.dirname,
  '../../../deploy/sample-controller/samples/samplecontroller_v1alpha1_foo.yaml',
);

let env: SampleControllerEnv;
beforeAll(async () => {
  env = await startSampleController();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const foos = () => env.client.resource(Foo);
const readyOf = (obj: FooObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

describe('Foo controller', () => {
  it('reconciles the sample: Ready=True for the generation it saw', async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as FooObject[];
    const created = await foos().create({ ...sample!, metadata: { ...sample!.metadata, namespace: env.namespace } });
    const reconciled = await eventually(
      async () => {
        const got = await foos().get(env.namespace, created.metadata.name!);
        expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: created.metadata.generation });
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reconciled.status?.observedGeneration).toBe(created.metadata.generation);
  });
});
