import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * Code, tests and docs cite the rules local-apiserver follows by ID (`GC-4`, `CRD-VAL-3`) and
 * the sections of the rule catalogue by number (`§6.9`). A citation is only worth something if a
 * maintainer can look it up, so this checker requires every one to resolve to a heading of a
 * document in the repository (docs/apiserver.md holds the catalogue), every relative link in a
 * markdown file to point at a file of the repository, and every "Tested:" line of a catalogue to
 * name test titles that exist in the files it links.
 */

export interface TextFile {
  /** Workspace-relative, posix. */
  path: string;
  text: string;
}

export interface Citation {
  file: string;
  line: number;
  /** `GC-4`, or `§6.9` for a section number. */
  id: string;
  /** For a section number: the document it refers to (workspace-relative), or the name as written when no such document exists. */
  doc?: string;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** The document a bare section number (`§6.9`, no document named before it) refers to. */
export const DEFAULT_SECTION_DOC = 'docs/apiserver.md';

/**
 * Upper-case tokens shaped like rule IDs that are names of standards, encodings and licences
 * instead. Anything else shaped `FAMILY-<n>` is treated as a rule ID and must resolve: a new
 * non-rule token fails the check until it is added here, which is the safe way round (an
 * allow-list of families would silently skip a citation of a family no document defines).
 */
export const NOT_RULE_FAMILIES: Record<string, string> = {
  HTTP: 'protocol versions and status codes (HTTP-2, HTTP-200)',
  UTF: 'text encodings (UTF-8)',
  SHA: 'hash functions (SHA-1, SHA-256)',
  RFC: 'IETF documents (RFC-6902)',
  DNS: 'name syntaxes of RFC 1035/1123 (DNS-1035, DNS-1123)',
  ISO: 'ISO standards (ISO-8601)',
  ECMA: 'ECMA standards (ECMA-262)',
  ES: 'ECMAScript editions (ES-2022)',
  TLS: 'protocol versions',
  CVE: 'vulnerability IDs',
  BSD: 'licences',
  MPL: 'licences',
  GPL: 'licences',
  LGPL: 'licences',
  AGPL: 'licences',
  PSF: 'licences',
  'CC-BY': 'licences',
};

/**
 * A rule ID: an upper-case family of at least two letters (optionally hyphenated: `CRD-VAL`),
 * a hyphen and a number, standing alone (`FNV-32a`, `A-Z0-9` and `x-kubernetes-…` do not match).
 */
const RULE_ID = /(?<![\w-])([A-Z][A-Z0-9]*[A-Z](?:-[A-Z]{1,8})*)-(\d+)(?![\w-])/g;
const SECTION = /§\s?(\d+(?:\.\d+)*)/g;
const HEADING = /^#{1,6}\s+(.*)$/;

/** Rule IDs cited on one line of text (families of NOT_RULE_FAMILIES left out). */
export function ruleIdsIn(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(RULE_ID)) {
    if (m[1]! in NOT_RULE_FAMILIES) continue;
    out.push(`${m[1]}-${m[2]}`);
  }
  return out;
}

/**
 * Section numbers cited on one line, with the document each refers to: the `*.md` named just
 * before it (`apiserver.md §9.7`), else DEFAULT_SECTION_DOC. Sections of RFCs are standards
 * anyone can look up, and are left out: `RFC 5280 §4.1.2.5`.
 */
