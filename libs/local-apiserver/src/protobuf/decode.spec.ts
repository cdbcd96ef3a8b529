import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError, decodeEnvelope, decodeProtobufObject } from './decode.ts';
import { messageSpec, referencedMessages, PROTOBUF_KINDS } from './schema.ts';

// Bodies captured from kubectl v1.32 (`kubectl create configmap demo --from-literal=greeting=hello`,
// `kubectl create deployment web --image=nginx:1.27 --replicas=0`), both in namespace default.
const KUBECTL_CONFIGMAP =
  '6b3873000a0f0a0276311209436f6e6669674d617012300a1b0a0464656d6f12001a0764656661756c7422002a0032003800420012110a086772656574696e67120568656c6c6f1a002200';
const KUBECTL_DEPLOYMENT =
  '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412b7010a260a0377656212001a0764656661756c7422002a003200380042005a0a0a036170701203776562127f0800120c0a0a0a0361707012037765621a650a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124512270a056e67696e78120a6e67696e783a312e32372a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

// A minimal protobuf writer for hand-made messages.
function varint(n: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
}
const V = (field: number, n: bigint | number) => [...varint(field << 3), ...varint(n)];
const L = (field: number, payload: number[] | string) => {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'utf8')] : payload;
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
};
const entry = (field: number, key: string, value: number[] | string) => L(field, [...L(1, key), ...L(2, value)]);
function envelope(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...L(1, [...L(1, apiVersion), ...L(2, kind)]), ...L(2, raw)]);
}
const CM = { group: '', version: 'v1', kind: 'ConfigMap' };

describe('protobuf envelope', () => {
  it('reads TypeMeta and raw from the runtime.Unknown after the k8s\\0 magic', () => {
    const env = decodeEnvelope(hex(KUBECTL_CONFIGMAP));
    expect(env.apiVersion).toBe('v1');
    expect(env.kind).toBe('ConfigMap');
    expect(env.contentEncoding).toBe('');
    expect(env.raw.length).toBeGreaterThan(0);
  });

  it('refuses data without the magic, with the real decoder words', () => {
    let err: ProtobufDecodeError | undefined;
    try {
      decodeEnvelope(Uint8Array.from(Buffer.from('xyz')));
    } catch (e) {
      err = e as ProtobufDecodeError;
    }
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    expect(err!.message).toBe('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    expect(err!.typeKnown).toBeUndefined();
  });

  it('a truncated envelope is unexpected EOF', () => {
    expect(() => decodeEnvelope(Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x61, 0x62, 0x63]))).toThrow('unexpected EOF');
  });
});

