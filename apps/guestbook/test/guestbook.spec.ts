import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Guestbook, type GuestbookObject } from '../src/api/v1/guestbook.ts';
import { startGuestbook, type GuestbookEnv } from './harness.ts';

const SAMPLE = join(import.meta.dirname, '../../../deploy/guestbook/samples/webapp_v1_guestbook.yaml');

let env: GuestbookEnv;
beforeAll(async () => {
  env = await startGuestbook();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const guestbooks = () => env.client.resource(Guestbook);
const readyOf = (obj: GuestbookObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

describe('Guestbook controller', () => {
  it('reconciles the sample: Ready=True for the generation it saw', async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as GuestbookObject[];
    const created = await guestbooks().create({
      ...sample!,
      metadata: { ...sample!.metadata, namespace: env.namespace },
    });
    const reconciled = await eventually(
      async () => {
        const got = await guestbooks().get(env.namespace, created.metadata.name!);
        expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: created.metadata.generation });
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reconciled.status?.observedGeneration).toBe(created.metadata.generation);
  });
});
