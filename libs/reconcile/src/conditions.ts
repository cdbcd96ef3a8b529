/**
 * Standard Kubernetes conditions (metav1.Condition semantics).
 *
 * A condition's `lastTransitionTime` records when `status` last flipped, not when the condition
 * was last written: tools (kubectl wait, dashboards, alerting on "False for 10 minutes") read it
 * that way. So updating reason, message or observedGeneration keeps the old time, and only a
 * True↔False↔Unknown change moves it. Because nothing else moves on an unchanged condition, a
 * reconcile that recomputes the same conditions produces an identical status and writes nothing.
 */

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** PascalCase, machine-readable. */
  reason: string;
  /** Human-readable; always present, possibly "". */
  message: string;
  /** RFC 3339 with second precision, as metav1.Time serialises. */
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'message'> & { message?: string };

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export class InvalidConditionError extends Error {
  readonly code = 'InvalidCondition';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConditionError';
  }
}

/** metav1.Time's wire form: second precision, UTC, `Z`. */
export function formatTime(date: Date): string {
  // toISOString is `YYYY-MM-DDTHH:mm:ss.sssZ` for the years a clock shows: drop the milliseconds.
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Returns a new conditions array with `input` set. The input array (often a frozen object from
 * the cache) is not modified. Order is kept; a new type is appended.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: Date = new Date(),
): Condition[] {
  if (!['True', 'False', 'Unknown'].includes(input.status)) {
    throw new InvalidConditionError(
      `condition ${input.type}: status must be True, False or Unknown, not ${JSON.stringify(input.status)}`,
    );
  }
  if (!REASON.test(input.reason)) {
    throw new InvalidConditionError(
      `condition ${input.type}: reason ${JSON.stringify(input.reason)} must be CamelCase (the API server rejects it otherwise)`,
    );
  }
  const list = conditions ? [...conditions] : [];
  const i = list.findIndex((c) => c.type === input.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    type: input.type,
    status: input.status,
    reason: input.reason,
    message: input.message ?? '',
    lastTransitionTime: prev && prev.status === input.status ? prev.lastTransitionTime : formatTime(now),
    ...(input.observedGeneration !== undefined ? { observedGeneration: input.observedGeneration } : {}),
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
