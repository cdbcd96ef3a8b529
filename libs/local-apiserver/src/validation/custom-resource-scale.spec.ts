import { describe, expect, it } from 'vitest';
import { renderFieldError } from '../errors.ts';
import { validateScaleSpec, validateScaleStatus } from './custom-resource-scale.ts';

const scale = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};
const texts = (errs: ReturnType<typeof validateScaleSpec>) => errs.map(renderFieldError);

describe('scale subresource fields of a custom resource (SC-1, texts of kube-apiserver v1.36.2)', () => {
  it('reads replicas as Go int64: a string is the accessor error with the zero value', () => {
    expect(texts(validateScaleSpec({ spec: { replicas: 'two' } }, scale))).toEqual([
      '.spec.replicas: Invalid value: 0: .spec.replicas accessor error: two is of the type string, expected int64',
    ]);
  });

  it('refuses negative replicas and replicas beyond int32', () => {
    expect(texts(validateScaleSpec({ spec: { replicas: -1 } }, scale))).toEqual([
      '.spec.replicas: Invalid value: -1: should be a non-negative integer',
    ]);
    expect(texts(validateScaleSpec({ spec: { replicas: 2 ** 31 } }, scale))).toEqual([
      '.spec.replicas: Invalid value: 2147483648: should be less than or equal to 2147483647',
    ]);
  });

  it('accepts missing values and names a non-object on the way with Go type names', () => {
    expect(validateScaleSpec({ spec: {} }, scale)).toEqual([]);
    expect(validateScaleStatus({}, scale)).toEqual([]);
    expect(texts(validateScaleStatus({ status: { replicas: 1.5, selector: ['a'] } }, scale))).toEqual([
      '.status.replicas: Invalid value: 0: .status.replicas accessor error: 1.5 is of the type float64, expected int64',
      '.status.selector: Invalid value: "": .status.selector accessor error: [a] is of the type []interface {}, expected string',
    ]);
    expect(texts(validateScaleStatus({ status: 'x' }, scale))).toEqual([
      '.status.replicas: Invalid value: 0: .status.replicas accessor error: x is of the type string, expected map[string]interface{}',
      '.status.selector: Invalid value: "": .status.selector accessor error: x is of the type string, expected map[string]interface{}',
    ]);
  });
});
