import { objectKey, type KubeObject, type OwnerReference } from './object.ts';

/**
 * Owner references tie a child's lifetime to its owner (the garbage collector deletes children
 * of a deleted owner) and, with `controller: true`, name the one object responsible for
 * reconciling it. Ownership is decided by UID, never by name: a deleted-and-recreated owner of
 * the same name is a different owner, and same-named owners in two namespaces are strangers.
 */

export class AlreadyOwnedError extends Error {
  readonly code = 'AlreadyOwned';
  constructor(
    readonly child: string,
    readonly existing: OwnerReference,
    readonly wanted: OwnerReference,
  ) {
    super(
      `${child} is already controlled by ${existing.kind} ${existing.name} (uid ${existing.uid}); ` +
        `refusing to make ${wanted.kind} ${wanted.name} its controller too. ` +
        'Delete the child or remove the other controller reference first.',
    );
    this.name = 'AlreadyOwnedError';
  }
}

/**
 * A child name already taken by an object this owner does not control, when the caller chose not
 * to adopt (syncOwnedChildren's `adopt: false`, upstream sample-controller's rule): whoever made
 * it may rely on it, so it is left alone.
 */
export class NotControlledError extends Error {
  readonly code = 'NotControlled';
  constructor(
    readonly child: string,
    readonly owner: string,
  ) {
    super(`${child} exists and is not controlled by ${owner}; leaving it alone (delete it to have it made)`);
    this.name = 'NotControlledError';
  }
}

export class OwnerReferenceError extends Error {
  readonly code = 'InvalidOwnerReference';
  constructor(message: string) {
    super(message);
    this.name = 'OwnerReferenceError';
  }
}

function referenceTo(owner: KubeObject, controller: boolean): OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata;
  if (!apiVersion || !kind || !name || !uid) {
    throw new OwnerReferenceError(
      `cannot reference ${kind ?? 'object'} ${name ?? '(unnamed)'} as an owner: it needs apiVersion, kind, metadata.name and metadata.uid ` +
        '(use the object as read from the API server, not a locally built one)',
    );
  }
  return controller
    ? { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true }
    : { apiVersion, kind, name, uid };
}

function checkScope(owner: KubeObject, child: KubeObject): void {
  const ownerNs = owner.metadata.namespace;
  const childNs = child.metadata.namespace;
  // Cross-namespace owner references are invalid: the GC treats the owner as absent and deletes the child.
  if (ownerNs && ownerNs !== childNs) {
    throw new OwnerReferenceError(
      `${objectKey(child)} cannot be owned by ${owner.kind} ${objectKey(owner)}: a namespaced owner must be in the child's namespace`,
    );
  }
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Same owner object for reference purposes: same group, kind and name (version may differ). */
function sameReferent(a: OwnerReference, b: OwnerReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function upsert(child: KubeObject, ref: OwnerReference): void {
  const refs = [...(child.metadata.ownerReferences ?? [])];
  const i = refs.findIndex((r) => sameReferent(r, ref));
  if (i >= 0) refs[i] = ref;
  else refs.push(ref);
  child.metadata.ownerReferences = refs;
}

/** The controller owner reference of `obj`, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Makes `owner` the controller of `child` (mutates `child.metadata.ownerReferences`). Idempotent
 * for the same owner. Throws AlreadyOwnedError when another object (different UID) already
 * controls the child: taking over someone else's child would make two controllers fight over it.
 */
export function setControllerReference(owner: KubeObject, child: KubeObject): void {
  const ref = referenceTo(owner, true);
  checkScope(owner, child);
  const existing = controllerOf(child);
  if (existing && existing.uid !== ref.uid) {
    throw new AlreadyOwnedError(objectKey(child), existing, ref);
  }
  upsert(child, ref);
}

/** Adds a non-controller owner reference (garbage collection only). Idempotent. */
export function setOwnerReference(owner: KubeObject, child: KubeObject): void {
  const ref = referenceTo(owner, false);
  checkScope(owner, child);
  const existing = child.metadata.ownerReferences?.find((r) => sameReferent(r, ref));
  // Keep the controller flag if this owner already controls the child.
  if (existing?.controller && existing.uid === ref.uid) return;
  upsert(child, ref);
}

/** Whether `owner` (by UID) is the controller of `child`. */
export function isControlledBy(child: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && controllerOf(child)?.uid === uid;
}
