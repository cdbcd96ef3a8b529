import { describe, expect, it } from 'vitest';
import {
  AlreadyOwnedError,
  controllerOf,
  isControlledBy,
  setControllerReference,
  setOwnerReference,
} from './owner-references.ts';
import type { KubeObject } from './object.ts';

const tuple = (uid: string, namespace = 'ns', name = 't'): KubeObject => ({
  apiVersion: 'math.potsbo.k8s.wantedly.com/v1beta1',
  kind: 'Tuple',
  metadata: { name, namespace, uid },
});
const number = (namespace = 'ns'): KubeObject => ({
  apiVersion: 'math.potsbo.k8s.wantedly.com/v1beta1',
  kind: 'Number',
  metadata: { name: 't-0', namespace },
});

describe('setControllerReference', () => {
  it('adds a controller reference with blockOwnerDeletion', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    expect(child.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'math.potsbo.k8s.wantedly.com/v1beta1',
        kind: 'Tuple',
        name: 't',
        uid: 'u1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(controllerOf(child)?.uid).toBe('u1');
  });

  it('is idempotent for the same owner', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    setControllerReference(tuple('u1'), child);
    expect(child.metadata.ownerReferences).toHaveLength(1);
  });

  it('refuses a second controller with AlreadyOwned', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    let err: unknown;
    try {
      setControllerReference(tuple('u2', 'ns', 'other'), child);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AlreadyOwnedError);
    expect((err as AlreadyOwnedError).code).toBe('AlreadyOwned');
    expect((err as Error).message).toMatch(/ns\/t-0 is already controlled by Tuple t \(uid u1\)/);
    expect(child.metadata.ownerReferences).toHaveLength(1);
  });

  it('replaces a stale reference to a recreated owner of the same name only if it is not a controller of another UID', () => {
    const child = number();
    setOwnerReference(tuple('old'), child);
    setControllerReference(tuple('new'), child);
    expect(child.metadata.ownerReferences).toEqual([expect.objectContaining({ uid: 'new', controller: true })]);
  });

  it('refuses an owner in another namespace', () => {
    expect(() => setControllerReference(tuple('u1', 'a'), number('b'))).toThrow(
      expect.objectContaining({ code: 'InvalidOwnerReference' }),
    );
  });

  it('refuses an owner without uid (not read from the server)', () => {
    expect(() =>
      setControllerReference({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x', namespace: 'ns' } }, number()),
    ).toThrow(/metadata.uid/);
  });
});

describe('setOwnerReference', () => {
  it('adds a plain reference and keeps other owners', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    setOwnerReference(tuple('u2', 'ns', 'other'), child);
    expect(child.metadata.ownerReferences).toEqual([
      expect.objectContaining({ uid: 'u1', controller: true }),
      { apiVersion: 'math.potsbo.k8s.wantedly.com/v1beta1', kind: 'Tuple', name: 'other', uid: 'u2' },
    ]);
  });

  it('does not demote an existing controller reference of the same owner', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    setOwnerReference(tuple('u1'), child);
    expect(controllerOf(child)?.uid).toBe('u1');
  });
});

describe('isControlledBy', () => {
  it('compares by UID, not by name', () => {
    const child = number();
    setControllerReference(tuple('u1'), child);
    expect(isControlledBy(child, tuple('u1'))).toBe(true);
    expect(isControlledBy(child, tuple('u2'))).toBe(false); // same name, different object
    expect(isControlledBy(number(), tuple('u1'))).toBe(false);
  });
  it('ignores non-controller references', () => {
    const child = number();
    setOwnerReference(tuple('u1'), child);
    expect(isControlledBy(child, tuple('u1'))).toBe(false);
  });
});
