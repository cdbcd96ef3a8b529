/**
 * Named, timed steps of an end-to-end run: each prints when it starts and how long it took, and
 * `stepReport()` lists them all, so a run's log answers "where did the time go" (image builds
 * dominate) without a profiler.
 */
export interface StepTime {
  name: string;
  ms: number;
  ok: boolean;
}

const times: StepTime[] = [];

export async function step<T>(
  name: string,
  fn: () => Promise<T>,
  log: (line: string) => void = console.log,
): Promise<T> {
  const started = Date.now();
  log(`e2e ▶ ${name}`);
  try {
    const value = await fn();
    times.push({ name, ms: Date.now() - started, ok: true });
    log(`e2e ✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return value;
  } catch (err) {
    times.push({ name, ms: Date.now() - started, ok: false });
    log(`e2e ✘ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    throw err;
  }
}

/** Every step run so far in this process, with its time: one line each, then the total. */
export function stepReport(): string {
  const width = Math.max(0, ...times.map((t) => t.name.length));
  const lines = times.map(
    (t) => `${t.ok ? '✔' : '✘'} ${t.name.padEnd(width)}  ${(t.ms / 1000).toFixed(1).padStart(6)} s`,
  );
  const total = times.reduce((sum, t) => sum + t.ms, 0);
  return [...lines, `  ${'total'.padEnd(width)}  ${(total / 1000).toFixed(1).padStart(6)} s`].join('\n');
}
