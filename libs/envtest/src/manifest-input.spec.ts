import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidManifestError } from './errors.ts';
import { loadManifests } from './manifest-input.ts';

const dir = mkdtempSync(join(tmpdir(), 'envtest-manifests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('loadManifests', () => {
  it('parses multi-document YAML text, skipping empty documents', () => {
    const objs = loadManifests(`---\n${cm('a')}---\n---\n${cm('b')}`);
    expect(objs.map((o) => (o as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b']);
  });

  it('flattens List documents', () => {
    const objs = loadManifests(
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'A' }, { kind: 'B' }] }) + '\n',
    );
    expect(objs).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });

  it('reads files and directories (yaml/yml/json, by name, not recursively)', () => {
    const d = join(dir, 'tree');
    mkdirSync(join(d, 'nested'), { recursive: true });
    writeFileSync(join(d, 'b.yaml'), cm('from-b'));
    writeFileSync(join(d, 'a.yml'), cm('from-a'));
    writeFileSync(
      join(d, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-c' } }),
    );
    writeFileSync(join(d, 'README.md'), '# not a manifest');
    writeFileSync(join(d, 'nested', 'x.yaml'), cm('nested'));
    const names = loadManifests(d).map((o) => (o as { metadata: { name: string } }).metadata.name);
    expect(names).toEqual(['from-a', 'from-b', 'from-c']);
    expect(loadManifests([join(d, 'b.yaml'), join(d, 'a.yml')]).length).toBe(2);
  });

  it('passes objects through', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(loadManifests([o])).toEqual([o]);
  });

  it('names the file and document of invalid YAML', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, `${cm('ok')}---\nkey: [unclosed\n`);
    expect(() => loadManifests(f)).toThrow(InvalidManifestError);
    expect(() => loadManifests(f)).toThrow(/bad\.yaml: document 2/);
  });

  it('rejects a missing path given in a list', () => {
    expect(() => loadManifests([join(dir, 'nope.yaml')])).toThrow(/no such file/);
  });

  it('rejects a scalar document', () => {
    expect(() => loadManifests('just a string\n')).toThrow(/not a mapping/);
  });
});
