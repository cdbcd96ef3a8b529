import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_FILES } from './cases/index.ts';
import { formatVerdict } from './harness/compare.ts';
import { startLocalTarget } from './harness/local-target.ts';
import { finishRun, newRunId, type RunEnv } from './harness/run-case.ts';
import { replayCase } from './harness/suite.ts';
import { KNOWN_DIFFERENCES } from './known-differences.ts';

/**
 * The differential conformance suite: every case replayed against local-apiserver must answer
 * what kube-apiserver answered when the golden files were recorded (npm run conformance:record),
 * up to the documented normalisation and the deviations marked in the cases.
 */
let target: Awaited<ReturnType<typeof startLocalTarget>>;
let env: RunEnv;

beforeAll(async () => {
  target = await startLocalTarget();
  env = { client: target.client, run: newRunId(), fixtures: new Map(), namespaces: 0, mode: 'replay' };
});

afterAll(async () => {
  await finishRun(env).catch(() => undefined);
  await target?.stop();
});

for (const cf of CASE_FILES) {
  describe(cf.file, () => {
    for (const c of cf.cases) {
      const known = KNOWN_DIFFERENCES[c.id];
      it(`${c.id}: ${c.title}`, async () => {
        const r = await replayCase(env, cf.file, c);
        const report = formatVerdict(r.verdict);
        const harness = r.errors.length ? `\nharness errors:\n${r.errors.join('\n')}` : '';
        if (known) {
          // A known difference must still differ: once fixed, it leaves the list.
          expect(r.verdict.ok, `${c.id} now matches kube-apiserver: remove it from known-differences.ts`).toBe(false);
          return;
        }
        expect(r.verdict.ok, `${c.id} differs from kube-apiserver:\n${report}${harness}`).toBe(true);
        // Watches that must end by themselves and polls for controllers take seconds, not more.
      }, 60_000);
    }
  });
}
