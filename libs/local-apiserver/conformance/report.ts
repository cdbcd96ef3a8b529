/**
 * Replays the conformance suite and prints what matches kube-apiserver's golden answers:
 *
 *   npm run conformance:report [-- --kubeconfig FILE] [--only TEXT] [--verbose]
 *
 * Without --kubeconfig it starts local-apiserver in this process (as the replay test does).
 * The closing lines give the numbers the issue reports: cases and steps matching.
 */
import { parseArgs } from 'node:util';
import { CASE_FILES } from './cases/index.ts';
import { KubeClient } from './harness/kube-client.ts';
import { formatVerdict } from './harness/compare.ts';
import { startLocalTarget } from './harness/local-target.ts';
import { finishRun, newRunId, type RunEnv } from './harness/run-case.ts';
import { replayCase, summarize, type ReplayResult } from './harness/suite.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const target = values.kubeconfig
  ? { client: KubeClient.fromKubeconfig(values.kubeconfig, values.context), stop: async () => undefined }
  : await startLocalTarget();
const env: RunEnv = {
  client: target.client,
  run: newRunId(),
  fixtures: new Map(),
  namespaces: 0,
  // A real server (--kubeconfig) gets the recorder's patience.
  mode: values.kubeconfig ? 'record' : 'replay',
};
const results: ReplayResult[] = [];
try {
  for (const cf of CASE_FILES) {
    for (const c of cf.cases) {
      if (values.only && !c.id.includes(values.only)) continue;
      const r = await replayCase(env, cf.file, c);
      results.push(r);
      const differing = r.verdict.steps.filter((s) => s.verdict === 'differs' || s.verdict === 'stale-deviation');
      console.log(
        `${r.verdict.ok ? 'match ' : 'DIFFER'} ${c.id}${differing.length ? ` (steps ${differing.map((s) => s.index + 1).join(',')})` : ''}`,
      );
      if (!r.verdict.ok && values.verbose) console.log(formatVerdict(r.verdict).replace(/^/gm, '    '));
      for (const e of r.errors) console.log(`    harness: ${e}`);
    }
  }
} finally {
  await finishRun(env);
  await target.stop();
}
const s = summarize(results);
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '0.0');
console.log(`\ncases: ${s.casesMatching}/${s.cases} match (${pct(s.casesMatching, s.cases)}%)`);
console.log(
  `steps: ${s.stepsMatching}/${s.steps} match (${pct(s.stepsMatching, s.steps)}%), ${s.deviations} deviation step(s) excused`,
);