describe('protobuf → JSON', () => {
  it('kubectl create configmap: data map, zero ObjectMeta fields dropped', () => {
    expect(decodeProtobufObject(hex(KUBECTL_CONFIGMAP), CM)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'demo', namespace: 'default' },
      data: { greeting: 'hello' },
    });
  });

  it('kubectl create deployment: pointer replicas 0 kept, nested template, empty structs kept as {}', () => {
    expect(decodeProtobufObject(hex(KUBECTL_DEPLOYMENT), { group: 'apps', version: 'v1', kind: 'Deployment' })).toEqual(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] },
          },
          strategy: {},
        },
        status: {},
      },
    );
  });

  it('bytes maps are base64, a present pointer false is kept, empty map values stay', () => {
    const raw = [
      ...L(1, L(1, 's1')),
      ...entry(2, 'bin', [0, 255]),
      ...entry(2, 'empty', []),
      ...entry(4, 'plain', 'text'),
      ...L(3, 'Opaque'),
      ...V(5, 0),
    ];
    expect(decodeProtobufObject(envelope('v1', 'Secret', raw), { group: '', version: 'v1', kind: 'Secret' })).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's1' },
      data: { bin: 'AP8=', empty: '' },
      stringData: { plain: 'text' },
      type: 'Opaque',
      immutable: false,
    });
  });

  it('IntOrString as int or string, inline embedded structs, negative int32, Quantity maps', () => {
    const intStr = (n: number) => [...V(1, 0), ...V(2, n)];
    const strStr = (s: string) => [...V(1, 1), ...L(3, s)];
    const container = [
      ...L(1, 'c'),
      ...L(7, [...L(1, 'FROM_CM'), ...L(3, L(3, [...L(1, L(1, 'cfg')), ...L(2, 'k'), ...V(3, 1)]))]),
      ...L(8, entry(1, 'cpu', L(1, '500m'))),
      ...L(10, [...L(1, L(2, [...L(1, '/healthz'), ...L(2, strStr('http'))])), ...V(2, -1)]),
    ];
    const raw = [
      ...L(1, L(1, 'd')),
      ...L(2, [
        ...L(3, L(2, L(2, container))),
        ...L(4, [...L(1, 'RollingUpdate'), ...L(2, [...L(1, intStr(0)), ...L(2, strStr('50%'))])]),
      ]),
    ];
    const out = decodeProtobufObject(envelope('apps/v1', 'Deployment', raw), {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    const spec = out.spec as { strategy: unknown; template: { spec: { containers: unknown[] } } };
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } });
    expect(spec.template.spec.containers[0]).toEqual({
      name: 'c',
      env: [{ name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } }],
      resources: { limits: { cpu: '500m' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: -1 },
    });
  });

  it('Time prints RFC 3339 seconds, MicroTime microseconds; Go zero time is dropped', () => {
    const ts = (seconds: number, nanos = 0) => [...V(1, seconds), ...(nanos ? V(2, nanos) : [])];
    const raw = [
      ...L(1, [...L(1, 'l'), ...L(8, ts(-62135596800))]),
      ...L(2, [...L(1, 'me'), ...V(2, 15), ...L(3, ts(1700000000, 123456789)), ...L(4, ts(1700000001)), ...V(5, 0)]),
    ];
    expect(
      decodeProtobufObject(envelope('coordination.k8s.io/v1', 'Lease', raw), {
        group: 'coordination.k8s.io',
        version: 'v1',
        kind: 'Lease',
      }),
    ).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: {
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: '2023-11-14T22:13:20.123456Z',
        renewTime: '2023-11-14T22:13:21.000000Z',
        leaseTransitions: 0,
      },
    });
  });

  it('an unknown field set to a value is an error naming where; an unknown zero field is ignored', () => {
    const zeroUnknown = [...L(1, [...L(1, 'p'), ...V(99, 0), ...L(98, [])])];
    expect(decodeProtobufObject(envelope('v1', 'ConfigMap', zeroUnknown), CM)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'p' },
    });
    // PodSpec field 18 is `affinity`, which the table does not describe.
    const pod = [...L(1, L(1, 'p')), ...L(2, L(18, L(1, L(1, 'x'))))];
    expect(() => decodeProtobufObject(envelope('v1', 'Pod', pod), { group: '', version: 'v1', kind: 'Pod' })).toThrow(
      "spec: field 18 of PodSpec is not supported by local-apiserver's protobuf decoder; send this object as JSON",
    );
  });

  it('an empty TypeMeta takes the endpoint type; a kind without a table is refused with the type known', () => {
    const anon = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...L(2, L(1, L(1, 'n')))]);
    expect(decodeProtobufObject(anon, CM)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
    try {
      decodeProtobufObject(envelope('example.com/v1', 'Widget', []), {
        group: 'example.com',
        version: 'v1',
        kind: 'Widget',
      });
      expect.unreachable();
    } catch (e) {
      expect((e as ProtobufDecodeError).typeKnown).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget' });
    }
  });

  it('every message a field refers to, and every top-level kind, has a table', () => {
    expect(referencedMessages().filter((m) => !messageSpec(m))).toEqual([]);
    expect(Object.values(PROTOBUF_KINDS).filter((m) => !messageSpec(m))).toEqual([]);
  });
});
