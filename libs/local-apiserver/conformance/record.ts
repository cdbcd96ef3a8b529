/**
 * Records the conformance suite's golden files from a real kube-apiserver:
 *
 *   npm run conformance:record -- --kubeconfig FILE [--context NAME] [--only TEXT]
 *
 * Every case runs against the kubeconfig's server in a fresh namespace; its normalised answers
 * replace the case's entry in golden/<file>.json. `--only` records just the cases whose id
 * contains TEXT (the other entries are kept). A case whose steps threw is not written.
 */
import { parseArgs } from 'node:util';
import { CASE_FILES } from './cases/index.ts';
import { KubeClient } from './harness/kube-client.ts';
import { readGolden, writeGolden, type GoldenFile } from './harness/golden.ts';
import { finishRun, newRunId, runCase, type RunEnv } from './harness/run-case.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    only: { type: 'string' },
  },
});
if (!values.kubeconfig) {
  console.error('usage: npm run conformance:record -- --kubeconfig FILE [--context NAME] [--only TEXT]');
  process.exit(2);
}

const client = KubeClient.fromKubeconfig(values.kubeconfig, values.context);
const version = await client.request({ method: 'GET', path: '/version' });
const gitVersion = (JSON.parse(version.body.toString('utf8')) as { gitVersion: string }).gitVersion;
if (/kubeloop|local/i.test(version.body.toString('utf8'))) {
  console.error(`refusing to record from ${client.target.server.href}: it answers /version as local-apiserver`);
  process.exit(2);
}
console.log(`recording from ${client.target.server.href} (${gitVersion})`);

const env: RunEnv = { client, run: newRunId(), fixtures: new Map(), namespaces: 0, mode: 'record' };
let failed = 0;
let recorded = 0;
try {
  for (const cf of CASE_FILES) {
    const selected = cf.cases.filter((c) => !values.only || c.id.includes(values.only));
    if (selected.length === 0) continue;
    const previous = readGolden(cf.file);
    const golden: GoldenFile = {
      recordedFrom: gitVersion,
      cases: values.only ? { ...(previous?.cases ?? {}) } : {},
    };
    for (const c of selected) {
      const out = await runCase(env, c);
      const statuses = out.steps.map((s) => s.answer.status).join(' ');
      if (out.errors.length) {
        failed++;
        console.log(`FAIL ${c.id}: ${out.errors.join('; ')}`);
        if (previous?.cases[c.id]) golden.cases[c.id] = previous.cases[c.id]!;
        continue;
      }
      recorded++;
      console.log(`ok   ${c.id} [${statuses}]`);
      golden.cases[c.id] = { title: out.title, steps: out.steps };
    }
    // Keep the file's order the order of its cases.
    const ordered: GoldenFile['cases'] = {};
    for (const c of cf.cases) if (golden.cases[c.id]) ordered[c.id] = golden.cases[c.id]!;
    writeGolden(cf.file, { recordedFrom: gitVersion, cases: ordered });
  }
} finally {
  await finishRun(env);
  client.close();
}
console.log(`${recorded} case(s) recorded, ${failed} failed`);
if (failed) process.exit(1);
