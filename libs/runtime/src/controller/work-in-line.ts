import type { Kind, KubeObject } from '../kinds/kind.ts';
import type { WorkQueue } from '../queue/work-queue.ts';

/**
 * What the controllers of this process still have to do, asked by object: `ctx.work`. A
 * parent whose children have not reported asks it whether they are merely waiting for their
 * controller's turn (a burst of thousands of children queued behind each other) or genuinely
 * slow: see WorkQueue.inLine for what counts, and reconcile's reportStatus for the use.
 */
export interface WorkInLine {
  /**
   * Whether a controller of this process that reconciles `kind` has `obj` in line in a queue
   * that moves, within `withinMs` (WorkQueue.inLine). False when no controller here
   * reconciles the kind: another process may, and this one cannot tell.
   */
  inLine(kind: Kind, obj: KubeObject, withinMs: number): boolean;
}

/** The queues of one manager's running controllers, by the kind each reconciles. */
export class WorkQueues implements WorkInLine {
  private readonly byKind = new Map<string, WorkQueue[]>();

  /** Adds a running controller's queue; returns the removal. */
  register(kind: Kind, queue: WorkQueue): () => void {
    const k = kindKey(kind);
    const list = this.byKind.get(k) ?? [];
    list.push(queue);
    this.byKind.set(k, list);
    return () => {
      const i = list.indexOf(queue);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0 && this.byKind.get(k) === list) this.byKind.delete(k);
    };
  }

  inLine(kind: Kind, obj: KubeObject, withinMs: number): boolean {
    const queues = this.byKind.get(kindKey(kind));
    if (!queues) return false;
    const { namespace, name } = obj.metadata;
    if (!name) return false;
    const key = namespace ? `${namespace}/${name}` : name;
    return queues.some((q) => q.inLine(key, withinMs));
  }
}

function kindKey(kind: Kind): string {
  return `${kind.group}/${kind.kind}`;
}
