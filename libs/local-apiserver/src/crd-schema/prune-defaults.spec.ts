import { describe, expect, it } from 'vitest';
import { compileSchema } from './compile.ts';
import { widget, widgetSchema } from './crd-schema.test-helpers.ts';

const schema = compileSchema(widgetSchema);

describe('CRD-P-1 pruning', () => {
  it('CRD-P-1 drops unknown fields and returns their paths (sorted, metadata last) like the real server', () => {
    const obj = widget({
      name: 'abc',
      unk: 1,
      pres: { a: 1, inner: { k: 'v', z: 2 } },
      emb: { apiVersion: 'v1', kind: 'X', metadata: { name: 'e', foo: 1 }, spec: {}, zz: 1 },
    });
    const pruned = schema.prune(obj);
    // Real server warnings for the same body: spec.emb.zz, spec.pres.inner.z, spec.unk, spec.emb.metadata.foo
    expect(pruned).toEqual(['spec.emb.zz', 'spec.pres.inner.z', 'spec.unk', 'spec.emb.metadata.foo']);
    expect(obj.spec).toEqual({
      name: 'abc',
      pres: { a: 1, inner: { k: 'v' } },
      emb: { apiVersion: 'v1', kind: 'X', metadata: { name: 'e' }, spec: {} },
    });
  });

  it('CRD-P-1 keeps apiVersion/kind/metadata at the root and drops unknown metadata fields', () => {
    const obj = {
      apiVersion: 'h2probe.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', foo: 1, labels: { a: 'b' } },
      spec: { name: 'abc' },
      extra: true,
    };
    expect(schema.prune(obj)).toEqual(['extra', 'metadata.foo']);
    expect(obj).toEqual({
      apiVersion: 'h2probe.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { name: 'abc' },
    });
  });

  it('CRD-P-1 prunes inside array items with [i] paths', () => {
    const s = compileSchema({
      type: 'object',
      properties: { l: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } },
    });
    const obj = { l: [{ a: 'x', b: 1 }, { c: 2 }] };
    expect(s.prune(obj)).toEqual(['l[0].b', 'l[1].c']);
    expect(obj).toEqual({ l: [{ a: 'x' }, {}] });
  });

  it('CRD-P-1 a type: object without properties keeps nothing; preserve-unknown keeps everything', () => {
    const s = compileSchema({
      type: 'object',
      properties: { o: { type: 'object' }, p: { 'x-kubernetes-preserve-unknown-fields': true } },
    });
    const obj = { o: { a: 1 }, p: { any: { deep: [1] } } };
    expect(s.prune(obj)).toEqual(['o.a']);
    expect(obj).toEqual({ o: {}, p: { any: { deep: [1] } } });
  });

  it('CRD-P-4 int-or-string values are kept as they are', () => {
    const obj = widget({ name: 'abc', ios: '50%' });
    expect(schema.prune(obj)).toEqual([]);
    expect(obj.spec.ios).toBe('50%');
  });
});

describe('CRD-P-2 / CRD-P-3 defaulting', () => {
  it('CRD-P-2 applies defaults, recursing into defaulted objects (default: {} picks up child defaults)', () => {
    const obj = widget({ name: 'abc' });
    schema.applyDefaults(obj);
    expect(obj.spec).toEqual({ name: 'abc', replicas: 1, mode: 'a', defobj: { x: 7 } });
  });

  it('CRD-P-2 does not create a parent without a default', () => {
    const obj: Record<string, unknown> = { apiVersion: 'v', kind: 'Widget', metadata: { name: 'w' } };
    schema.applyDefaults(obj);
    expect(obj.spec).toBeUndefined();
    expect(obj.status).toBeUndefined();
  });

  it('CRD-P-3 drops null for non-nullable fields, keeps it for nullable ones, defaults a null with a default', () => {
    const obj = widget({ name: 'abc', nul: null, nonnul: null, replicas: null });
    schema.applyDefaults(obj);
    expect(obj.spec).toEqual({ name: 'abc', nul: null, replicas: 1, mode: 'a', defobj: { x: 7 } });
  });

  it('CRD-P-2 defaults inside array items and additionalProperties values', () => {
    const s = compileSchema({
      type: 'object',
      properties: {
        l: { type: 'array', items: { type: 'object', properties: { p: { type: 'integer', default: 80 } } } },
        m: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } },
        },
      },
    });
    const obj = { l: [{}, { p: 1 }], m: { a: {}, b: { on: false } } };
    s.applyDefaults(obj);
    expect(obj).toEqual({ l: [{ p: 80 }, { p: 1 }], m: { a: { on: true }, b: { on: false } } });
  });

  it('CRD-P-2 defaults are copies: mutating one object does not change the schema default', () => {
    const a = widget({ name: 'abc' });
    schema.applyDefaults(a);
    (a.spec as { defobj: { x: number } }).defobj.x = 1;
    const b = widget({ name: 'abc' });
    schema.applyDefaults(b);
    expect((b.spec as { defobj: { x: number } }).defobj.x).toBe(7);
  });

  it('a CRD version without a schema validates, prunes and defaults nothing', () => {
    const none = compileSchema(undefined);
    const obj = { spec: { anything: 1 } };
    expect(none.prune(obj)).toEqual([]);
    none.applyDefaults(obj);
    expect(none.validate(obj, { kind: 'X', group: 'g.io', name: 'x' })).toEqual([]);
    expect(obj).toEqual({ spec: { anything: 1 } });
  });
});
