import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fieldErrorBody, renderFieldError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { validateStructural } from './index.ts';

function crd(spec: Record<string, unknown>, name = 'things.h2probe.example.com'): KubeObject {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec };
}
function version(openAPIV3Schema: unknown, extra: Record<string, unknown> = {}) {
  return { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema }, ...extra };
}
const base = { group: 'h2probe.example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' } };
const errs = (c: KubeObject) => validateStructural(c).map(renderFieldError);

describe('CRD-1 / CRD-9 CRD validation', () => {
  it('CRD-1 a valid CRD has no errors', () => {
    expect(
      errs(
        crd({
          ...base,
          versions: [
            version({
              type: 'object',
              properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
            }),
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('CRD-1 name, group, scope, storage version (messages of kube-apiserver v1.36)', () => {
    const out = errs(
      crd(
        {
          group: 'h2probe',
          scope: 'Foo',
          names: { plural: 'things', kind: 'Thing' },
          versions: [{ name: 'v1', served: true, storage: false }],
        },
        'bad.h2probe',
      ),
    );
    expect(out).toContain('metadata.name: Invalid value: "bad.h2probe": must be spec.names.plural+"."+spec.group');
    expect(out).toContain('spec.group: Invalid value: "h2probe": should be a domain with at least one dot');
    expect(out).toContain('spec.scope: Unsupported value: "Foo": supported values: "Cluster", "Namespaced"');
    expect(out).toContain('spec.versions[0].schema.openAPIV3Schema: Required value');
    expect(
      out.some(
        (e) =>
          e.startsWith('spec.versions: Invalid value: ') &&
          e.endsWith(': must have exactly one version marked as storage version'),
      ),
    ).toBe(true);
  });

  it('CRD-9 root type missing or not object', () => {
    expect(errs(crd({ ...base, versions: [version({ properties: {} })] }))).toEqual([
      'spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root',
    ]);
    expect(errs(crd({ ...base, versions: [version({ type: 'integer' })] }))).toEqual([
      'spec.validation.openAPIV3Schema.type: Invalid value: "integer": must be object at the root',
    ]);
  });

  it('CRD-9 keyword pass: additionalProperties with properties, $ref, uniqueItems', () => {
    const out = errs(
      crd({
        ...base,
        versions: [
          version({
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  both: {
                    type: 'object',
                    properties: { x: { type: 'string' } },
                    additionalProperties: { type: 'string' },
                  },
                  r: { $ref: '#/x' },
                  u: { type: 'array', uniqueItems: true, items: { type: 'string' } },
                },
              },
            },
          }),
        ],
      }),
    );
    const p = 'spec.validation.openAPIV3Schema.properties[spec].properties';
    expect(out).toEqual([
      `${p}[both].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${p}[r].$ref: Forbidden: $ref is not supported`,
      `${p}[u].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
  });

  it('CRD-9 structural pass: missing field and item types, missing items', () => {
    const out = errs(
      crd({
        ...base,
        versions: [
          version({
            type: 'object',
            properties: {
              spec: {
                properties: {
                  l: { type: 'array' },
                  m: { type: 'array', items: { properties: {} } },
                  ios: { 'x-kubernetes-int-or-string': true },
                  any: { 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          }),
        ],
      }),
    );
    const p = 'spec.validation.openAPIV3Schema.properties[spec]';
    expect(out).toEqual([
      `${p}.type: Required value: must not be empty for specified object fields`,
      `${p}.properties[l].items: Required value: must be specified`,
      `${p}.properties[m].items.type: Required value: must not be empty for specified array items`,
    ]);
  });

  it('CRD-9 an invalid pattern is rejected', () => {
    const out = errs(
      crd({ ...base, versions: [version({ type: 'object', properties: { a: { type: 'string', pattern: '((' } } })] }),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^spec\.validation\.openAPIV3Schema\.properties\[a\]\.pattern: Invalid value: "\(\(": must be a valid regular expression, but isn't: /,
    );
  });

  it('CRD-9 defaults must validate against their node', () => {
    const out = errs(
      crd({ ...base, versions: [version({ type: 'object', properties: { d: { type: 'string', default: 5 } } })] }),
    );
    expect(out).toEqual([
      'spec.validation.openAPIV3Schema.properties[d].default: Invalid value: "integer":  in body must be of type string: "integer"',
    ]);
  });

  it('CRD-4 a stored version may not be removed', () => {
    const old = {
      ...crd({ ...base, versions: [version({ type: 'object' })] }),
      status: { storedVersions: ['v1beta1', 'v1'] },
    };
    const out = validateStructural(crd({ ...base, versions: [version({ type: 'object' })] }), old).map(
      renderFieldError,
    );
    expect(out).toEqual([
      'status.storedVersions[0]: Invalid value: "v1beta1": missing from spec.versions; v1beta1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1beta1 and removes v1beta1 from status.storedVersions',
    ]);
  });

  it('CRD-9 printer columns need a known type', () => {
    const out = errs(
      crd({
        ...base,
        versions: [
          version(
            { type: 'object' },
            { additionalPrinterColumns: [{ name: 'X', type: 'float', jsonPath: '.spec.x' }] },
          ),
        ],
      }),
    );
    expect(out).toEqual([
      'spec.additionalPrinterColumns[0].type: Invalid value: "float": must be one of boolean,date,integer,number,string',
    ]);
  });
});

describe('CRD-1 / CRD-9 the internal CRD in validation answers (kube-apiserver v1.36.2)', () => {
  const bad = { type: 'object', properties: { spec: { properties: {} } } };
  it('identical schemas are validated once, at spec.validation; differing ones per version', () => {
    const two = (a: unknown, b: unknown) =>
      crd({ ...base, versions: [version(a), version(b, { name: 'v2', storage: false })] });
    expect(errs(two(bad, bad))).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
    expect(errs(two(bad, { ...bad, description: 'other' }))).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('no storage version: the versions as Go prints the internal type, and no stored version', () => {
    const golden = JSON.parse(
      readFileSync(fileURLToPath(new URL('./internal-crd.golden.json', import.meta.url)), 'utf8'),
    ) as { crd: KubeObject; causes: { reason: string; message: string; field: string }[] };
    const withStatus: KubeObject = { ...golden.crd, status: { storedVersions: [] } };
    expect(
      validateStructural(withStatus).map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
    ).toEqual(golden.causes);
  });
});
