import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.ts';

describe('createLogger', () => {
  it('writes one JSON line per event with a textual level, ISO time and child bindings', () => {
    const lines: string[] = [];
    const log = createLogger({
      name: 'math',
      level: 'info',
      destination: { write: (s: string) => void lines.push(s) },
    });
    log.child({ controller: 'tuple', namespace: 'ns', name: 't' }).info({ reconcileID: 'r1' }, 'reconciled');
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const rec = JSON.parse(lines[0]!);
    expect(rec).toMatchObject({
      level: 'info',
      logger: 'math',
      controller: 'tuple',
      namespace: 'ns',
      name: 't',
      reconcileID: 'r1',
      msg: 'reconciled',
    });
    expect(new Date(rec.time).toISOString()).toBe(rec.time);
  });
});
