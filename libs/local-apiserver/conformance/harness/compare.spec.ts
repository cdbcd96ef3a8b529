import { expect, it } from 'vitest';
import { compareCase, diff, formatVerdict } from './compare.ts';
import type { Case } from './case.ts';

const answer = (body: unknown) => ({ request: { method: 'GET', path: '/x' }, answer: { status: 200, body } });

it('diff names the deepest differing paths', () => {
  expect(diff({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3] }, c: 1, d: 2 })).toEqual([
    { path: 'a.b[1]', expected: 2, actual: 3 },
    { path: 'd', expected: undefined, actual: 2 },
  ]);
});

it('a step differs, matches, is excused by a deviation, or is a stale deviation', () => {
  const c: Case = {
    id: 'f/x',
    title: 'x',
    steps: [
      { path: '/a' },
      { path: '/b' },
      { path: '/c', deviation: { reason: 'r' } },
      { path: '/d', deviation: { reason: 'r2' } },
      { path: '/e', deviation: { reason: 'r3', paths: ['body.v'] } },
    ],
  };
  const golden = { title: 'x', steps: [answer(1), answer(2), answer(3), answer(4), answer({ v: 1, w: 1 })] };
  const actual = { title: 'x', steps: [answer(1), answer(9), answer(30), answer(4), answer({ v: 2, w: 1 })] };
  const v = compareCase(c, golden, actual);
  expect(v.steps.map((s) => s.verdict)).toEqual(['match', 'differs', 'deviation', 'stale-deviation', 'match']);
  expect(v.ok).toBe(false);
  const report = formatVerdict(v);
  expect(report).toContain('step 2: GET /x');
  expect(report).toContain('  body:\n    kube-apiserver:   2\n    local-apiserver:  9');
  expect(report).toContain('step 4');
  expect(report).toContain('remove its deviation (r2)');
});

it('a real server checked against its own goldens is not excused by deviations', () => {
  const c: Case = {
    id: 'f/y',
    title: 'y',
    steps: [
      { path: '/c', deviation: { reason: 'r' } },
      { path: '/d', deviation: { reason: 'r2', paths: ['body.v'] } },
    ],
  };
  const golden = { title: 'y', steps: [answer(3), answer({ v: 1 })] };
  expect(compareCase(c, golden, golden, { deviations: false }).ok).toBe(true);
  const actual = { title: 'y', steps: [answer(3), answer({ v: 2 })] };
  const v = compareCase(c, golden, actual, { deviations: false });
  expect(v.steps.map((s) => s.verdict)).toEqual(['match', 'differs']);
});
