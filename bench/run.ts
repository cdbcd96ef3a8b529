/**
 * `npm run bench` — kubeloop's performance targets, measured as ratios within one run so a noisy
 * machine moves both sides together. Runs the scenarios against envtest's control plane
 * (local-apiserver by default; real kube-apiserver + etcd with KUBEBUILDER_ASSETS; a cluster with
 * USE_EXISTING_CLUSTER=true), prints one table and writes bench/results/<scenario>.json.
 *
 *   npm run bench                                   # everything, at the default sizes
 *   npm run bench -- --scenario converge --tuples 200
 *   npm run bench -- --smoke                        # tiny sizes: correctness only
 *   npm run bench -- --scenario memory --profile    # + V8 CPU profiles in bench/results/profiles/
 *   npm run bench -- --scenario fermat --number 10000
 *   npm run bench -- --scenario foo --foos 1000 --go-sample-controller /work/realk8s/bin/sample-controller
 *
 * Each group of scenarios gets a fresh control plane (in its own process): converge/steady-state/
 * latency share one (they continue from each other), memory/lag share another, throughput, fermat
 * and foo one each.
 */
import { fileURLToPath } from 'node:url';
import { Cluster } from './lib/cluster.ts';
import { HelpRequested, parseOptions, USAGE, UsageError, type BenchOptions } from './lib/options.ts';
import { formatTable, writeResult, type RunContext, type Row, type ScenarioOutcome } from './lib/report.ts';
import { convergeOutcome, runConverge, runSteadyState } from './scenarios/converge.ts';
import { runLatency } from './scenarios/latency.ts';
import { runLag, runMemory, type CacheSession } from './scenarios/cache.ts';
import { runThroughput } from './scenarios/throughput.ts';
import { runFermat } from './scenarios/fermat.ts';
import { runFoo } from './scenarios/foo.ts';

export interface BenchRun {
  outcomes: ScenarioOutcome[];
  files: string[];
  table: string;
}

const defaultResultsDir = fileURLToPath(new URL('./results/', import.meta.url));

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function clusterOptions(o: BenchOptions): Parameters<typeof Cluster.start>[0] {
  return { ...(o.kind ? { kind: o.kind } : {}), ...(o.stateDir ? { stateDir: o.stateDir } : {}) };
}

export async function runBench(o: BenchOptions, command: string): Promise<BenchRun> {
  const ctx: RunContext = { resultsDir: o.resultsDir, command, date: new Date().toISOString(), smoke: o.smoke };
  const want = (s: string) => o.scenarios.includes(s);
  const outcomes: ScenarioOutcome[] = [];
  const files: string[] = [];
  const record = (out: ScenarioOutcome) => {
    outcomes.push(out);
    files.push(writeResult(ctx, out));
  };

  // converge.json carries steadyStateWrites, so converge always measures the steady state too.
  if (want('converge') || want('steady-state') || want('latency')) {
    const cluster = await Cluster.start(clusterOptions(o));
    log(`math: ${cluster.info.label}; floor + converge of ${o.tuples}×${o.numbersPerTuple}`);
    let session;
    try {
      const converge = await runConverge(o, ctx, cluster);
      session = converge.session;
      log(
        `converged in ${converge.data.convergeSeconds} s (floor ${converge.data.floorSeconds} s); steady state: ${o.idleSeconds} s idle + resync`,
      );
      const steady = await runSteadyState(o, ctx, session);
      for (const out of convergeOutcome(converge, steady)) record(out);
      if (want('latency')) {
        log(`latency: ${o.rate} edits/s for ${o.durationSeconds} s`);
        const lat = await runLatency(o, ctx, session);
        record({ scenario: 'latency', ...lat });
      }
    } finally {
      await session?.manager.stop();
      await cluster.stop();
    }
  }

  if (want('memory') || want('lag')) {
    const cluster = await Cluster.start(clusterOptions(o));
    const session: CacheSession = { cluster, populated: 0, populateSeconds: 0 };
    try {
      if (want('memory')) {
        log(`memory: ${o.numbers} Numbers on ${cluster.info.label}`);
        record(await runMemory(o, ctx, session));
      }
      if (want('lag')) {
        log(`lag: listing and caching ${o.objects} Numbers`);
        record(await runLag(o, ctx, session));
      }
    } finally {
      await cluster.stop();
    }
  }

  if (want('throughput')) {
    const cluster = await Cluster.start(clusterOptions(o));
    try {
      log(`throughput: ${cluster.info.label}`);
      record(await runThroughput(o, ctx, cluster));
    } finally {
      await cluster.stop();
    }
  }

  if (want('fermat')) {
    const cluster = await Cluster.start(clusterOptions(o));
    try {
      log(`fermat: floor + one Fermat of ${o.number} on ${cluster.info.label}`);
      record(await runFermat(o, ctx, cluster));
    } finally {
      await cluster.stop();
    }
  }

  if (want('foo')) {
    const cluster = await Cluster.start(o.kind ? { kind: o.kind } : {});
    try {
      log(
        `foo: floor + ${o.foos} Foos${o.goSampleController ? ' + the Go sample-controller' : ''} on ${cluster.info.label}`,
      );
      record(await runFoo(o, ctx, cluster));
    } finally {
      await cluster.stop();
    }
  }

  const rows: Row[] = outcomes.flatMap((x) => x.rows);
  return { outcomes, files, table: formatTable(rows) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let o: BenchOptions;
  try {
    o = parseOptions(process.argv.slice(2), defaultResultsDir);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(USAGE);
      process.exit(0);
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`bench: ${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const run = await runBench(o, command);
  console.log(run.table);
  console.log(`\nresults: ${run.files.map((f) => f.replace(process.cwd() + '/', '')).join(', ')}`);
  const missed = run.outcomes.flatMap((x) => x.rows).filter((r) => r.pass === false).length;
  if (missed) console.log(`${missed} target(s) missed (see docs/benchmarks.md for what limits each)`);
}
