export { createOrUpdate, MutateChangedIdentityError, type OperationResult } from './create-or-update.ts';
export {
  AlreadyOwnedError,
  controllerOf,
  isControlledBy,
  NotControlledError,
  OwnerReferenceError,
  setControllerReference,
  setOwnerReference,
} from './owner-references.ts';
export { deleteUndesired, ownedChildren } from './children.ts';
export { invalidNameMessage } from './child-names.ts';
export { ChildTally } from './child-tally.ts';
export { desiredPerGeneration } from './desired-per-generation.ts';
export { applyJobTemplate } from './job-template.ts';
export {
  CONFLICT_RETRY_MS,
  resultOf,
  syncOwnedChildren,
  type ChildProblem,
  type ChildSync,
  type DesiredChild,
  type InvalidChild,
  type SyncChildrenOptions,
} from './sync-children.ts';
export {
  childrenReadyCondition,
  hasObservedCurrentSpec,
  namesWithin,
  pendingMessage,
  type ChildrenReadyInput,
} from './children-report.ts';
export { addFinalizer, hasFinalizer, removeFinalizer, withFinalizer, type FinalizerOutcome } from './finalizers.ts';
export {
  findCondition,
  formatTime,
  InvalidConditionError,
  isTrue,
  removeCondition,
  setCondition,
  type Condition,
  type ConditionInput,
  type ConditionStatus,
} from './conditions.ts';
export { mergePatchFrom, updateStatusIfChanged, withLatestStatus } from './status.ts';
export { FIRST_PENDING_HOLD_MS, reportStatus, type ReportStatusOptions } from './report-status.ts';
export { cloneJson, jsonEqual, objectKey, type KubeObject, type ObjectMeta, type OwnerReference } from './object.ts';
export {
  OWNER_UID_INDEX,
  type CacheReader,
  type DeleteOptions,
  type EventSink,
  type HelperContext,
  type KindRef,
  type LogSink,
  type ReportingContext,
  type Writer,
} from './context.ts';
