import { ChildTally } from './child-tally.ts';
import type { CacheReader } from './context.ts';
import type { KubeObject } from './object.ts';
import { controllerOf } from './owner-references.ts';
import { perReader } from './per-reader.ts';

/** Ledgers kept per child kind; the least recently reconciled parent's goes first (it then costs one full sync). */
const MAX_LEDGERS = 256;

/** A desired child the API server refuses: the same shape as ChildSync.invalid's entries. */
export interface RefusedChild {
  name: string;
  message: string;
  verb: 'create' | 'update';
}

/**
 * What syncOwnedChildren knows of one parent's children of one kind between reconciles: the
 * desired list it was made for (by identity), the children as last seen, their tally, and the
 * names the cache has shown changing since — fed by the cache's own change notifications, so a
 * sync looks at those names only instead of at every child.
 */
export interface ChildLedger<T extends KubeObject, D> {
  readonly desired: readonly D[];
  /** Desired name → position in `desired`. */
  readonly positions: ReadonlyMap<string, number>;
  readonly children: Map<string, T>;
  readonly tally: ChildTally;
  readonly invalid: RefusedChild[];
  /** Names the cache showed changing since the last sync took them. */
  changed: Set<string>;
  /** Names to look at again on the next sync whatever the cache shows (a name another owner holds). */
  unsettled: Set<string>;
}

export function newLedger<T extends KubeObject, D extends { name: string }>(desired: readonly D[]): ChildLedger<T, D> {
  const positions = new Map<string, number>();
  desired.forEach((d, i) => positions.set(d.name, i));
  return {
    desired,
    positions,
    children: new Map(),
    tally: new ChildTally(desired.length),
    invalid: [],
    changed: new Set(),
    unsettled: new Set(),
  };
}

/** The ledgers of one child kind's cache reader, by parent UID, marked by that reader's change notifications. */
export class Ledgers {
  private readonly byParent = new Map<string, ChildLedger<KubeObject, unknown>>();

  constructor(reader: Required<Pick<CacheReader<KubeObject>, 'addHandler'>>) {
    reader.addHandler({
      add: (obj) => this.mark(obj),
      update: (before, after) => {
        this.mark(before);
        this.mark(after);
      },
      delete: (obj) => this.mark(obj),
    });
  }

  private mark(child: KubeObject): void {
    const uid = controllerOf(child)?.uid;
    const name = child.metadata.name;
    if (uid === undefined || name === undefined) return;
    this.byParent.get(uid)?.changed.add(name);
  }

  /** The parent's ledger if it was made for this very desired list (else it is dropped). */
  find<T extends KubeObject, D>(uid: string, desired: readonly D[]): ChildLedger<T, D> | undefined {
    const ledger = this.byParent.get(uid);
    if (!ledger) return undefined;
    this.byParent.delete(uid);
    if (ledger.desired !== desired) return undefined;
    this.byParent.set(uid, ledger);
    return ledger as unknown as ChildLedger<T, D>;
  }

  /** Keeps `ledger` for the parent: from now on, its children's changes are marked in it. */
  keep(uid: string, ledger: ChildLedger<KubeObject, unknown>): void {
    this.byParent.delete(uid);
    this.byParent.set(uid, ledger);
    if (this.byParent.size > MAX_LEDGERS) this.byParent.delete(this.byParent.keys().next().value!);
  }

  drop(uid: string): void {
    this.byParent.delete(uid);
  }
}

/** The reader's ledgers, or undefined when the reader cannot say what changed (then every sync walks all children). */
export const ledgersOf = perReader((reader) => new Ledgers(reader));
