import { describe, expect, it } from 'vitest';
import { builtinKind, ConfigMap, defineKind, Type } from '@kubeloop/runtime';
import { invalidNameMessage } from './child-names.ts';

const Widget = defineKind({
  group: 'test.kubeloop.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  scope: 'Namespaced',
  spec: Type.Object({}),
});

describe('invalidNameMessage', () => {
  it('accepts what kube-apiserver accepts for a custom resource: a DNS-1123 subdomain up to 253 characters', () => {
    expect(invalidNameMessage(Widget, 'a'.repeat(253))).toBeUndefined();
    expect(invalidNameMessage(Widget, 'f-1-and-4.x')).toBeUndefined();
  });

  it('words a refusal as kube-apiserver v1.36 does (answers recorded from the real server)', () => {
    const name = `${'a'.repeat(246)}-1-and-9`;
    expect(invalidNameMessage(Widget, name)).toBe(
      `Widget.test.kubeloop.dev "${name}" is invalid: metadata.name: Invalid value: "${name}": must be no more than 253 characters`,
    );
    expect(invalidNameMessage(Widget, 'a-')).toBe(
      `Widget.test.kubeloop.dev "a-" is invalid: metadata.name: Invalid value: "a-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('both problems are listed as the server lists several causes', () => {
    expect(invalidNameMessage(Widget, `${'a'.repeat(253)}-`)).toMatch(
      /is invalid: \[metadata\.name: Invalid value: "a+-": must be no more than 253 characters, metadata\.name: Invalid value: "a+-": a lowercase RFC 1123/,
    );
  });

  it('leaves built-in kinds to the server: their rules differ per kind', () => {
    expect(invalidNameMessage(ConfigMap, 'a'.repeat(300))).toBeUndefined();
    expect(
      invalidNameMessage(builtinKind({ group: '', version: 'v1', kind: 'X', plural: 'xs', namespaced: true }), 'A'),
    ).toBeUndefined();
  });
});
