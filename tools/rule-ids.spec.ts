import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorsOf,
  brokenLinks,
  checkRepository,
  citationsIn,
  ruleIdsIn,
  sectionsIn,
  staleTestReferences,
  unresolved,
  withDirectories,
  type TextFile,
} from './rule-ids.ts';

// Fixture citations are assembled from parts so that this file itself cites nothing the
// repository check (last test) would have to resolve.
const id = (family: string, n: number) => `${family}-${n}`;
const sec = (n: string) => `§${n}`;
const DOCS = ['docs/apiserver.md', 'docs/architecture.md'];

describe('ruleIdsIn', () => {
  it('finds rule IDs, hyphenated families and both ends of a range', () => {
    expect(ruleIdsIn(`it('${id('GC', 9)} GC deletes and patches are ordinary writes'`)).toEqual(['GC-9']);
    expect(ruleIdsIn(`(${id('CRD-VAL', 3)}). See ${id('CRD-P', 1)}, ${id('CRD-O', 1)}`)).toEqual([
      'CRD-VAL-3',
      'CRD-P-1',
      'CRD-O-1',
    ]);
    expect(ruleIdsIn(`Admission webhooks (${id('WH', 1)}…${id('WH', 5)}); ${id('SVC', 1)}..3`)).toEqual([
      'WH-1',
      'WH-5',
      'SVC-1',
    ]);
    expect(ruleIdsIn(`// ${id('WATCH', 14)}: errors before the stream are HTTP errors`)).toEqual(['WATCH-14']);
  });

  it('leaves standards, encodings, licences and look-alikes alone', () => {
    const text =
      'HTTP-2 HTTP-200 UTF-8 SHA-1 SHA-256 RFC-6902 DNS-1035 DNS-1123 ISO-8601 ES-2022 CC-BY-4 BSD-3 ' +
      'P-256 FNV-32a [A-Z0-9-] x-kubernetes-int-or-string h2-webhook-ca A-1 a.GC-4x';
    expect(ruleIdsIn(text)).toEqual([]);
  });
});

describe('sectionsIn', () => {
  it('bare section numbers refer to the rule catalogue; a named document to that document', () => {
    expect(sectionsIn(`/** Table responses (apiserver.md ${sec('6.9')}). */`, DOCS)).toEqual([
      { id: sec('6.9'), doc: 'docs/apiserver.md' },
    ]);
    expect(sectionsIn(`// DEL-8 / ${sec('2.8')}: a body wins`, DOCS)).toEqual([
      { id: sec('2.8'), doc: 'docs/apiserver.md' },
    ]);
    expect(sectionsIn(`see [the layout](../docs/architecture.md) ${sec('2')}`, DOCS)).toEqual([
      { id: sec('2'), doc: 'docs/architecture.md' },
    ]);
    expect(sectionsIn(`as runtime.md ${sec('3')} says`, DOCS)).toEqual([{ id: sec('3'), doc: 'runtime.md' }]);
  });

  it('sections of RFCs are standards, not citations of our documents', () => {
    expect(sectionsIn(`GeneralizedTime from 2050 on (RFC 5280 ${sec('4.1.2.5')})`, DOCS)).toEqual([]);
  });
});

