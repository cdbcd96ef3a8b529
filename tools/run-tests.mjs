#!/usr/bin/env node
// Runs every project's vitest suite through Nx, then prints the closing line the workplace CI
// reads: `N passed, M failed` (summed from the JSON reports each project writes to
// .test-results/). Exits non-zero when any test failed, when a suite failed to run, or when no
// test ran at all. Extra arguments go to `nx run-many` (e.g. --skip-nx-cache, --projects=math).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });

const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even though it ran no test.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
}
// A project whose vitest never wrote a report (config error, crash, killed worker) failed
// without a number: count it once so the summary line never reads "0 failed" for a red run.
if (nx.status !== 0 && failed === 0) {
  console.error(
    '\nnx run-many failed but no report counts a failed test: a suite crashed before reporting (see above)',
  );
  failed = 1;
}
console.log(`\ntests: ${files.length} project report(s) in .test-results/`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || nx.status !== 0) process.exit(1);
if (passed === 0) {
  console.error('no test ran');
  process.exit(1);
}
