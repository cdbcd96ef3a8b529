import type { KubeObject } from '../kinds/kind.ts';

/**
 * Decides whether an informer event may enqueue a reconcile. A method left out lets that kind
 * of event through. Predicates only save work: a reconcile is level-based and must be correct
 * whichever events got through.
 */
export interface Predicate<T extends KubeObject = KubeObject> {
  create?(obj: T): boolean;
  update?(oldObj: T, newObj: T): boolean;
  delete?(obj: T): boolean;
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  const bk = Object.keys(b ?? {});
  return ak.length === bk.length && ak.every((k) => (a ?? {})[k] === (b ?? {})[k]);
}

/**
 * Updates pass only when metadata.generation moved, i.e. the spec changed. Status-only and
 * metadata-only updates are dropped — including those of owned children when used with
 * `withEventFilter`, which applies to every watch: a controller that reads its children's
 * status must not filter them with this (give it to `controllerFor(kind, { predicates })` instead).
 */
export function generationChanged(): Predicate {
  return { update: (o, n) => o.metadata.generation !== n.metadata.generation };
}

export function labelChanged(): Predicate {
  return { update: (o, n) => !sameRecord(o.metadata.labels, n.metadata.labels) };
}

export function annotationChanged(): Predicate {
  return { update: (o, n) => !sameRecord(o.metadata.annotations, n.metadata.annotations) };
}

export function resourceVersionChanged(): Predicate {
  return { update: (o, n) => o.metadata.resourceVersion !== n.metadata.resourceVersion };
}

type Event = 'create' | 'update' | 'delete';

function test(p: Predicate, ev: Event, [a, b]: KubeObject[]): boolean {
  switch (ev) {
    case 'create':
      return p.create?.(a!) ?? true;
    case 'update':
      return p.update?.(a!, b!) ?? true;
    case 'delete':
      return p.delete?.(a!) ?? true;
  }
}

/** Passes an event when every predicate passes it. */
export function and(...ps: Predicate[]): Predicate {
  return {
    create: (o) => ps.every((p) => test(p, 'create', [o])),
    update: (o, n) => ps.every((p) => test(p, 'update', [o, n])),
    delete: (o) => ps.every((p) => test(p, 'delete', [o])),
  };
}

/** Passes an event when any predicate passes it (`or(generationChanged(), labelChanged())`). */
export function or(...ps: Predicate[]): Predicate {
  return {
    create: (o) => ps.some((p) => test(p, 'create', [o])),
    update: (o, n) => ps.some((p) => test(p, 'update', [o, n])),
    delete: (o) => ps.some((p) => test(p, 'delete', [o])),
  };
}

export function not(p: Predicate): Predicate {
  return {
    create: (o) => !test(p, 'create', [o]),
    update: (o, n) => !test(p, 'update', [o, n]),
    delete: (o) => !test(p, 'delete', [o]),
  };
}

export function allow(ps: Predicate[], ev: Event, ...args: KubeObject[]): boolean {
  return ps.every((p) => test(p, ev, args));
}
