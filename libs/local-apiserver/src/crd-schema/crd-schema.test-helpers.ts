import type { JsonSchemaProps } from '../types.ts';

/**
 * The probe schema used to record the real kube-apiserver v1.36's answers (see
 * validate.spec.ts): one field per validation keyword.
 */
export const widgetSchema: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 3, maxLength: 5, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 5, default: 1 },
        ex: { type: 'integer', exclusiveMinimum: true, minimum: 1, exclusiveMaximum: true, maximum: 5 },
        mult: { type: 'integer', multipleOf: 5 },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        nums: { type: 'array', maxItems: 3, minItems: 1, items: { type: 'integer', format: 'int32' } },
        i64: { type: 'integer', format: 'int64' },
        f: { type: 'number' },
        b: { type: 'boolean' },
        nenum: { type: 'integer', enum: [1, 2] },
        obj: { type: 'object', maxProperties: 1, minProperties: 1, additionalProperties: { type: 'string' } },
        ios: { 'x-kubernetes-int-or-string': true },
        nul: { type: 'string', nullable: true },
        nonnul: { type: 'string' },
        pres: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { inner: { type: 'object', properties: { k: { type: 'string' } } } },
        },
        set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        date: { type: 'string', format: 'date-time' },
        uuid: { type: 'string', format: 'uuid' },
        emb: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
        defobj: { type: 'object', default: {}, properties: { x: { type: 'integer', default: 7 } } },
      },
    },
    status: { type: 'object', properties: { num: { type: 'integer', maximum: 10 } } },
  },
};

export function widget(spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'h2probe.example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace: 'default' },
    spec,
    ...extra,
  };
}
