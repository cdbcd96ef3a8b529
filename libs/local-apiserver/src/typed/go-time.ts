/**
 * metav1.Time and metav1.MicroTime as Go decodes and encodes them: Time parses RFC 3339 (any
 * fraction of a second) and prints whole seconds in UTC; MicroTime parses exactly six
 * fractional digits (time.Parse with "2006-01-02T15:04:05.000000Z07:00") and prints them in
 * UTC. Errors are Go's time.ParseError texts, which kube-apiserver returns as the decode error.
 */

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

export class GoTimeError extends Error {
  readonly code = 'GoTimeError';
}

const ELEMENTS = ['2006', '-', '01', '-', '02', 'T', '15', ':', '04', ':', '05'];

/** Parses `value` with one of the two layouts; returns epoch microseconds. */
export function parseGoTime(value: string, layout: typeof RFC3339 | typeof RFC3339_MICRO): number {
  const q = JSON.stringify(value);
  const fail = (rest: string, elem: string) =>
    new GoTimeError(
      `parsing time ${q} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`,
    );
  const range = (what: string) => new GoTimeError(`parsing time ${q}: ${what} out of range`);
  let rest = value;
  const nums: number[] = [];
  for (const elem of ELEMENTS) {
    if (/^\d+$/.test(elem)) {
      const m = new RegExp(`^\\d{${elem.length}}`).exec(rest);
      if (!m) throw fail(rest, elem);
      nums.push(Number(m[0]));
      rest = rest.slice(m[0].length);
    } else {
      if (!rest.startsWith(elem)) throw fail(rest, elem);
      rest = rest.slice(elem.length);
    }
  }
  let micros = 0;
  if (layout === RFC3339_MICRO) {
    const m = /^\.(\d{6})/.exec(rest);
    if (!m) throw fail(rest, '.000000');
    micros = Number(m[1]);
    rest = rest.slice(7);
  } else {
    // A fraction after the seconds is accepted although the layout has none.
    const m = /^[.,](\d+)/.exec(rest);
    if (m) {
      micros = Math.floor(Number(`0.${m[1]}`) * 1e6);
      rest = rest.slice(m[0].length);
    }
  }
  let offsetMinutes = 0;
  if (rest.startsWith('Z')) rest = rest.slice(1);
  else {
    const m = /^([+-])(\d{2}):(\d{2})/.exec(rest);
    if (!m) throw fail(rest, 'Z07:00');
    offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    rest = rest.slice(6);
  }
  if (rest) throw new GoTimeError(`parsing time ${q}: extra text: ${JSON.stringify(rest)}`);
  const [year, month, day, hour, minute, second] = nums as [number, number, number, number, number, number];
  if (month < 1 || month > 12) throw range('month');
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysIn) throw range('day');
  if (hour > 23) throw range('hour');
  if (minute > 59) throw range('minute');
  if (second > 59) throw range('second');
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return ms * 1000 + micros;
}

/** Go's Time.MarshalJSON for metav1.Time: RFC 3339 in UTC, whole seconds. */
export function formatGoTime(micros: number): string {
  return new Date(Math.floor(micros / 1e6) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime: RFC 3339 in UTC with six fractional digits. */
export function formatGoMicroTime(micros: number): string {
  const secs = Math.floor(micros / 1e6);
  const frac = String(micros - secs * 1e6).padStart(6, '0');
  return new Date(secs * 1000).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}
