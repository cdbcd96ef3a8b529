import type { Case } from './case.ts';
import { compareCase, type CaseVerdict } from './compare.ts';
import { readGolden } from './golden.ts';
import { runCase, type RunEnv } from './run-case.ts';

/** One file of cases and its golden file (`golden/<file>.json`). */
export interface CaseFile {
  file: string;
  cases: Case[];
}

export interface ReplayResult {
  verdict: CaseVerdict;
  errors: string[];
}

/** Replays a case against env's server and compares it with its golden record. */
export async function replayCase(env: RunEnv, file: string, c: Case): Promise<ReplayResult> {
  const golden = readGolden(file)?.cases[c.id];
  const actual = await runCase(env, c);
  if (!golden) {
    return {
      verdict: {
        id: c.id,
        ok: false,
        steps: [
          {
            index: 0,
            step: {},
            golden: undefined,
            actual: undefined,
            verdict: 'differs',
            differences: [{ path: '', expected: 'a golden record', actual: 'none: run npm run conformance:record' }],
          },
        ],
      },
      errors: actual.errors,
    };
  }
  // A real server (record mode: the report with --kubeconfig) answers for itself, deviations apart.
  return { verdict: compareCase(c, golden, actual, { deviations: env.mode === 'replay' }), errors: actual.errors };
}

/** Totals as the closing note reports them. */
export function summarize(results: ReplayResult[]): {
  cases: number;
  casesMatching: number;
  steps: number;
  stepsMatching: number;
  deviations: number;
} {
  let steps = 0;
  let stepsMatching = 0;
  let deviations = 0;
  for (const r of results) {
    for (const s of r.verdict.steps) {
      steps++;
      if (s.verdict === 'match') stepsMatching++;
      if (s.verdict === 'deviation') deviations++;
    }
  }
  return {
    cases: results.length,
    casesMatching: results.filter((r) => r.verdict.ok).length,
    steps,
    stepsMatching,
    deviations,
  };
}
