import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, type KubeObject } from '@kubeloop/runtime';
import { createTestNamespace, eventually } from '@kubeloop/envtest';
import {
  Fermat,
  NumberKind,
  Tuple,
  type FermatObject,
  type NumberObject,
  type TupleObject,
} from '../src/api/v1beta1/index.ts';
import { TUPLE_LABEL } from '../src/desired/labels.ts';
import { startMath, type MathEnv } from './harness.ts';

const API = 'math.potsbo.k8s.wantedly.com/v1beta1';
const T = { timeout: 20_000 };

let env: MathEnv;
beforeAll(async () => {
  env = await startMath();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const numbers = () => env.client.resource(NumberKind);
const tuples = () => env.client.resource(Tuple);
const fermats = () => env.client.resource(Fermat);

const newTuple = (namespace: string, name: string, nums: number[]): TupleObject => ({
  apiVersion: API,
  kind: 'Tuple',
  metadata: { name, namespace },
  spec: { numbers: nums },
});
const newFermat = (namespace: string, name: string, n: number): FermatObject => ({
  apiVersion: API,
  kind: 'Fermat',
  metadata: { name, namespace },
  spec: { number: n },
});

function ready(obj: { status?: { conditions?: { type: string; status: string }[] } } | undefined): string | undefined {
  return obj?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

async function settledTuple(ns: string, name: string): Promise<TupleObject> {
  return eventually(async () => {
    const t = (await tuples().get(ns, name))!;
    expect(t.status?.observedGeneration).toBe(t.metadata.generation);
    expect(ready(t)).toBe('True');
    return t;
  }, T);
}

async function settledFermat(ns: string, name: string): Promise<FermatObject> {
  return eventually(async () => {
    const f = (await fermats().get(ns, name))!;
    expect(f.status?.observedGeneration).toBe(f.metadata.generation);
    expect(ready(f)).toBe('True');
    return f;
  }, T);
}

async function childNumbers(ns: string, tuple: string): Promise<NumberObject[]> {
  const list = await numbers().list({ namespace: ns, labelSelector: `${TUPLE_LABEL}=${tuple}` });
  return list.items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

describe('Tuple', () => {
  it('[0, 1, 1] → Numbers <tuple>-0..2 with values and statuses, allSquares true', async () => {
    const ns = await createTestNamespace(env.cp, 'math-tuple-');
    const created = await tuples().create(newTuple(ns, 'sq', [0, 1, 1]));
    const t = await settledTuple(ns, 'sq');
    expect(t.status).toMatchObject({ count: 3, allSquares: true });

    const kids = await childNumbers(ns, 'sq');
    expect(kids.map((n) => [n.metadata.name, n.spec.value, n.status?.fizzBuzz, n.status?.isSquare])).toEqual([
      ['sq-0', 0, 'FizzBuzz', true],
      ['sq-1', 1, '1', true],
      ['sq-2', 1, '1', true],
    ]);
    for (const n of kids) {
      expect(n.metadata.ownerReferences).toEqual([
        {
          apiVersion: API,
          kind: 'Tuple',
          name: 'sq',
          uid: created.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(n.status?.observedGeneration).toBe(n.metadata.generation);
    }
  });

  it('spec → [2, 3]: the third Number is deleted, values updated, allSquares false', async () => {
    const ns = await createTestNamespace(env.cp, 'math-tuple-');
    await tuples().create(newTuple(ns, 't', [0, 1, 1]));
    await settledTuple(ns, 't');
    await tuples().patch(ns, 't', { spec: { numbers: [2, 3] } }, 'merge');

    await eventually(async () => {
      const kids = await childNumbers(ns, 't');
      expect(kids.map((n) => [n.metadata.name, n.spec.value, n.status?.isSquare])).toEqual([
        ['t-0', 2, false],
        ['t-1', 3, false],
      ]);
      const t = (await tuples().get(ns, 't'))!;
      expect(t.status).toMatchObject({ count: 2, allSquares: false, observedGeneration: t.metadata.generation });
      expect(ready(t)).toBe('True');
    }, T);
  });

  it('a deleted child Number is recreated', async () => {
    const ns = await createTestNamespace(env.cp, 'math-heal-');
    await tuples().create(newTuple(ns, 't', [4, 9]));
    await settledTuple(ns, 't');
    const before = (await numbers().get(ns, 't-1'))!;
    await numbers().delete(ns, 't-1');
    await eventually(async () => {
      const again = await numbers().get(ns, 't-1');
      expect(again?.metadata.uid).toBeDefined();
      expect(again!.metadata.uid).not.toBe(before.metadata.uid);
      expect(again!.spec.value).toBe(9);
      expect(again!.status?.isSquare).toBe(true);
    }, T);
    await eventually(async () => expect((await tuples().get(ns, 't'))!.status?.allSquares).toBe(true), T);
  });

  it("an edited child Number's spec.value is put back", async () => {
    const ns = await createTestNamespace(env.cp, 'math-heal-');
    await tuples().create(newTuple(ns, 't', [16]));
    await settledTuple(ns, 't');
    await numbers().patch(ns, 't-0', { spec: { value: 17 } }, 'merge');
    await eventually(async () => {
      const n = (await numbers().get(ns, 't-0'))!;
      expect(n.spec.value).toBe(16);
      expect(n.status?.isSquare).toBe(true);
      expect(n.status?.observedGeneration).toBe(n.metadata.generation);
    }, T);
  });

  it('two same-named Tuples in two namespaces never touch each other’s children', async () => {
    const a = await createTestNamespace(env.cp, 'math-a-');
    const b = await createTestNamespace(env.cp, 'math-b-');
    const ta = await tuples().create(newTuple(a, 'same', [1, 2, 3]));
    const tb = await tuples().create(newTuple(b, 'same', [4, 5, 6]));
    await settledTuple(a, 'same');
    await settledTuple(b, 'same');
    const bBefore = await childNumbers(b, 'same');

    await tuples().patch(a, 'same', { spec: { numbers: [7] } }, 'merge');
    await eventually(async () => expect((await childNumbers(a, 'same')).map((n) => n.spec.value)).toEqual([7]), T);
    await settledTuple(a, 'same');

    const bAfter = await childNumbers(b, 'same');
    expect(bAfter.map((n) => [n.metadata.uid, n.metadata.resourceVersion, n.spec.value])).toEqual(
      bBefore.map((n) => [n.metadata.uid, n.metadata.resourceVersion, n.spec.value]),
    );
    expect(bAfter.every((n) => n.metadata.ownerReferences?.[0]?.uid === tb.metadata.uid)).toBe(true);
    expect((await childNumbers(a, 'same')).every((n) => n.metadata.ownerReferences?.[0]?.uid === ta.metadata.uid)).toBe(
      true,
    );
  });

  it('unchanged children cost no writes: reconciles that change something else leave their resourceVersions alone', async () => {
    const ns = await createTestNamespace(env.cp, 'math-quiet-');
    await tuples().create(newTuple(ns, 't', [1, 2]));
    await settledTuple(ns, 't');
    await eventually(
      async () =>
        expect((await childNumbers(ns, 't')).every((n) => n.status?.observedGeneration === n.metadata.generation)).toBe(
          true,
        ),
      T,
    );
    const before = (await childNumbers(ns, 't')).map((n) => [n.metadata.name, n.metadata.resourceVersion]);
    // A metadata-only touch, then a spec change: both reconcile the Tuple; neither may rewrite t-0 or t-1.
    await tuples().patch(ns, 't', { metadata: { annotations: { poke: '1' } } }, 'merge');
    await tuples().patch(ns, 't', { spec: { numbers: [1, 2, 3] } }, 'merge');
    await eventually(async () => expect((await numbers().get(ns, 't-2'))?.status?.fizzBuzz).toBe('Fizz'), T);
    const t = await settledTuple(ns, 't');
    expect(t.status).toMatchObject({ count: 3, allSquares: false });
    const after = (await childNumbers(ns, 't')).map((n) => [n.metadata.name, n.metadata.resourceVersion]);
    expect(after.slice(0, 2)).toEqual(before);
  });

  it('records events for children created and deleted and for the Ready transitions', async () => {
    const ns = await createTestNamespace(env.cp, 'math-events-');
    await tuples().create(newTuple(ns, 't', [1, 2]));
    await settledTuple(ns, 't');
    await tuples().patch(ns, 't', { spec: { numbers: [1] } }, 'merge');
    await eventually(async () => {
      const events = (await env.client.resource(Event).list({ namespace: ns })).items as (KubeObject & {
        reason?: string;
        message?: string;
        involvedObject?: { kind?: string; name?: string };
      })[];
      const onTuple = events.filter((e) => e.involvedObject?.kind === 'Tuple' && e.involvedObject.name === 't');
      const msgs = onTuple.map((e) => `${e.reason}: ${e.message}`);
      expect(msgs).toEqual(
        expect.arrayContaining([
          'Created: created 2 Numbers: t-0, t-1',
          'Deleted: deleted Number t-1',
          expect.stringMatching(/^ChildrenReady: Ready is True: all \d Numbers reported$/),
        ]),
      );
    }, T);
  });
});

describe('writes on the way to Ready', () => {
  it('a Tuple of 10: each Number created and its status written once, the Tuple status at most twice (pending, ready), no 409', async () => {
    const ns = await createTestNamespace(env.cp, 'math-writes-');
    // Every request this process sends — the manager runs in it — as "VERB path code".
    const sent: string[] = [];
    const onResponse = (msg: unknown) => {
      const { request, response } = msg as { request: ClientRequest; response: IncomingMessage };
      const path = request.path.split('?')[0]!;
      if (request.method !== 'GET' && path.includes(`/namespaces/${ns}/`))
        sent.push(
          `${request.method} ${path} ${response.statusCode} ${String(response.headers['audit-id'] ?? '')} ${Date.now() % 100000}`,
        );
    };
    dc.subscribe('http.client.response.finish', onResponse);
    try {
      await tuples().create(newTuple(ns, 't', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      await settledTuple(ns, 't');
      const objectWrites = sent.filter((r) => !r.includes('/events'));
      const tupleStatus = objectWrites.filter((r) => r.includes('/tuples/t/status'));
      // The lines end in an audit id and a time: match the code as a word.
      expect(objectWrites.filter((r) => / 409 /.test(r))).toEqual([]);
      expect(tupleStatus.length).toBeGreaterThanOrEqual(1);
      expect(tupleStatus.length, sent.join('\n')).toBeLessThanOrEqual(2);
      expect(tupleStatus.every((r) => r.startsWith('PATCH '))).toBe(true);
      expect(objectWrites.filter((r) => /\/numbers\/t-\d+\/status /.test(r))).toHaveLength(10);
      expect(objectWrites.filter((r) => /^POST .*\/numbers /.test(r))).toHaveLength(10);
    } finally {
      dc.unsubscribe('http.client.response.finish', onResponse);
    }
  });
});

describe('Fermat', () => {
  it('5 → Tuples 1-and-4, 2-and-3; twoSquaresFound, witness 1^2 + 2^2, prime', async () => {
    const ns = await createTestNamespace(env.cp, 'math-fermat-');
    await fermats().create(newFermat(ns, 'f', 5));
    const f = await settledFermat(ns, 'f');
    expect(f.status).toMatchObject({ twoSquaresFound: true, witness: '1^2 + 2^2', prime: true });
    const ts = (await tuples().list({ namespace: ns })).items
      .map((t) => [t.metadata.name, t.spec.numbers, t.status?.allSquares])
      .sort();
    expect(ts).toEqual([
      ['f-1-and-4', [1, 4], true],
      ['f-2-and-3', [2, 3], false],
    ]);
  });

  it('7 → false, no witness, prime', async () => {
    const ns = await createTestNamespace(env.cp, 'math-fermat-');
    await fermats().create(newFermat(ns, 'f', 7));
    const f = await settledFermat(ns, 'f');
    expect(f.status).toMatchObject({ twoSquaresFound: false, prime: true });
    expect(f.status).not.toHaveProperty('witness');
  });

  it('13 → true, witness 2^2 + 3^2', async () => {
    const ns = await createTestNamespace(env.cp, 'math-fermat-');
    await fermats().create(newFermat(ns, 'f', 13));
    expect((await settledFermat(ns, 'f')).status).toMatchObject({
      twoSquaresFound: true,
      witness: '2^2 + 3^2',
      prime: true,
    });
  });

  it.each([0, 1])('%d → no children, false', async (n) => {
    const ns = await createTestNamespace(env.cp, 'math-fermat-');
    await fermats().create(newFermat(ns, 'f', n));
    expect((await settledFermat(ns, 'f')).status).toMatchObject({ twoSquaresFound: false, prime: false });
    expect((await tuples().list({ namespace: ns })).items).toEqual([]);
  });

  it('a deleted child Tuple is recreated', async () => {
    const ns = await createTestNamespace(env.cp, 'math-fermat-');
    await fermats().create(newFermat(ns, 'f', 5));
    await settledFermat(ns, 'f');
    const old = (await tuples().get(ns, 'f-1-and-4'))!;
    await tuples().delete(ns, 'f-1-and-4');
    await eventually(async () => {
      const t = await tuples().get(ns, 'f-1-and-4');
      expect(t?.metadata.uid).toBeDefined();
      expect(t!.metadata.uid).not.toBe(old.metadata.uid);
      expect(t!.spec.numbers).toEqual([1, 4]);
    }, T);
    expect((await settledFermat(ns, 'f')).status).toMatchObject({ twoSquaresFound: true, witness: '1^2 + 2^2' });
  });
});

describe('a parent that can never succeed says so', () => {
  type EventObject = KubeObject & {
    type?: string;
    reason?: string;
    message?: string;
    involvedObject?: { name?: string };
  };
  const eventsOn = async (ns: string, name: string) =>
    ((await env.client.resource(Event).list({ namespace: ns })).items as EventObject[]).filter(
      (e) => e.involvedObject?.name === name,
    );
  const readyOf = (obj: { status?: { conditions?: { type: string }[] } } | undefined) =>
    obj?.status?.conditions?.find((c) => c.type === 'Ready') as
      { status: string; reason: string; message: string; observedGeneration?: number } | undefined;

  it('a legal 246-character Fermat whose Tuple names would exceed 253: Ready=False FailedCreate, a Warning, no create sent; a spec change starts afresh', async () => {
    const ns = await createTestNamespace(env.cp, 'math-longname-');
    const name = 'f'.repeat(246);
    const sent: string[] = [];
    const onResponse = (msg: unknown) => {
      const { request } = msg as { request: ClientRequest };
      if (request.method === 'POST' && request.path.includes(`/namespaces/${ns}/tuples`)) sent.push(request.path);
    };
    dc.subscribe('http.client.response.finish', onResponse);
    try {
      await fermats().create(newFermat(ns, name, 10));
      const f = await eventually(async () => {
        const f = (await fermats().get(ns, name))!;
        expect(readyOf(f)).toMatchObject({
          status: 'False',
          reason: 'FailedCreate',
          observedGeneration: f.metadata.generation,
        });
        return f;
      }, T);
      expect(readyOf(f)!.message).toBe(
        `5 of 5 Tuples cannot be created: Tuple.math.potsbo.k8s.wantedly.com "${name}-1-and-9" is invalid: metadata.name: Invalid value: "${name}-1-and-9": must be no more than 253 characters`,
      );
      await eventually(async () => {
        const warnings = (await eventsOn(ns, name)).filter((e) => e.type === 'Warning');
        expect(warnings.map((e) => e.reason)).toEqual(['FailedCreate']);
        expect(warnings[0]!.message).toMatch(
          /^cannot create 5 Tuples; the first: Tuple.math.potsbo.k8s.wantedly.com "f+-1-and-9" is invalid/,
        );
      }, T);
      expect((await tuples().list({ namespace: ns })).items).toEqual([]);
      expect(sent).toEqual([]);

      // A spec with nothing to split is one the Fermat can satisfy.
      await fermats().patch(ns, name, { spec: { number: 1 } }, 'merge');
      expect(readyOf(await settledFermat(ns, name))).toMatchObject({ status: 'True', reason: 'ChildrenReady' });
    } finally {
      dc.unsubscribe('http.client.response.finish', onResponse);
    }
  });

  it('a Tuple whose later Numbers would have names over 253 characters makes the others and says which it cannot', async () => {
    const ns = await createTestNamespace(env.cp, 'math-longtuple-');
    const name = 't'.repeat(250); // <name>-99 is 253 characters, <name>-100 is 254
    await tuples().create(
      newTuple(
        ns,
        name,
        Array.from({ length: 102 }, (_, i) => i),
      ),
    );
    await eventually(async () => {
      const t = (await tuples().get(ns, name))!;
      expect(readyOf(t)).toMatchObject({ status: 'False', reason: 'FailedCreate' });
      expect(readyOf(t)!.message).toMatch(
        new RegExp(
          `^2 of 102 Numbers cannot be created: Number.math.potsbo.k8s.wantedly.com "${name}-100" is invalid: .*must be no more than 253 characters$`,
        ),
      );
      expect((await numbers().list({ namespace: ns })).items).toHaveLength(100);
    }, T);
  });
});

describe('validation by the API server (messages as a real kube-apiserver words them)', () => {
  async function refusal(p: Promise<unknown>): Promise<string> {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: number; status?: { message?: string; reason?: string } } | undefined;
    expect(err, 'the API server accepted an invalid object').toBeDefined();
    expect(err!.code).toBe(422);
    expect(err!.status?.reason).toBe('Invalid');
    // The Status message exactly as the server sent it (the client's Error message adds the request).
    return err!.status!.message!;
  }

  it('Number beyond ±(2^53−1)', async () => {
    const ns = await createTestNamespace(env.cp, 'math-invalid-');
    const mk = (name: string, value: number): NumberObject => ({
      apiVersion: API,
      kind: 'Number',
      metadata: { name, namespace: ns },
      spec: { value },
    });
    expect(await refusal(numbers().create(mk('big', 2 ** 53)))).toBe(
      'Number.math.potsbo.k8s.wantedly.com "big" is invalid: spec.value: Invalid value: 9007199254740992: spec.value in body should be less than or equal to 9007199254740991',
    );
    expect(await refusal(numbers().create(mk('small', -(2 ** 53))))).toBe(
      'Number.math.potsbo.k8s.wantedly.com "small" is invalid: spec.value: Invalid value: -9007199254740992: spec.value in body should be greater than or equal to -9007199254740991',
    );
    await expect(numbers().create(mk('edge', Number.MAX_SAFE_INTEGER))).resolves.toBeDefined();
  });

  it('Tuple with more than 1000 numbers', async () => {
    const ns = await createTestNamespace(env.cp, 'math-invalid-');
    const big = newTuple(
      ns,
      't-big',
      Array.from({ length: 1001 }, (_, i) => i),
    );
    expect(await refusal(tuples().create(big))).toBe(
      'Tuple.math.potsbo.k8s.wantedly.com "t-big" is invalid: spec.numbers: Too many: 1001: must have at most 1000 items',
    );
  });

  it('Fermat above 10000 or negative', async () => {
    const ns = await createTestNamespace(env.cp, 'math-invalid-');
    expect(await refusal(fermats().create(newFermat(ns, 'f-big', 10_001)))).toBe(
      'Fermat.math.potsbo.k8s.wantedly.com "f-big" is invalid: spec.number: Invalid value: 10001: spec.number in body should be less than or equal to 10000',
    );
    expect(await refusal(fermats().create(newFermat(ns, 'f-neg', -1)))).toBe(
      'Fermat.math.potsbo.k8s.wantedly.com "f-neg" is invalid: spec.number: Invalid value: -1: spec.number in body should be greater than or equal to 0',
    );
  });
});
