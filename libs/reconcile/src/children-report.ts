import type { ConditionInput } from './conditions.ts';
import type { InvalidChild } from './sync-children.ts';

/**
 * Whether a child has reported on the spec its parent wants: its status was computed from its
 * current generation (observedGeneration === metadata.generation). Until then its status fields
 * describe an older spec, or nothing, and must not be trusted by the parent.
 */
export function hasObservedCurrentSpec(child: {
  metadata: { generation?: number };
  status?: { observedGeneration?: number };
}): boolean {
  const gen = child.metadata.generation;
  return gen !== undefined && child.status?.observedGeneration === gen;
}

/** "a, b, c and 7 more": as many names as fit in `maxChars`, so messages stay short for thousands of children. */
export function namesWithin(names: readonly string[], maxChars: number): string {
  const all = names.join(', ');
  if (all.length <= maxChars) return all;
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const next = out === '' ? names[i]! : `${out}, ${names[i]}`;
    if (next.length + ` and ${names.length - i - 1} more`.length > maxChars)
      return `${out || '…'} and ${names.length - i} more`;
    out = next;
  }
  return out;
}

/**
 * Ready=False message while children have not all reported. It must not change as each child
 * reports — every change is a status write, a watch event for every watcher of the kind and a
 * re-queue of the parent's own parent — so it names the count of desired children and how to
 * list them rather than which are still pending (`kubectl get` shows those: their status columns
 * are blank). It changes only when the desired set's size does.
 */
export function pendingMessage(desiredCount: number, childPlural: string, labels: Record<string, string> = {}): string {
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const base = `not all ${desiredCount} ${childPlural} have reported yet`;
  return labelSelector ? `${base}; see kubectl get ${childPlural.toLowerCase()} -l ${labelSelector}` : base;
}

export interface ChildrenReadyInput {
  /** How many children the parent wants. */
  desired: number;
  /** How many of them have not reported yet (absent, not as desired, or not yet observed their spec). */
  pending: number;
  /** Plural of the child kind for messages: `Numbers`. */
  childPlural: string;
  /** The labels the children carry that select this parent's children, for the pending message's kubectl hint. */
  selector?: Record<string, string>;
  /** The parent's metadata.generation the condition was computed from. */
  observedGeneration?: number;
  /** Desired children the API server refuses (ChildSync.invalid): the parent can never be Ready as its spec stands. */
  invalid?: readonly InvalidChild[];
}

/**
 * The `Ready` condition of a parent whose readiness is "every child has reported": True with
 * reason `ChildrenReady` once none is pending, else False with reason `ChildrenPending` and a
 * message that stays the same while children report one by one (see pendingMessage). When some
 * child can never be made (`invalid`), False with reason `FailedCreate` (or `FailedUpdate`) and
 * the API server's message: the user learns why, and that waiting will not help. One
 * wording for every parent kind, so `kubectl get` and `kubectl wait --for=condition=Ready`
 * read alike across apps.
 */
export function childrenReadyCondition(input: ChildrenReadyInput): ConditionInput {
  const og = input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {};
  const invalid = [...(input.invalid ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (invalid.length > 0) {
    const verb = invalid.some((p) => p.verb === 'create') ? 'create' : 'update';
    const first = invalid.find((p) => p.verb === verb)!;
    return {
      type: 'Ready',
      status: 'False',
      reason: verb === 'create' ? 'FailedCreate' : 'FailedUpdate',
      message: `${invalid.length} of ${input.desired} ${input.childPlural} cannot be ${verb}d: ${first.message}`,
      ...og,
    };
  }
  return input.pending === 0
    ? {
        type: 'Ready',
        status: 'True',
        reason: 'ChildrenReady',
        message: `all ${input.desired} ${input.childPlural} reported`,
        ...og,
      }
    : {
        type: 'Ready',
        status: 'False',
        reason: 'ChildrenPending',
        message: pendingMessage(input.desired, input.childPlural, input.selector),
        ...og,
      };
}
