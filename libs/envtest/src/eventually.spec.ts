import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.ts';
import { EventuallyTimeoutError } from './errors.ts';

describe('eventually', () => {
  it('returns the value once fn stops throwing', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'ready';
      },
      { interval: 1 },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('awaits async fns and retries rejected promises', async () => {
    let calls = 0;
    const value = await eventually(
      async () => {
        calls++;
        if (calls < 2) throw new Error('not yet');
        return calls;
      },
      { interval: 1 },
    );
    expect(value).toBe(2);
  });

  it('retries failed assertions', async () => {
    let n = 0;
    await eventually(() => expect(++n).toBeGreaterThan(4), { interval: 1 });
    expect(n).toBe(5);
  });

  it('fails after the timeout with the last error as cause and in the message', async () => {
    const started = Date.now();
    let calls = 0;
    const err = await eventually(
      () => {
        calls++;
        throw new Error(`attempt ${calls}`);
      },
      { timeout: 120, interval: 10 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventuallyTimeoutError);
    const e = err as EventuallyTimeoutError;
    expect(e.code).toBe('EventuallyTimeout');
    expect(e.message).toContain(`attempt ${calls}`);
    expect((e.cause as Error).message).toBe(`attempt ${calls}`);
    expect(calls).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('calls fn at least once even with a zero timeout', async () => {
    expect(await eventually(() => 7, { timeout: 0 })).toBe(7);
  });
});
