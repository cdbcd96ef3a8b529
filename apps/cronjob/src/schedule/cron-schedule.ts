/**
 * The standard cron schedules the kubebuilder book's CronJob accepts: robfig/cron v1.2.0's
 * `ParseStandard` — five fields (minute hour day-of-month month day-of-week), the descriptors
 * `@yearly`/`@annually`/`@monthly`/`@weekly`/`@daily`/`@midnight`/`@hourly`, and
 * `@every <Go duration>` — with its error messages word for word (the validating webhook quotes
 * them), and its `Next`. Times are UTC (the book's controller uses the manager's local zone).
 *
 * Written here rather than taken from an npm cron library because the webhook must reproduce
 * this parser's messages and its quirks exactly: `?` as `*`, a day matches when day-of-month OR
 * day-of-week matches unless one of them is `*`, `@every` rounds to whole seconds (at least one),
 * `a/n` means `a-max/n`, and a search gives up after five years.
 */

export class CronParseError extends Error {
  readonly code = 'CronParseError';
}

/** When a schedule runs next strictly after a given instant (epoch ms); undefined = never (within 5 years). */
export interface CronSchedule {
  next(afterMs: number): number | undefined;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** A field as the set of allowed values, plus whether it was written `*`/`?` (robfig's starBit). */
interface Field {
  values: Set<number>;
  star: boolean;
}

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CronParseError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63 - 1)
    throw new CronParseError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function mustParseInt(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (e) {
    throw new CronParseError(`Failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0) throw new CronParseError(`Negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

function getRange(expr: string, b: Bounds, into: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    into.star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, b);
    else throw new CronParseError(`Too many hyphens: ${expr}`);
  }
  let step: number;
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (singleDigit) end = b.max;
  } else throw new CronParseError(`Too many slashes: ${expr}`);
  if (start < b.min) throw new CronParseError(`Beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`End of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`Beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`Step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.values.add(i);
}

function getField(field: string, b: Bounds): Field {
  const f: Field = { values: new Set(), star: false };
  for (const expr of field.split(',').filter((x) => x !== '')) getRange(expr, b, f);
  return f;
}

function all(b: Bounds): Field {
  const values = new Set<number>();
  for (let i = b.min; i <= b.max; i++) values.add(i);
  return { values, star: true };
}

function only(v: number): Field {
  return { values: new Set([v]), star: false };
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration (to milliseconds), with its error texts. */
export function parseGoDuration(s: string): number {
  const quoted = JSON.stringify(s);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new CronParseError(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (num[0] === '' || num[0] === '.') throw new CronParseError(`time: invalid duration ${quoted}`);
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') throw new CronParseError(`time: missing unit in duration ${quoted}`);
    const scale = UNITS[unit];
    if (scale === undefined)
      throw new CronParseError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    rest = rest.slice(unit.length);
    total += Number(`${num[1] || '0'}.${num[2] || '0'}`) * scale;
  }
  return sign * total;
}

class SpecSchedule implements CronSchedule {
  constructor(
    private readonly minute: Field,
    private readonly hour: Field,
    private readonly dom: Field,
    private readonly month: Field,
    private readonly dow: Field,
  ) {}

  private dayMatches(t: Date): boolean {
    const domMatch = this.dom.values.has(t.getUTCDate());
    const dowMatch = this.dow.values.has(t.getUTCDay());
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** robfig's SpecSchedule.Next at minute resolution (seconds are always 0 for standard specs), in UTC. */
  next(afterMs: number): number | undefined {
    // The first whole second after `afterMs`, then the first matching minute from there.
    const t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
    if (t.getUTCSeconds() !== 0) t.setUTCSeconds(60, 0);
    const yearLimit = t.getUTCFullYear() + 5;
    for (;;) {
      if (t.getUTCFullYear() > yearLimit) return undefined;
      if (!this.month.values.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0, 0, 0);
        continue;
      }
      if (!this.dayMatches(t)) {
        t.setUTCDate(t.getUTCDate() + 1);
        t.setUTCHours(0, 0, 0, 0);
        continue;
      }
      if (!this.hour.values.has(t.getUTCHours())) {
        t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        continue;
      }
      if (!this.minute.values.has(t.getUTCMinutes())) {
        t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        continue;
      }
      return t.getTime();
    }
  }
}

/** `@every d`: d rounded down to whole seconds, at least one second, after the given instant's whole second. */
class ConstantDelay implements CronSchedule {
  constructor(readonly delayMs: number) {}
  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.delayMs;
  }
}

function descriptor(spec: string): CronSchedule {
  switch (spec) {
    case '@yearly':
    case '@annually':
      return new SpecSchedule(only(0), only(0), only(1), only(1), all(DOW));
    case '@monthly':
      return new SpecSchedule(only(0), only(0), only(1), all(MONTHS), all(DOW));
    case '@weekly':
      return new SpecSchedule(only(0), only(0), all(DOM), all(MONTHS), only(0));
    case '@daily':
    case '@midnight':
      return new SpecSchedule(only(0), only(0), all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return new SpecSchedule(only(0), all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  const every = '@every ';
  if (spec.startsWith(every)) {
    let ms: number;
    try {
      ms = parseGoDuration(spec.slice(every.length));
    } catch (e) {
      throw new CronParseError(`Failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    return new ConstantDelay(Math.max(1000, ms - (ms % 1000)));
  }
  throw new CronParseError(`Unrecognized descriptor: ${spec}`);
}

/** robfig/cron v1 ParseStandard; throws CronParseError with the library's message. */
export function parseStandard(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronParseError('Empty spec string');
  if (spec[0] === '@') return descriptor(spec);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronParseError(`Expected exactly 5 fields, found ${fields.length}: ${spec}`);
  return new SpecSchedule(
    getField(fields[0]!, MINUTES),
    getField(fields[1]!, HOURS),
    getField(fields[2]!, DOM),
    getField(fields[3]!, MONTHS),
    getField(fields[4]!, DOW),
  );
}
