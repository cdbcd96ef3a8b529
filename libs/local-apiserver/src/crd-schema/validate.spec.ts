import { describe, expect, it } from 'vitest';
import { renderFieldError } from '../errors.ts';
import { compileSchema } from './compile.ts';
import { widget, widgetSchema } from './crd-schema.test-helpers.ts';

/**
 * Expected strings are what kube-apiserver v1.36.2 answered for the same CRD and bodies
 * (recorded against real binaries through envtest's KUBEBUILDER_ASSETS). Across sibling fields
 * the real order is Go map order, so tests compare sets of rendered errors.
 */
const schema = compileSchema(widgetSchema);
const ctx = { kind: 'Widget', group: 'h2probe.example.com', name: 'w1' };

function errorsOf(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] {
  return schema.validate(widget(spec, extra), ctx).map(renderFieldError).sort();
}

describe('CRD-VAL-1 validation messages', () => {
  it('CRD-VAL-1 maximum: Invalid value with "less than or equal to"', () => {
    expect(errorsOf({ name: 'abc', replicas: 100 })).toEqual([
      'spec.replicas: Invalid value: 100: spec.replicas in body should be less than or equal to 5',
    ]);
  });

  it('CRD-VAL-1 minimum and exclusive bounds', () => {
    expect(errorsOf({ name: 'abc', replicas: 0 })).toEqual([
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ]);
    expect(errorsOf({ name: 'abc', ex: 5 })).toEqual([
      'spec.ex: Invalid value: 5: spec.ex in body should be less than 5',
    ]);
    expect(errorsOf({ name: 'abc', ex: 1 })).toEqual([
      'spec.ex: Invalid value: 1: spec.ex in body should be greater than 1',
    ]);
  });

  it('CRD-VAL-1 required: Required value', () => {
    expect(errorsOf({})).toEqual(['spec.name: Required value']);
    const [e] = schema.validate(widget({}), ctx);
    expect(e).toMatchObject({ type: 'FieldValueRequired', field: 'spec.name' });
  });

  it('CRD-VAL-1 maxLength wins over pattern (first string error only), reason FieldValueTooLong', () => {
    const errs = schema.validate(widget({ name: 'ABCDEFG' }), ctx);
    expect(errs.map(renderFieldError)).toEqual(['spec.name: Too long: may not be more than 5 bytes']);
    expect(errs[0]!.type).toBe('FieldValueTooLong');
  });

  it('CRD-VAL-1 minLength and pattern', () => {
    expect(errorsOf({ name: 'ab' })).toEqual([
      'spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long',
    ]);
    expect(errorsOf({ name: 'AB1' })).toEqual([
      `spec.name: Invalid value: "AB1": spec.name in body should match '^[a-z]+$'`,
    ]);
  });

  it('CRD-VAL-1 enum: Unsupported value, non-string values quoted as JSON', () => {
    expect(errorsOf({ name: 'abc', mode: 'c' })).toEqual([
      'spec.mode: Unsupported value: "c": supported values: "a", "b"',
    ]);
    expect(errorsOf({ name: 'abc', nenum: 3 })).toEqual([
      'spec.nenum: Unsupported value: 3: supported values: "1", "2"',
    ]);
  });

  it('CRD-VAL-1 type errors: FieldValueTypeInvalid with the JSON type of the value', () => {
    expect(errorsOf({ name: 'abc', i64: 'x', f: 's', b: 1 })).toEqual([
      'spec.b: Invalid value: "integer": spec.b in body must be of type boolean: "integer"',
      'spec.f: Invalid value: "string": spec.f in body must be of type number: "string"',
      'spec.i64: Invalid value: "string": spec.i64 in body must be of type integer: "string"',
    ]);
    expect(schema.validate(widget({ name: 'abc', f: true }), ctx)[0]!.type).toBe('FieldValueTypeInvalid');
  });

  it('CRD-VAL-1 a float for an integer gives the type error and the format range error on <nil>', () => {
    expect(errorsOf({ name: 'abc', replicas: 1.5 })).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.replicas',
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
    expect(errorsOf({ name: 'abc', i64: 1.5 })).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer with format int64 in spec.i64',
      'spec.i64: Invalid value: "float64": spec.i64 in body must be of type int64: "float64"',
    ]);
  });

  it('CRD-VAL-1 format int32 out of range', () => {
    expect(errorsOf({ name: 'abc', nums: [3000000000] })).toEqual([
      '<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.nums[0]',
    ]);
  });

  it('CRD-VAL-1 maxItems: Too many, minItems: Invalid value with the count', () => {
    expect(errorsOf({ name: 'abc', nums: [1, 2, 3, 4] })).toEqual([
      'spec.nums: Too many: 4: must have at most 3 items',
    ]);
    expect(errorsOf({ name: 'abc', nums: [] })).toEqual([
      'spec.nums: Invalid value: 0: spec.nums in body should have at least 1 items',
    ]);
    expect(schema.validate(widget({ name: 'abc', nums: [1, 2, 3, 4] }), ctx)[0]!.type).toBe('FieldValueTooMany');
  });

  it('CRD-VAL-1 maxProperties says "item" for 1, minProperties says "properties"', () => {
    expect(errorsOf({ name: 'abc', obj: { a: 'x', b: 'y' } })).toEqual([
      'spec.obj: Too many: 2: must have at most 1 item',
    ]);
    expect(errorsOf({ name: 'abc', obj: {} })).toEqual([
      'spec.obj: Invalid value: 0: spec.obj in body should have at least 1 properties',
    ]);
  });

  it('CRD-VAL-1 additionalProperties schemas validate each value', () => {
    expect(errorsOf({ name: 'abc', obj: { a: 1 } })).toEqual([
      'spec.obj.a: Invalid value: "integer": spec.obj.a in body must be of type string: "integer"',
    ]);
  });

  it('CRD-VAL-1 multipleOf', () => {
    expect(errorsOf({ name: 'abc', mult: 7 })).toEqual([
      'spec.mult: Invalid value: 7: spec.mult in body should be a multiple of 5',
    ]);
    expect(errorsOf({ name: 'abc', mult: 10 })).toEqual([]);
  });

  it('CRD-VAL-1 string formats', () => {
    expect(errorsOf({ name: 'abc', date: 'nope', uuid: 'zz' })).toEqual([
      'spec.date: Invalid value: "nope": spec.date in body must be of type date-time: "nope"',
      'spec.uuid: Invalid value: "zz": spec.uuid in body must be of type uuid: "zz"',
    ]);
    expect(
      errorsOf({ name: 'abc', date: '2026-11-23T10:56:31Z', uuid: 'a76dd67b-7c4c-4431-98fd-787e337adcc4' }),
    ).toEqual([]);
  });

  it('CRD-P-4 int-or-string accepts both and names both types', () => {
    expect(errorsOf({ name: 'abc', ios: 1 })).toEqual([]);
    expect(errorsOf({ name: 'abc', ios: '50%' })).toEqual([]);
    expect(errorsOf({ name: 'abc', ios: 1.5 })).toEqual([
      'spec.ios: Invalid value: "number": spec.ios in body must be of type integer,string: "number"',
    ]);
  });

  it('CRD-VAL-5 list-type set duplicates: Duplicate value', () => {
    expect(errorsOf({ name: 'abc', set: ['a', 'a'] })).toEqual(['spec.set[1]: Duplicate value: "a"']);
  });

  it('CRD-P-5 embedded resources need apiVersion and kind', () => {
    expect(errorsOf({ name: 'abc', emb: { spec: {} } })).toEqual([
      'spec.emb.apiVersion: Required value',
      'spec.emb.kind: Required value',
    ]);
  });

  it('CRD-P-3 nullable fields accept null', () => {
    expect(errorsOf({ name: 'abc', nul: null })).toEqual([]);
  });

  it('CRD-VAL-1 schema bounds print as int64 for integer values, as Go floats otherwise', () => {
    const big = compileSchema({
      type: 'object',
      properties: { n: { type: 'number', maximum: 1000000, minimum: 0.5 } },
    });
    const render = (n: number) => big.validate({ n } as never, ctx).map(renderFieldError);
    expect(render(2000000)).toEqual(['n: Invalid value: 2000000: n in body should be less than or equal to 1000000']);
    expect(render(2000000.5)).toEqual(['n: Invalid value: 2000000.5: n in body should be less than or equal to 1e+06']);
    const safe = compileSchema({ type: 'object', properties: { v: { type: 'integer', maximum: 2 ** 53 - 1 } } });
    expect(safe.validate({ v: 2 ** 53 } as never, ctx).map(renderFieldError)).toEqual([
      'v: Invalid value: 9007199254740992: v in body should be less than or equal to 9007199254740991',
    ]);
    expect(render(0.25)).toEqual(['n: Invalid value: 0.25: n in body should be greater than or equal to 0.5']);
  });

  it('CRD-VAL-3 /status messages are relative to status, fields absolute', () => {
    const errs = schema.validate(widget({ name: 'abc' }, { status: { num: 15 } }), { ...ctx, subresource: 'status' });
    expect(errs.map(renderFieldError)).toEqual([
      'status.num: Invalid value: 15: num in body should be less than or equal to 10',
    ]);
  });

  it('CRD-VAL-4 ratcheting: unchanged invalid values are not reported on update', () => {
    const old = widget({ name: 'abc', replicas: 100 });
    expect(schema.validate(widget({ name: 'abc', replicas: 100, mode: 'b' }), { ...ctx, old })).toEqual([]);
    expect(schema.validate(widget({ name: 'abc', replicas: 99 }), { ...ctx, old }).map(renderFieldError)).toEqual([
      'spec.replicas: Invalid value: 99: spec.replicas in body should be less than or equal to 5',
    ]);
  });

  it('CRD-VAL-1 metadata is not validated by the schema (ObjectMeta has its own rules)', () => {
    const strict = compileSchema({
      type: 'object',
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } } },
    });
    expect(strict.validate({ metadata: { name: 'abcdef', labels: { a: 'b' } } }, ctx).map(renderFieldError)).toEqual([
      'metadata.name: Too long: may not be more than 3 bytes',
    ]);
  });
});
