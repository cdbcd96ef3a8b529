import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CASE_FILES } from './cases/index.ts';
import { parsePath } from './harness/json-path.ts';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');

it('every deviation reason in the cases is listed in the README', () => {
  const missing: string[] = [];
  for (const cf of CASE_FILES)
    for (const c of cf.cases)
      for (const s of c.steps) {
        const reason = s.deviation?.reason;
        if (reason && !readme.includes(reason.replace(/\s+/g, ' '))) missing.push(`${c.id}: ${reason}`);
      }
  expect(missing).toEqual([]);
});

it('case ids are unique, prefixed by their file, and every path option parses', () => {
  const seen = new Set<string>();
  for (const cf of CASE_FILES)
    for (const c of cf.cases) {
      expect(c.id.startsWith(`${cf.file}/`), c.id).toBe(true);
      expect(seen.has(c.id), `duplicate ${c.id}`).toBe(false);
      seen.add(c.id);
      for (const s of c.steps)
        for (const p of [...(s.racy ?? []), ...(s.unordered ?? []), ...(s.deviation?.paths ?? [])]) parsePath(p);
    }
});
