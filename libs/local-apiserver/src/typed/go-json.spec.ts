import { describe, expect, it } from 'vitest';
import { goEncode, goRoundTrip, structOfKind } from './go-json.ts';
import { JsonSyntaxError, parseJsonText } from './json-text.ts';
import { parseGoTime, RFC3339_MICRO, formatGoMicroTime } from './go-time.ts';

// Expected texts are kube-apiserver v1.36.2's answers (conformance goldens configmap.json,
// coordination-events.json, request-options.json).
describe('goRoundTrip', () => {
  it('reports unknown fields by path and drops them', () => {
    const r = goRoundTrip(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', bogusMeta: 1 },
        spec: { template: { spec: { containers: [{ name: 'c', image: 'x', imagee: 'typo' }] } } },
        bogus: 1,
      },
      structOfKind('apps', 'Deployment')!,
    );
    expect(r.unknownFields).toEqual(['metadata.bogusMeta', 'spec.template.spec.containers[0].imagee', 'bogus']);
    expect(r.value).not.toHaveProperty('bogus');
    const value = r.value as { spec: { template: { spec: { containers: unknown[] } } } };
    expect(value.spec.template.spec.containers[0]).toEqual({ name: 'c', image: 'x', resources: {} });
  });

  it("words type errors as Go's json package does", () => {
    expect(goRoundTrip({ data: { a: 1 } }, structOfKind('', 'ConfigMap')!).error).toBe(
      'json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
    expect(
      goRoundTrip({ spec: { leaseDurationSeconds: 'x' } }, structOfKind('coordination.k8s.io', 'Lease')!).error,
    ).toBe('json: cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32');
    expect(
      goRoundTrip({ spec: { leaseDurationSeconds: 1.5 } }, structOfKind('coordination.k8s.io', 'Lease')!).error,
    ).toBe('json: cannot unmarshal number 1.5 into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32');
  });

  it('omits empty omitempty fields and writes the others, in struct order', () => {
    const e = goEncode(
      { kind: 'Event', apiVersion: 'v1', metadata: { name: 'e' }, count: 0, message: '' },
      structOfKind('', 'Event')!,
    );
    expect(Object.keys(e)).toEqual([
      'kind',
      'apiVersion',
      'metadata',
      'involvedObject',
      'source',
      'firstTimestamp',
      'lastTimestamp',
      'eventTime',
      'reportingComponent',
      'reportingInstance',
    ]);
    expect(e).toMatchObject({ eventTime: null, reportingComponent: '', firstTimestamp: null });
    expect(goEncode({ status: { replicas: 0 } }, structOfKind('apps', 'ReplicaSet')!).status).toEqual({ replicas: 0 });
    expect(goEncode({ status: { replicas: 0 } }, structOfKind('apps', 'Deployment')!).status).toEqual({});
  });

  it('parses MicroTime strictly and prints it in UTC with six digits', () => {
    const lease = structOfKind('coordination.k8s.io', 'Lease')!;
    expect(goRoundTrip({ spec: { renewTime: '2025-01-01T00:00:00Z' } }, lease).error).toBe(
      'parsing time "2025-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    );
    expect(formatGoMicroTime(parseGoTime('2025-01-01T02:00:00.500000+02:00', RFC3339_MICRO))).toBe(
      '2025-01-01T00:00:00.500000Z',
    );
  });
});

describe('parseJsonText', () => {
  it('finds duplicate keys and answers syntax errors in Go words', () => {
    expect(parseJsonText('{"data":{"a":"1"},"data":{"b":"2"},"x":[{"k":1,"k":2}]}').duplicates).toEqual([
      'data',
      'x[0].k',
    ]);
    expect(() => parseJsonText('{"apiVersion":')).toThrow(new JsonSyntaxError('unexpected end of JSON input'));
    expect(() => parseJsonText('{"a" 1}')).toThrow("invalid character '1' after object key");
    expect(() => parseJsonText('[1,]')).toThrow("invalid character ']' looking for beginning of value");
  });

  it('finds a repeated key however the text hides it from a quick look', () => {
    // Keys and values with quotes, colons, escapes and whitespace: only real keys may count.
    const q = JSON.stringify;
    const head = `{${q('a":')}:${q('b\\", "c": 1')},"q": [ "x" , {"k" :"v:"} ]`;
    const tricky = `${head},${q('e\\')}:{"":${q('"')},"":2} , "__proto__" : {"p":1}}`;
    expect(parseJsonText(tricky)).toEqual({ value: JSON.parse(tricky) as unknown, duplicates: ['e\\.'] });
    const clean = `${head},"__proto__" : {"p":1}}`;
    const parsed = parseJsonText(clean);
    expect(parsed).toEqual({ value: JSON.parse(clean) as unknown, duplicates: [] });
    expect(Object.keys(parsed.value as object)).toEqual(['a":', 'q', '__proto__']);
    expect(parseJsonText('[{"k":1},{"k":2,"k":3}]').duplicates).toEqual(['[1].k']);
    expect(parseJsonText(q('just a ":" string')).value).toBe('just a ":" string');
  });

  it('takes any depth without a repeated key (the store refuses it later, with a 400)', () => {
    const deep = `{"a":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    expect(parseJsonText(deep).duplicates).toEqual([]);
  });
});
