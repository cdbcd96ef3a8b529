import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseStandard } from './cron-schedule.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('parseStandard: robfig/cron v1.2.0 ParseStandard messages', () => {
  const message = (spec: string) => {
    try {
      parseStandard(spec);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  };

  it.each([
    ['', 'Empty spec string'],
    ['invalid-cron-schedule', 'Expected exactly 5 fields, found 1: invalid-cron-schedule'],
    ['* * * *', 'Expected exactly 5 fields, found 4: * * * *'],
    ['61 * * * *', 'End of range (61) above maximum (59): 61'],
    ['* * 0 * *', 'Beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'Beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'Failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'Too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'Too many slashes: */2/3'],
    ['*/0 * * * *', 'Step of range should be a positive number: */0'],
    ['@fortnightly', 'Unrecognized descriptor: @fortnightly'],
    ['@every x', 'Failed to parse duration @every x: time: invalid duration "x"'],
    ['@every 5', 'Failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every 5q', 'Failed to parse duration @every 5q: time: unknown unit "q" in duration "5q"'],
    ['* * * 13 *', 'End of range (13) above maximum (12): 13'],
    ['* * * * 7', 'End of range (7) above maximum (6): 7'],
  ])('%j → %s', (spec, expected) => {
    expect(message(spec)).toBe(expected);
  });

  it.each([
    '*/1 * * * *',
    '0 0 1 1 *',
    '5,10-20/5 * ? jan-mar mon-fri',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 5s',
    '@every 1h30m',
  ])('accepts %j', (spec) => {
    expect(message(spec)).toBeUndefined();
  });
});

describe('next run', () => {
  it('five fields: the next matching minute, strictly after', () => {
    const s = parseStandard('*/15 * * * *');
    expect(iso(s.next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:15:00.000Z');
    expect(iso(s.next(at('2026-01-01T00:14:59.900Z')))).toBe('2026-01-01T00:15:00.000Z');
    expect(iso(parseStandard('0 3 * * *').next(at('2026-01-01T05:00:00Z')))).toBe('2026-01-02T03:00:00.000Z');
    expect(iso(parseStandard('@monthly').next(at('2026-01-31T23:59:59Z')))).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(parseStandard('@yearly').next(at('2026-06-01T00:00:00Z')))).toBe('2027-01-01T00:00:00.000Z');
  });

  it('day-of-month OR day-of-week when both are restricted, AND when one is *', () => {
    // 2026-01-01 is a Thursday. "1st of the month or a Monday".
    const s = parseStandard('0 0 1 * mon');
    expect(iso(s.next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    expect(iso(parseStandard('0 0 * * mon').next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    expect(iso(parseStandard('0 0 13 * *').next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-13T00:00:00.000Z');
  });

  it('@every: the delay after the instant truncated to its second, rounded to whole seconds', () => {
    expect(iso(parseStandard('@every 5s').next(at('2026-01-01T00:00:00.700Z')))).toBe('2026-01-01T00:00:05.000Z');
    expect(iso(parseStandard('@every 1500ms').next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:00:01.000Z');
    expect(iso(parseStandard('@every 10ms').next(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:00:01.000Z');
  });

  it('gives up after five years (February 30th never comes)', () => {
    expect(parseStandard('0 0 30 2 *').next(at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('0')).toBe(0);
  });
});
