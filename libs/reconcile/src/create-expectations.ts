import type { CacheReader } from './context.ts';
import type { KubeObject } from './object.ts';
import { perReader } from './per-reader.ts';

/** How long a create is trusted without the cache showing it (kube-controller-manager's expectations: 5 min). */
export const CREATE_EXPECTATION_TTL_MS = 5 * 60_000;

/**
 * Children this process created that its cache has not shown yet, by namespace/name. A reconcile
 * that runs before the watch delivers its own creates (a status write or a sibling's event wakes
 * the parent first, common under load) would otherwise see them missing and create them again:
 * answered 409, read live, a wasted round trip per child. kube-controller-manager's controllers
 * keep the same kind of record (ControllerExpectations). An entry ends when the cache shows the
 * object (add, update or delete of that name) or after CREATE_EXPECTATION_TTL_MS.
 */
export class CreateExpectations {
  private readonly created = new Map<string, { object: KubeObject; at: number }>();

  constructor(
    reader: Required<Pick<CacheReader<KubeObject>, 'addHandler'>>,
    private readonly now: () => number = Date.now,
  ) {
    const seen = (obj: KubeObject) => this.created.delete(keyOf(obj.metadata.namespace, obj.metadata.name));
    reader.addHandler({ add: seen, update: (_before, after) => seen(after), delete: seen });
  }

  /** Records a create the API server answered. */
  expect(object: KubeObject): void {
    this.created.set(keyOf(object.metadata.namespace, object.metadata.name), { object, at: this.now() });
  }

  /** The object this process created under that name, while the cache has not shown it yet. */
  get<T extends KubeObject>(namespace: string | undefined, name: string): T | undefined {
    const key = keyOf(namespace, name);
    const entry = this.created.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > CREATE_EXPECTATION_TTL_MS) {
      this.created.delete(key);
      return undefined;
    }
    return entry.object as T;
  }
}

function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** The reader's expectations, or undefined when it cannot say what it has seen (then nothing is assumed). */
export const createExpectationsOf = perReader((reader) => new CreateExpectations(reader));
