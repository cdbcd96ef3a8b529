import type { Case, Deviation, Step } from './case.ts';
import type { Answer, RecordedCase, RecordedStep } from './golden.ts';
import { removePath, sortPath } from './json-path.ts';

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface StepVerdict {
  index: number;
  step: Step;
  golden: RecordedStep | undefined;
  actual: RecordedStep | undefined;
  /** `match`; `deviation` (differs as the suite says it may); `stale-deviation` (a deviation that no longer differs); `differs`. */
  verdict: 'match' | 'deviation' | 'stale-deviation' | 'differs';
  differences: Difference[];
}

export interface CaseVerdict {
  id: string;
  steps: StepVerdict[];
  /** Every step matches (deviations excused). */
  ok: boolean;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fmtPath(base: string, k: string | number): string {
  if (typeof k === 'number') return `${base}[${k}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? (base ? `${base}.${k}` : k) : `${base}[${JSON.stringify(k)}]`;
}

/** Structural differences, deepest first-differing paths (a missing key is `undefined`). */
export function diff(expected: unknown, actual: unknown, path = '', out: Difference[] = []): Difference[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) diff(expected[i], actual[i], fmtPath(path, i), out);
    return out;
  }
  if (isObj(expected) && isObj(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of [...keys].sort()) diff(expected[k], actual[k], fmtPath(path, k), out);
    return out;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ path, expected, actual });
  return out;
}

function prepared(a: Answer, step: Step, deviation: Deviation | undefined): Answer {
  const copy = JSON.parse(JSON.stringify(a)) as Answer;
  for (const p of step.unordered ?? []) sortPath(copy, p);
  for (const p of deviation?.paths ?? []) removePath(copy, p);
  return copy;
}

/** Compares a replay of a case with its golden record, step by step. */
export function compareCase(
  c: Case,
  golden: RecordedCase,
  actual: RecordedCase,
  /**
   * false when the answers come from a real server checked against its own goldens
   * (`conformance:report --kubeconfig`): deviations excuse local-apiserver only, the real
   * server must match every step as recorded.
   */
  { deviations = true }: { deviations?: boolean } = {},
): CaseVerdict {
  const steps: StepVerdict[] = [];
  for (const [index, step] of c.steps.entries()) {
    const g = golden.steps[index];
    const a = actual.steps[index];
    const deviation = deviations ? step.deviation : undefined;
    if (!g || !a) {
      steps.push({
        index,
        step,
        golden: g,
        actual: a,
        verdict: 'differs',
        differences: [{ path: '', expected: g ? 'a recorded step' : 'no golden step (record again)', actual: a }],
      });
      continue;
    }
    const differences = diff(prepared(g.answer, step, deviation), prepared(a.answer, step, deviation));
    let verdict: StepVerdict['verdict'];
    if (deviation && !deviation.paths) {
      verdict = differences.length ? 'deviation' : 'stale-deviation';
    } else verdict = differences.length ? 'differs' : 'match';
    steps.push({ index, step, golden: g, actual: a, verdict, differences });
  }
  if (golden.steps.length !== c.steps.length) {
    steps.push({
      index: c.steps.length,
      step: {},
      golden: undefined,
      actual: undefined,
      verdict: 'differs',
      differences: [
        { path: 'steps', expected: `${golden.steps.length} recorded steps`, actual: `${c.steps.length} in the case` },
      ],
    });
  }
  return { id: c.id, steps, ok: steps.every((s) => s.verdict === 'match' || s.verdict === 'deviation') };
}

function short(v: unknown, max = 300): string {
  const s = v === undefined ? '(absent)' : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function describeRequest(s: RecordedStep | undefined): string {
  if (!s) return '(no request)';
  if (s.read) return `read watch ${s.read}`;
  const r = s.request!;
  const q = r.query
    ? '?' +
      Object.entries(r.query)
        .flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`))
        .join('&')
    : '';
  return `${r.method} ${r.path}${q}${r.contentType && r.method === 'PATCH' ? ` (${r.contentType})` : ''}`;
}

/** A readable report of what differs: per step, its request, its note, and each differing path. */
export function formatVerdict(v: CaseVerdict, maxPerStep = 12): string {
  const lines: string[] = [];
  for (const s of v.steps) {
    if (s.verdict === 'match' || s.verdict === 'deviation') continue;
    lines.push(
      `step ${s.index + 1}: ${describeRequest(s.golden ?? s.actual)}${s.step.note ? ` — ${s.step.note}` : ''}`,
    );
    if (s.verdict === 'stale-deviation') {
      lines.push(`  matches kube-apiserver now: remove its deviation (${s.step.deviation?.reason})`);
      continue;
    }
    for (const d of s.differences.slice(0, maxPerStep)) {
      lines.push(`  ${d.path || '(answer)'}:`);
      lines.push(`    kube-apiserver:   ${short(d.expected)}`);
      lines.push(`    local-apiserver:  ${short(d.actual)}`);
    }
    if (s.differences.length > maxPerStep) lines.push(`  … ${s.differences.length - maxPerStep} more`);
  }
  return lines.join('\n');
}
