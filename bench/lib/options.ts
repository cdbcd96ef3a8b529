import { parseArgs } from 'node:util';

/**
 * Every size and knob; the defaults are the sizes docs/benchmarks.md's targets are set for. Flags use
 * kebab-case: `--numbers-per-tuple 10`.
 */
export interface BenchOptions {
  scenarios: string[];
  tuples: number;
  numbersPerTuple: number;
  applyConcurrency: number;
  fanout: number;
  idleSeconds: number;
  rate: number;
  durationSeconds: number;
  numbers: number;
  objects: number;
  ops: number;
  watchers: number;
  watchEvents: number;
  concurrency: number;
  /** The Fermat's spec.number (fermat scenario). */
  number: number;
  /** Foos the user applies (foo scenario). */
  foos: number;
  /** Upstream's Go sample-controller binary, timed on the same Foos (foo scenario). */
  goSampleController?: string;
  kind?: 'local' | 'real' | 'existing';
  /** local-apiserver keeps its objects in this directory (emptied first), as `npm start` does. */
  stateDir?: string;
  profile: boolean;
  smoke: boolean;
  resultsDir: string;
  timeoutSeconds: number;
}

export const SCENARIOS = [
  'converge',
  'steady-state',
  'latency',
  'memory',
  'lag',
  'throughput',
  'fermat',
  'foo',
] as const;

export const DEFAULTS: Omit<BenchOptions, 'scenarios' | 'resultsDir'> = {
  tuples: 1000,
  numbersPerTuple: 10,
  applyConcurrency: 16,
  fanout: 8,
  idleSeconds: 60,
  rate: 100,
  durationSeconds: 30,
  numbers: 100_000,
  objects: 100_000,
  ops: 5000,
  watchers: 20,
  watchEvents: 500,
  concurrency: 32,
  number: 10_000,
  foos: 1000,
  profile: false,
  smoke: false,
  timeoutSeconds: 1800,
};

/** Sizes for CI: every code path, in seconds, no targets judged. */
export const SMOKE: Partial<BenchOptions> = {
  tuples: 6,
  numbersPerTuple: 3,
  idleSeconds: 1,
  rate: 20,
  durationSeconds: 1,
  numbers: 300,
  objects: 300,
  ops: 200,
  watchers: 3,
  watchEvents: 30,
  number: 20,
  foos: 5,
  timeoutSeconds: 120,
};

export const USAGE = `usage: npm run bench -- [--scenario NAME[,NAME]] [--smoke] [flags]

scenarios: ${SCENARIOS.join(', ')}, all (default)
  converge, steady-state, latency  --tuples ${DEFAULTS.tuples} --numbers-per-tuple ${DEFAULTS.numbersPerTuple} --apply-concurrency ${DEFAULTS.applyConcurrency}
                                   --fanout ${DEFAULTS.fanout} --idle-seconds ${DEFAULTS.idleSeconds} --rate ${DEFAULTS.rate} --duration-seconds ${DEFAULTS.durationSeconds}
  memory, lag                      --numbers ${DEFAULTS.numbers} --objects ${DEFAULTS.objects}
  throughput                       --ops ${DEFAULTS.ops} --concurrency ${DEFAULTS.concurrency} --watchers ${DEFAULTS.watchers} --watch-events ${DEFAULTS.watchEvents}
  fermat                           --number ${DEFAULTS.number} (and --fanout)
  foo                              --foos ${DEFAULTS.foos} (and --apply-concurrency, --idle-seconds)
                                   --go-sample-controller PATH: upstream's Go controller on the same Foos
common: --kind local|real|existing (default: envtest's choice: KUBEBUILDER_ASSETS → real binaries,
        USE_EXISTING_CLUSTER=true → current kubeconfig, else local-apiserver)
        --state-dir DIR (local-apiserver persists its objects there, as npm start does; default: memory)
        --results-dir bench/results --timeout-seconds ${DEFAULTS.timeoutSeconds} --profile (V8 CPU profiles of the manager)
        --smoke (tiny sizes: checks the harness, judges nothing)
See docs/benchmarks.md.`;

export class UsageError extends Error {
  readonly code = 'BenchUsage';
}

/** `--help`: the caller prints USAGE and exits 0. */
export class HelpRequested extends Error {
  readonly code = 'BenchHelp';
}

export function parseOptions(argv: string[], resultsDir: string): BenchOptions {
  const num = { type: 'string' } as const;
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', multiple: true, short: 's' },
      help: { type: 'boolean', short: 'h' },
      tuples: num,
      'numbers-per-tuple': num,
      'apply-concurrency': num,
      fanout: num,
      'idle-seconds': num,
      rate: num,
      'duration-seconds': num,
      numbers: num,
      objects: num,
      ops: num,
      watchers: num,
      'watch-events': num,
      concurrency: num,
      number: num,
      foos: num,
      'go-sample-controller': { type: 'string' },
      kind: { type: 'string' },
      'state-dir': { type: 'string' },
      profile: { type: 'boolean' },
      smoke: { type: 'boolean' },
      'results-dir': { type: 'string' },
      'timeout-seconds': num,
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  const base = { ...DEFAULTS, ...(values.smoke ? SMOKE : {}) };
  const int = (flag: string, fallback: number) => {
    const v = (values as Record<string, unknown>)[flag];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`--${flag} must be a positive number, got ${JSON.stringify(v)}`);
    return n;
  };
  const requested = (values.scenario ?? ['all']).flatMap((s) => s.split(',')).map((s) => s.trim());
  const scenarios = requested.includes('all') ? [...SCENARIOS] : requested;
  for (const s of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(s))
      throw new UsageError(`unknown scenario "${s}"; known: ${SCENARIOS.join(', ')}, all`);
  }
  if (values.kind && !['local', 'real', 'existing'].includes(values.kind))
    throw new UsageError(`--kind must be local, real or existing`);
  return {
    scenarios,
    tuples: int('tuples', base.tuples),
    numbersPerTuple: int('numbers-per-tuple', base.numbersPerTuple),
    applyConcurrency: int('apply-concurrency', base.applyConcurrency),
    fanout: int('fanout', base.fanout),
    idleSeconds: int('idle-seconds', base.idleSeconds),
    rate: int('rate', base.rate),
    durationSeconds: int('duration-seconds', base.durationSeconds),
    numbers: int('numbers', base.numbers),
    objects: int('objects', base.objects),
    ops: int('ops', base.ops),
    watchers: int('watchers', base.watchers),
    watchEvents: int('watch-events', base.watchEvents),
    concurrency: int('concurrency', base.concurrency),
    number: int('number', base.number),
    foos: int('foos', base.foos),
    ...(values['go-sample-controller'] ? { goSampleController: values['go-sample-controller'] } : {}),
    ...(values.kind ? { kind: values.kind as BenchOptions['kind'] } : {}),
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
    profile: values.profile ?? false,
    smoke: values.smoke ?? false,
    resultsDir: values['results-dir'] ?? resultsDir,
    timeoutSeconds: int('timeout-seconds', base.timeoutSeconds),
  };
}
