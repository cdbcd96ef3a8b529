import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_RULE, LIB_RULES } from './dependency-rules.ts';

/**
 * docs/architecture.md states the dependency rules as a table for people; tools/dependency-rules.ts
 * states them as data for the checker. This keeps the two saying the same thing.
 */

interface Row {
  workspace: string[];
  testWorkspace: string[];
  /** undefined = any package the project declares. */
  external: string[] | undefined;
}

/** The rows of the table under "## Dependency rules", keyed by the project cell (`libs/runtime`, `apps/*`). */
function dependencyTable(markdown: string): Map<string, Row> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Dependency rules'));
  if (!section) throw new Error('docs/architecture.md has no "## Dependency rules" section');
  const rows = new Map<string, Row>();
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  for (const line of section.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 4 || !cells[0]!.startsWith('`')) continue;
    const [project, workspace, tests, external] = cells as [string, string, string, string];
    rows.set(names(project)[0]!, {
      workspace: names(workspace),
      testWorkspace: names(tests),
      external: /^any\b/.test(external) ? undefined : names(external),
    });
  }
  return rows;
}

describe('docs/architecture.md dependency table', () => {
  const table = dependencyTable(readFileSync(resolve(import.meta.dirname, '../docs/architecture.md'), 'utf8'));

  it('has one row per lib rule and one for apps', () => {
    expect([...table.keys()].sort()).toEqual([...Object.keys(LIB_RULES).map((n) => `libs/${n}`), 'apps/*'].sort());
  });

  it('states exactly what tools/dependency-rules.ts enforces', () => {
    const sorted = (r: Row) => ({
      workspace: [...r.workspace].sort(),
      testWorkspace: [...r.testWorkspace].sort(),
      external: r.external && [...r.external].sort(),
    });
    for (const [name, rule] of Object.entries(LIB_RULES)) {
      expect(sorted(table.get(`libs/${name}`)!), `libs/${name}`).toEqual(
        sorted({ workspace: rule.workspace, testWorkspace: rule.testWorkspace, external: rule.external }),
      );
    }
    expect(sorted(table.get('apps/*')!)).toEqual(
      sorted({ workspace: APP_RULE.workspace, testWorkspace: APP_RULE.testWorkspace, external: APP_RULE.external }),
    );
  });

  it('reads the cells it is given (a row that says otherwise is caught)', () => {
    const t = dependencyTable(
      [
        '## Dependency rules',
        '| p | a | b | c |',
        '|---|---|---|---|',
        '| `libs/runtime` | — | `envtest` | `pino` |',
      ].join('\n'),
    );
    expect(t.get('libs/runtime')).toEqual({ workspace: [], testWorkspace: ['envtest'], external: ['pino'] });
    expect(t.get('libs/runtime')).not.toEqual({
      workspace: LIB_RULES.runtime!.workspace,
      testWorkspace: LIB_RULES.runtime!.testWorkspace,
      external: LIB_RULES.runtime!.external,
    });
  });
});
