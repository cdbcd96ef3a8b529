import { join } from 'node:path';
import { createTestNamespace, eventually, loadManifests } from '@kubeloop/envtest';
import { ApiError } from '@kubeloop/runtime';
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
const sample = () => (loadManifests(SAMPLE) as unknown as GuestbookObject[])[0]!;
const inNamespace = (obj: GuestbookObject, namespace: string, name = obj.metadata.name): GuestbookObject => ({
  ...obj,
  metadata: { ...obj.metadata, namespace, name },
});

/** Resolves once the Guestbook reports Ready=True for the generation given. */
const reconciledAt = (namespace: string, name: string, generation: number | undefined) =>
  eventually(
    async () => {
      const got = await guestbooks().get(namespace, name);
      expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: generation });
      expect(got!.status?.observedGeneration).toBe(generation);
      return got!;
    },
    { timeout: 20_000 },
  );

describe('Guestbook controller', () => {
  it('reconciles the sample (size 1, myconfig, Address): Ready=True for the generation it saw, no active or standby node', async () => {
    expect(sample().spec).toEqual({ size: 1, configMapName: 'myconfig', alias: 'Address' });
    const created = await guestbooks().create(inNamespace(sample(), env.namespace));
    const reconciled = await reconciledAt(env.namespace, created.metadata.name!, created.metadata.generation);
    expect(reconciled.status).toMatchObject({ active: '', standby: [] });
    expect(readyOf(reconciled)!.message).toBe('size 1, configuration in ConfigMap myconfig');

    // A spec change is a new generation; Ready follows it.
    const updated = await guestbooks().patch(env.namespace, created.metadata.name!, { spec: { size: 3 } }, 'merge');
    expect(updated.metadata.generation).toBe(created.metadata.generation! + 1);
    const again = await reconciledAt(env.namespace, created.metadata.name!, updated.metadata.generation);
    expect(readyOf(again)!.message).toBe('size 3, configuration in ConfigMap myconfig');
  });

  it('never reconciles a Guestbook outside WATCH_NAMESPACE, even one created or changed before a watched one', async () => {
    const elsewhere = await createTestNamespace(env.cp, 'guestbook-other-');
    const outside = await guestbooks().create(inNamespace(sample(), elsewhere, 'outside'));
    const inside = await guestbooks().create(inNamespace(sample(), env.namespace, 'inside'));
    // Events arrive in order on one watch: had the manager watched `elsewhere` too, it would have
    // seen `outside` before `inside`.
    await reconciledAt(env.namespace, 'inside', inside.metadata.generation);
    expect((await guestbooks().get(elsewhere, 'outside'))!.status).toBeUndefined();

    await guestbooks().patch(elsewhere, 'outside', { spec: { size: 2 } }, 'merge');
    const insideChanged = await guestbooks().patch(env.namespace, 'inside', { spec: { size: 2 } }, 'merge');
    await reconciledAt(env.namespace, 'inside', insideChanged.metadata.generation);
    const after = (await guestbooks().get(elsewhere, 'outside'))!;
    expect(after.metadata.generation).toBe(outside.metadata.generation! + 1);
    expect(after.status).toBeUndefined();
  });
});

/**
 * Every bound lives in the CRD schema, so these are kube-apiserver's own messages (checked
 * against v1.36.2 with KUBEBUILDER_ASSETS; local-apiserver must answer the same).
 */
describe('a bad Guestbook is refused by the API server, with its message', () => {
  const spec = { size: 1, configMapName: 'myconfig' };
  it.each<[string, unknown, string, string]>([
    [
      'size 0',
      { ...spec, size: 0 },
      'spec.size',
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
    ],
    [
      'size 11',
      { ...spec, size: 11 },
      'spec.size',
      'spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
    ],
    ['no size', { configMapName: 'myconfig' }, 'spec.size', 'spec.size: Required value'],
    [
      'a 16-character configMapName',
      { ...spec, configMapName: 'configmap-name16' },
      'spec.configMapName',
      'spec.configMapName: Too long: may not be more than 15 bytes',
    ],
    [
      'an empty configMapName',
      { ...spec, configMapName: '' },
      'spec.configMapName',
      'spec.configMapName: Invalid value: "": spec.configMapName in body should be at least 1 chars long',
    ],
    [
      'alias Email',
      { ...spec, alias: 'Email' },
      'spec.alias',
      'spec.alias: Unsupported value: "Email": supported values: "Phone", "Address", "Name"',
    ],
    ['no spec', undefined, 'spec', 'spec: Required value'],
  ])('%s', async (_case, badSpec, field, message) => {
    const obj = {
      apiVersion: Guestbook.apiVersion,
      kind: Guestbook.kind,
      metadata: { name: 'bad', namespace: env.namespace },
      ...(badSpec === undefined ? {} : { spec: badSpec }),
    } as GuestbookObject;
    const error = await guestbooks()
      .create(obj)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ApiError);
    const { status } = error as ApiError;
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: `Guestbook.webapp.my.domain "bad" is invalid: ${message}`,
      details: { name: 'bad', group: 'webapp.my.domain', kind: 'Guestbook' },
    });
    expect(status.details!.causes).toEqual([expect.objectContaining({ field })]);
    // Nothing was stored.
    expect(await guestbooks().get(env.namespace, 'bad')).toBeUndefined();
  });
});
