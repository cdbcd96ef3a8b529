import { describe, expect, it } from 'vitest';
import { InvalidSelectorError, labelSelectorMatcher, parseLabelSelector } from './selector.ts';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app notin (web,db)', false],
    ['tier,app=web', true],
    ['!tier', false],
    ['!missing', true],
    ['example.com/team=a,tier in (front)', true],
    ['', true],
  ])('%s → %s', (sel, expected) => {
    expect(parseLabelSelector(sel)(labels)).toBe(expected);
  });

  it('treats absent labels as empty', () => {
    expect(parseLabelSelector('a')(undefined)).toBe(false);
    expect(parseLabelSelector('!a')(undefined)).toBe(true);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(InvalidSelectorError);
    expect(() => parseLabelSelector('=x')).toThrow(InvalidSelectorError);
  });

  it('matches structured selectors', () => {
    const m = labelSelectorMatcher({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
    });
    expect(m(labels)).toBe(true);
    expect(m({ app: 'web' })).toBe(false);
  });
});