export function sectionsIn(line: string, docs: readonly string[]): { id: string; doc: string }[] {
  const out: { id: string; doc: string }[] = [];
  for (const m of line.matchAll(SECTION)) {
    const before = line.slice(0, m.index);
    if (/RFC\s?\d+[,:]?\s*$/.test(before)) continue;
    const named = /([\w./-]+\.md)\)?[`'"]?[,:]?\s*$/.exec(before)?.[1];
    out.push({ id: `§${m[1]}`, doc: named ? resolveDocName(named, docs) : DEFAULT_SECTION_DOC });
  }
  return out;
}

/** `apiserver.md` or `docs/apiserver.md` or `../docs/apiserver.md` → the tracked doc it names, else the name itself. */
function resolveDocName(name: string, docs: readonly string[]): string {
  const clean = name.replace(/^(\.\.?\/)+/, '');
  if (docs.includes(clean)) return clean;
  const byBase = docs.filter((d) => posix.basename(d) === posix.basename(clean) && d.startsWith('docs/'));
  return byBase.length === 1 ? byBase[0]! : name;
}

/** Every citation in a file, line by line. */
export function citationsIn(file: TextFile, docs: readonly string[]): Citation[] {
  const out: Citation[] = [];
  file.text.split('\n').forEach((text, i) => {
    for (const id of ruleIdsIn(text)) out.push({ file: file.path, line: i + 1, id });
    for (const s of sectionsIn(text, docs)) out.push({ file: file.path, line: i + 1, id: s.id, doc: s.doc });
  });
  return out;
}

export interface Anchors {
  /** Rule ID → where its heading is. */
  rules: Map<string, { file: string; line: number }>;
  /** Document → section numbers of its headings (`6`, `6.9`). */
  sections: Map<string, Set<string>>;
  /** A rule ID with headings in two places. */
  duplicates: Problem[];
}

/**
 * What markdown documents define: a heading that starts with a rule ID defines that rule
 * (`#### GC-4 Dependents of gone owners are deleted`), a heading that starts with a number
 * defines that section (`### 6.9 additionalPrinterColumns`, `## 6. Custom resources`).
 */
export function anchorsOf(docs: TextFile[]): Anchors {
  const rules = new Map<string, { file: string; line: number }>();
  const sections = new Map<string, Set<string>>();
  const duplicates: Problem[] = [];
  for (const doc of docs) {
    const nums = new Set<string>();
    sections.set(doc.path, nums);
    let fenced = false;
    doc.text.split('\n').forEach((text, i) => {
      if (/^\s*```/.test(text)) fenced = !fenced;
      if (fenced) return;
      const h = HEADING.exec(text)?.[1]?.trim();
      if (!h) return;
      const num = /^(\d+(?:\.\d+)*)\.?(\s|$)/.exec(h);
      if (num) nums.add(num[1]!);
      const rule = new RegExp(`^${RULE_ID.source}`).exec(h);
      if (rule && !(rule[1]! in NOT_RULE_FAMILIES)) {
        const id = `${rule[1]}-${rule[2]}`;
        const prev = rules.get(id);
        if (prev) {
          duplicates.push({
            file: doc.path,
            line: i + 1,
            message: `${id} is defined twice (also ${prev.file}:${prev.line}): one rule, one section`,
          });
        } else rules.set(id, { file: doc.path, line: i + 1 });
      }
    });
  }
  return { rules, sections, duplicates };
}

/** Citations that resolve to no heading of a document in the repository. */
export function unresolved(citations: Citation[], anchors: Anchors): Problem[] {
  const out: Problem[] = [];
  for (const c of citations) {
    if (c.doc === undefined) {
      if (!anchors.rules.has(c.id)) {
        out.push({
          file: c.file,
          line: c.line,
          message: `${c.id} is cited but no document in the repository defines it (a heading starting with "${c.id}", e.g. in ${DEFAULT_SECTION_DOC})`,
        });
      }
      continue;
    }
    const nums = anchors.sections.get(c.doc);
    if (!nums) {
      out.push({
        file: c.file,
        line: c.line,
        message: `${c.id} cites ${c.doc}, which is not a document in the repository`,
      });
    } else if (!nums.has(c.id.slice(1))) {
      out.push({
        file: c.file,
        line: c.line,
        message: `${c.id} is cited but ${c.doc} has no section ${c.id.slice(1)}`,
      });
    }
  }
  return out;
}

/** The files and every directory that holds one: what a relative link may point at. */
export function withDirectories(files: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    out.add(f);
    for (let d = posix.dirname(f); d !== '.' && !out.has(d); d = posix.dirname(d)) out.add(d);
  }
  return out;
}

/**
 * Relative links of a markdown file (`[x](../libs/a.ts)`, `[x](b.md#anchor)`) that point at nothing
 * in `known` (the repository's files and directories, see withDirectories).
 */
export function brokenLinks(doc: TextFile, known: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  let fenced = false;
  doc.text.split('\n').forEach((text, i) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    if (fenced) return;
    // Inline code (`[Title](page.md)` as an example of syntax) is not a link.
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^([a-z]+:|#)/i.test(target)) continue;
      const path = target.split('#')[0]!;
      const resolved = posix.normalize(posix.join(posix.dirname(doc.path), path)).replace(/\/$/, '');
      if (resolved.startsWith('..') || path.startsWith('/')) {
        out.push({ file: doc.path, line: i + 1, message: `link ${target} points outside the repository` });
      } else if (!known.has(resolved)) {
        out.push({
          file: doc.path,
          line: i + 1,
          message: `link ${target} points at ${resolved}, which is not in the repository`,
        });
      }
    }
  });
  return out;
}

/**
 * "Tested:" lines of a catalogue name tests as a markdown link to the test file followed by the
 * test's title in backticks: ``Tested: [crud.spec.ts](../libs/x/crud.spec.ts) `CR-3 generateName …` ``.
 * Each title must occur in the file the link before it points at, so the catalogue cannot go on
 * naming a test that was renamed or removed.
 */
export function staleTestReferences(doc: TextFile, readTracked: (path: string) => string | undefined): Problem[] {
  const out: Problem[] = [];
  doc.text.split('\n').forEach((text, i) => {
    const at = /^\s*(?:[-*]\s+)?(?:\*\*)?Tested:(?:\*\*)?\s*(.*)$/.exec(text);
    if (!at) return;
    let file: string | undefined;
    for (const m of at[1]!.matchAll(/\]\(([^)\s]+)\)|`([^`]+)`/g)) {
      if (m[1] !== undefined) {
        file = posix.normalize(posix.join(posix.dirname(doc.path), m[1].split('#')[0]!));
        continue;
      }
      const title = m[2]!;
      if (!file) {
        out.push({
          file: doc.path,
          line: i + 1,
          message: `test title \`${title}\` is not preceded by a link to its test file`,
        });
        continue;
      }
      const source = readTracked(file);
      if (source === undefined) continue; // brokenLinks reports the link
      if (!source.includes(title)) {
        out.push({ file: doc.path, line: i + 1, message: `${file} has no test titled \`${title}\`` });
      }
    }
  });
  return out;
}

/** Files the check reads: tracked text files, without the lockfile. */
export function isCheckedFile(path: string): boolean {
  if (path === 'package-lock.json' || path.endsWith('/package-lock.json')) return false;
  return /\.(ts|tsx|mts|cts|js|mjs|cjs|md|ya?ml|json)$/.test(path) || /(^|\/)(Dockerfile|run)$/.test(path);
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Tracked and not-ignored files of the repository at root (git), or a walk of it without git. */
export function repositoryFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\0')
      .filter(Boolean)
      .filter((f) => existsSync(join(root, f)));
  } catch {
    const files: string[] = [];
    const skip = new Set(['node_modules', '.git', '.nx', 'dist', 'out-tsc', '.test-results', 'coverage', '.kubeloop']);
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        if (skip.has(e)) continue;
        const full = join(dir, e);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(toPosix(relative(root, full)));
      }
    };
    walk(root);
    return files;
  }
}

/** Every problem of the repository at root, formatted `file:line message`. */
export function checkRepository(root: string): string[] {
  const all = repositoryFiles(root);
  const known = withDirectories(all);
  const files: TextFile[] = all
    .filter(isCheckedFile)
    .map((p) => ({ path: p, text: readFileSync(join(root, p), 'utf8') }));
  const docs = files.filter((f) => f.path.endsWith('.md'));
  const docPaths = docs.map((d) => d.path);
  const anchors = anchorsOf(docs);
  const text = new Map(files.map((f) => [f.path, f.text]));
  const problems = [
    ...anchors.duplicates,
    ...unresolved(
      files.flatMap((f) => citationsIn(f, docPaths)),
      anchors,
    ),
    ...docs.flatMap((d) => brokenLinks(d, known)),
    ...docs.flatMap((d) => staleTestReferences(d, (p) => text.get(p))),
  ];
  return problems.map((p) => `${p.file}:${p.line} ${p.message}`);
}
