import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';

/** One line of the closing table. */
export interface Row {
  scenario: string;
  metric: string;
  value: string;
  target?: string;
  /** undefined: informational (no target, or a smoke run). */
  pass?: boolean;
}

export interface ScenarioOutcome {
  scenario: string;
  /** Written to bench/results/<scenario>.json, merged with the run's context. */
  data: Record<string, unknown>;
  rows: Row[];
}

export interface RunContext {
  resultsDir: string;
  command: string;
  date: string;
  /** Smoke sizes: targets are shown but never judged. */
  smoke: boolean;
}

export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

export function writeResult(ctx: RunContext, outcome: ScenarioOutcome): string {
  mkdirSync(ctx.resultsDir, { recursive: true });
  const file = join(ctx.resultsDir, `${outcome.scenario}.json`);
  const body = {
    scenario: outcome.scenario,
    date: ctx.date,
    command: ctx.command,
    machine: machine(),
    smoke: ctx.smoke,
    ...outcome.data,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

/** Never rounds in our favour: values keep the precision the judgement was made on. */
export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toFixed(digits);
}

export function judge(smoke: boolean, ok: boolean): boolean | undefined {
  return smoke ? undefined : ok;
}

export function formatTable(rows: Row[]): string {
  const head = ['scenario', 'metric', 'value', 'target', 'result'];
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    r.value,
    r.target ?? '',
    r.pass === undefined ? (r.target ? 'n/a' : '') : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}
