import { describe, expect, it } from 'vitest';
import {
  aggregateFieldErrors,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  formatFieldError,
  invalidStatus,
} from './field-errors.ts';

describe('field errors (apimachinery format)', () => {
  it('formats each type as field.Error.Error() does', () => {
    expect(formatFieldError(fieldInvalid('spec.replicas', 100, 'replicas must be in the range of 1 to 5.'))).toBe(
      'spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5.',
    );
    expect(formatFieldError(fieldInvalid('spec.name', 'a b', 'bad'))).toBe('spec.name: Invalid value: "a b": bad');
    expect(formatFieldError(fieldRequired('spec.markdowns', 'markdowns must have SUMMARY.md.'))).toBe(
      'spec.markdowns: Required value: markdowns must have SUMMARY.md.',
    );
    expect(formatFieldError(fieldRequired('metadata.name'))).toBe('metadata.name: Required value');
    expect(formatFieldError(fieldForbidden('spec.x', 'may not be set'))).toBe('spec.x: Forbidden: may not be set');
    expect(formatFieldError(fieldNotSupported('spec.mode', 'c', ['a', 'b']))).toBe(
      'spec.mode: Unsupported value: "c": supported values: "a", "b"',
    );
    expect(formatFieldError(fieldDuplicate('spec.items[1]', 'x'))).toBe('spec.items[1]: Duplicate value: "x"');
    expect(formatFieldError(fieldTooLong('spec.s', 5))).toBe('spec.s: Too long: may not be more than 5 bytes');
  });

  it('aggregates one error bare and several in brackets', () => {
    const a = fieldRequired('a');
    const b = fieldInvalid('b', null, 'x');
    expect(aggregateFieldErrors([a])).toBe('a: Required value');
    expect(aggregateFieldErrors([a, b])).toBe('[a: Required value, b: Invalid value: null: x]');
  });

  it('builds the 422 Invalid status with causes', () => {
    const st = invalidStatus({ kind: 'MarkdownView', group: 'view.example.com' }, 'mv', [
      fieldInvalid('spec.replicas', 100, 'replicas must be in the range of 1 to 5.'),
      fieldRequired('spec.markdowns', 'markdowns must have SUMMARY.md.'),
    ]);
    expect(st).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message:
        'MarkdownView.view.example.com "mv" is invalid: [spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5., spec.markdowns: Required value: markdowns must have SUMMARY.md.]',
      details: {
        name: 'mv',
        group: 'view.example.com',
        kind: 'MarkdownView',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 100: replicas must be in the range of 1 to 5.',
            field: 'spec.replicas',
          },
          {
            reason: 'FieldValueRequired',
            message: 'Required value: markdowns must have SUMMARY.md.',
            field: 'spec.markdowns',
          },
        ],
      },
    });
    expect(invalidStatus({ kind: 'ConfigMap', group: '' }, 'c', [fieldRequired('data')]).message).toBe(
      'ConfigMap "c" is invalid: data: Required value',
    );
  });
});
