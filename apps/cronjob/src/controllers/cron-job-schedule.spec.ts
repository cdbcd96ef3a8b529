import { describe, expect, it } from 'vitest';
import type { CronJobObject } from '../api/v1/cron-job.ts';
import { planRun } from './cron-job-schedule.ts';

const CREATED = '2026-01-01T00:00:30Z';
const at = (iso: string) => Date.parse(iso);
const cj = (spec: Partial<CronJobObject['spec']> = {}): CronJobObject =>
  ({
    apiVersion: 'batch.tutorial.kubebuilder.io/v1',
    kind: 'CronJob',
    metadata: { name: 'c', creationTimestamp: CREATED },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: {} } }, ...spec },
  }) as CronJobObject;

describe('planRun (the book’s getNextSchedule and what follows)', () => {
  it('no run missed since creation: wait for the next', () => {
    expect(planRun(cj(), undefined, at('2026-01-01T00:00:50Z'), 0)).toEqual({
      kind: 'wait',
      next: at('2026-01-01T00:01:00Z'),
    });
  });

  it('the latest missed run since the last schedule time, and the next one', () => {
    expect(planRun(cj(), at('2026-01-01T00:01:00Z'), at('2026-01-01T00:03:10Z'), 0)).toEqual({
      kind: 'run',
      at: at('2026-01-01T00:03:00Z'),
      next: at('2026-01-01T00:04:00Z'),
    });
  });

  it('more than 100 missed runs is an error naming startingDeadlineSeconds; a deadline bounds the search', () => {
    const now = at('2026-01-01T03:00:10Z');
    expect(planRun(cj(), undefined, now, 0)).toEqual({
      kind: 'error',
      message:
        'Too many missed start times (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew.',
    });
    expect(planRun(cj({ startingDeadlineSeconds: 300 }), undefined, now, 0)).toMatchObject({
      kind: 'run',
      at: at('2026-01-01T03:00:00Z'),
    });
  });

  it('a run later than its deadline is skipped', () => {
    // The last run was at 00:03:00; with a 5 s deadline the search starts at 00:03:05: nothing missed.
    expect(planRun(cj({ startingDeadlineSeconds: 5 }), undefined, at('2026-01-01T00:03:10Z'), 0)).toEqual({
      kind: 'wait',
      next: at('2026-01-01T00:04:00Z'),
    });
  });

  it('Forbid skips while a Job runs; a bad schedule is an error with the parser’s message', () => {
    expect(planRun(cj({ concurrencyPolicy: 'Forbid' }), undefined, at('2026-01-01T00:01:10Z'), 1)).toMatchObject({
      kind: 'forbidden',
      at: at('2026-01-01T00:01:00Z'),
    });
    expect(planRun(cj({ schedule: 'nope' }), undefined, at('2026-01-01T00:01:10Z'), 0)).toEqual({
      kind: 'error',
      message: 'unparseable schedule "nope": Expected exactly 5 fields, found 1: nope',
    });
  });
});
