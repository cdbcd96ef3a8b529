import { describe, expect, it } from 'vitest';
import { applyPatch, createPatch } from './json-patch.ts';

describe('createPatch (RFC 6902)', () => {
  const cases: [string, unknown, unknown][] = [
    ['no change', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }],
    ['add nested field', { spec: {} }, { spec: { replicas: 1 } }],
    ['replace scalar', { spec: { replicas: 1 } }, { spec: { replicas: 3 } }],
    ['remove field', { spec: { a: 1, b: 2 } }, { spec: { a: 1 } }],
    ['escape keys', { metadata: { annotations: {} } }, { metadata: { annotations: { 'a.io/b~c': 'x' } } }],
    ['append to array', { l: [1, 2] }, { l: [1, 2, 3, 4] }],
    ['shrink array', { l: [1, 2, 3, 4] }, { l: [1, 2] }],
    [
      'default inside array items',
      { c: [{ n: 'a' }, { n: 'b' }] },
      {
        c: [
          { n: 'a', p: 1 },
          { n: 'b', p: 1 },
        ],
      },
    ],
    ['change every item and length', { l: [1, 2] }, { l: [3, 4, 5] }],
    ['type change', { a: { x: 1 } }, { a: [1] }],
    ['undefined is absent', { a: 1 }, { a: 1, b: undefined }],
  ];
  for (const [name, from, to] of cases) {
    it(`${name}: applying the patch gives the target`, () => {
      const ops = createPatch(from, to);
      expect(applyPatch(from, ops)).toEqual(JSON.parse(JSON.stringify(to)));
    });
  }

  it('emits minimal ops with escaped pointers', () => {
    expect(createPatch({ spec: { replicas: 1 } }, { spec: { replicas: 1 } })).toEqual([]);
    expect(createPatch({ metadata: {} }, { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } })).toEqual([
      { op: 'add', path: '/metadata/labels', value: { 'app.kubernetes.io/name': 'x' } },
    ]);
    expect(createPatch({ m: { 'a/b': 1 } }, { m: { 'a/b': 2 } })).toEqual([
      { op: 'replace', path: '/m/a~1b', value: 2 },
    ]);
    expect(createPatch({ l: [1, 2, 3] }, { l: [1] })).toEqual([
      { op: 'remove', path: '/l/2' },
      { op: 'remove', path: '/l/1' },
    ]);
  });
});
