export {
  controllerFor,
  Controller,
  ControllerBuilder,
  RunningController,
  ControllerConfigError,
  type Request,
  type ReconcileContext,
  type Reconciler,
  type ReconcileFn,
  type MapFn,
  type BuilderWatchOptions,
  type ControllerDeps,
} from './controller.ts';
export { WorkQueues, type WorkInLine } from './work-in-line.ts';
export { done, requeueAfter, requeue, terminal, isTerminal, TerminalError, type Result } from './result.ts';
export {
  generationChanged,
  labelChanged,
  annotationChanged,
  resourceVersionChanged,
  and,
  or,
  not,
  type Predicate,
} from './predicates.ts';
