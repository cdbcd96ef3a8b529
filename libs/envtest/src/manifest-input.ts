import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InvalidManifestError } from './errors.ts';

/** What installCRDs/applyManifests accept: YAML text, file or directory paths, or objects. */
export type ManifestInput = string | readonly (string | object)[];

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Turns any ManifestInput into a flat list of objects, in document order. A string that names
 * an existing file or directory is a path; any other string is YAML text. Directories contribute
 * their *.yaml/*.yml/*.json files in name order (not recursively, as controller-runtime's
 * CRDDirectoryPaths). `kind: List` documents are flattened; empty documents are skipped.
 */
export function loadManifests(input: ManifestInput): object[] {
  if (typeof input === 'string') {
    return isPath(input) ? loadPath(input) : parseYaml(input, 'YAML text');
  }
  const out: object[] = [];
  for (const item of input) {
    if (typeof item === 'string') out.push(...loadPath(item));
    else out.push(...flattenLists([item], 'object'));
  }
  return out;
}

function isPath(s: string): boolean {
  if (s.includes('\n')) return false;
  try {
    statSync(s);
    return true;
  } catch {
    return false;
  }
}

function loadPath(path: string): object[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new InvalidManifestError(`${path}: no such file or directory`);
  }
  if (st.isDirectory()) {
    return readdirSync(path)
      .filter((f) => MANIFEST_EXTENSIONS.has(extname(f)))
      .sort()
      .flatMap((f) => parseYaml(readFileSync(join(path, f), 'utf8'), join(path, f)));
  }
  return parseYaml(readFileSync(path, 'utf8'), path);
}

function parseYaml(text: string, where: string): object[] {
  const docs = parseAllDocuments(text);
  const out: object[] = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new InvalidManifestError(`${where}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InvalidManifestError(`${where}: document ${i + 1} is not a mapping`);
    }
    out.push(...flattenLists([value], `${where} document ${i + 1}`));
  });
  return out;
}

function flattenLists(values: object[], where: string): object[] {
  return values.flatMap((v) => {
    const o = v as { kind?: unknown; items?: unknown };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      return flattenLists(o.items as object[], where);
    }
    return [v];
  });
}
