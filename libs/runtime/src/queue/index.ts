export { WorkQueue, type Priority, type QueueMetrics, type WorkQueueOptions } from './work-queue.ts';
export { ExponentialBackoff } from './rate-limiter.ts';
export { ConcurrencyLimiter } from './limiter.ts';
export { FakeClock, realClock, type Clock, type TimerHandle } from './clock.ts';
export { forEachLimit } from './for-each-limit.ts';