describe('resolution against the documents', () => {
  const catalogue: TextFile = {
    path: 'docs/apiserver.md',
    text: [
      '# Catalogue',
      '## 2. CRUD',
      '### 2.8 Delete',
      `#### ${id('DEL', 8)} kubectl delete sends a body`,
      '```',
      `#### ${id('GC', 1)} a heading inside a code block defines nothing`,
      '```',
      `## 8. Garbage collection`,
      `#### ${id('GC', 4)} Dependents of gone owners are deleted`,
    ].join('\n'),
  };

  it('fails on the tree as it was: IDs and sections the repository did not define, naming file:line and ID', () => {
    // Lines as they stood in the repository before the catalogue moved in (its only definition
    // was a file outside it), checked against a document that defines a few rules only.
    const source: TextFile = {
      path: 'libs/local-apiserver/test/watch-controllers.spec.ts',
      text: [
        `  it('${id('GC', 1)} ${id('GC', 4)} background deletion removes dependents of a deleted owner', async () => {`,
        `  it('${sec('12.31')} GC compares owner UIDs: a dependent of a recreated owner is collected', async () => {`,
        `    // ${id('DEL', 8)} / ${sec('2.8')}: a body wins; query parameters are read only without one.`,
        `/** Admission webhooks (apiserver.md ${sec('9.7')}). */`,
      ].join('\n'),
    };
    const problems = unresolved(citationsIn(source, DOCS), anchorsOf([catalogue]));
    expect(problems.map((p) => `${p.file}:${p.line} ${p.message.split(' ')[0]}`)).toEqual([
      'libs/local-apiserver/test/watch-controllers.spec.ts:1 GC-1',
      `libs/local-apiserver/test/watch-controllers.spec.ts:2 ${sec('12.31')}`,
      `libs/local-apiserver/test/watch-controllers.spec.ts:4 ${sec('9.7')}`,
    ]);
    expect(problems[0]!.message).toContain('no document in the repository defines it');
    expect(problems[1]!.message).toBe(`${sec('12.31')} is cited but docs/apiserver.md has no section 12.31`);
  });

  it('a citation of a document that is not in the repository fails', () => {
    const problems = unresolved(
      citationsIn({ path: 'a.ts', text: `// runtime.md ${sec('3')}` }, DOCS),
      anchorsOf([catalogue]),
    );
    expect(problems).toEqual([
      { file: 'a.ts', line: 1, message: `${sec('3')} cites runtime.md, which is not a document in the repository` },
    ]);
  });

  it('a rule defined twice is reported', () => {
    const again: TextFile = { path: 'docs/other.md', text: `### ${id('GC', 4)} again` };
    expect(anchorsOf([catalogue, again]).duplicates).toEqual([
      {
        file: 'docs/other.md',
        line: 1,
        message: 'GC-4 is defined twice (also docs/apiserver.md:9): one rule, one section',
      },
    ]);
  });
});

describe('brokenLinks', () => {
  const known = withDirectories(['docs/contracts.md', 'docs/apiserver.md', 'libs/runtime/README.md']);
  it('relative links must point at files or directories of the repository', () => {
    const doc: TextFile = {
      path: 'docs/contracts.md',
      text: [
        'rule IDs of [the shared spec](../../shared/docs/apiserver.md)',
        'the [catalogue](apiserver.md#gc-4), [runtime](../libs/runtime/README.md), [libs](../libs/)',
        '[gone](testing.md) [web](https://kubernetes.io/docs/) [here](#top) `[syntax](page.md)` in code',
        '```',
        '[not a link](nowhere.md)',
        '```',
      ].join('\n'),
    };
    expect(brokenLinks(doc, known)).toEqual([
      {
        file: 'docs/contracts.md',
        line: 1,
        message: 'link ../../shared/docs/apiserver.md points outside the repository',
      },
      {
        file: 'docs/contracts.md',
        line: 3,
        message: 'link testing.md points at docs/testing.md, which is not in the repository',
      },
    ]);
  });
});

describe('staleTestReferences', () => {
  it('each title on a Tested: line must be in the file linked before it', () => {
    const files: Record<string, string> = {
      'libs/x/test/crud.spec.ts': `it('CR-3 generateName appends 5 characters', async () => {});`,
    };
    const doc: TextFile = {
      path: 'docs/apiserver.md',
      text: [
        'Tested: [crud.spec.ts](../libs/x/test/crud.spec.ts) `CR-3 generateName appends 5 characters`',
        '- Tested: [crud.spec.ts](../libs/x/test/crud.spec.ts) `CR-3 a title that was renamed`',
        'Tested: `a title without its file`',
        'Tested: no test.',
      ].join('\n'),
    };
    expect(staleTestReferences(doc, (p) => files[p])).toEqual([
      {
        file: 'docs/apiserver.md',
        line: 2,
        message: 'libs/x/test/crud.spec.ts has no test titled `CR-3 a title that was renamed`',
      },
      {
        file: 'docs/apiserver.md',
        line: 3,
        message: 'test title `a title without its file` is not preceded by a link to its test file',
      },
    ]);
  });
});

describe('the repository', () => {
  it('every cited rule ID and section resolves, every relative link and Tested: title exists', () => {
    expect(checkRepository(resolve(import.meta.dirname, '..'))).toEqual([]);
  });
});
