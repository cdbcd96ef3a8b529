import { describe, expect, it } from 'vitest';
import { JsonLineDecoder, MalformedStreamError } from './json-lines.ts';
import { toWatchEvent } from './watch.ts';

describe('JsonLineDecoder (watch line parser)', () => {
  it('yields one value per line across arbitrary chunk boundaries', () => {
    const d = new JsonLineDecoder();
    const text =
      '{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}\n';
    const out: unknown[] = [];
    for (const ch of text) out.push(...d.push(Buffer.from(ch)));
    out.push(...d.end());
    expect(out).toEqual([
      { type: 'ADDED', object: { metadata: { name: 'a' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } },
    ]);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const d = new JsonLineDecoder();
    const bytes = Buffer.from('{"name":"ü✓"}\n');
    const out = [...d.push(bytes.subarray(0, 10)), ...d.push(bytes.subarray(10, 12)), ...d.push(bytes.subarray(12))];
    expect(out).toEqual([{ name: 'ü✓' }]);
  });

  it('skips blank lines and parses a final line without newline', () => {
    const d = new JsonLineDecoder();
    expect(d.push('\n\n{"a":1}\r\n\n{"b"')).toEqual([{ a: 1 }]);
    expect(d.push(':2}')).toEqual([]);
    expect(d.end()).toEqual([{ b: 2 }]);
  });

  it('fails loudly on garbage', () => {
    expect(() => new JsonLineDecoder().push('not json\n')).toThrow(MalformedStreamError);
  });

  it('validates watch events', () => {
    expect(toWatchEvent({ type: 'DELETED', object: { metadata: {} } }).type).toBe('DELETED');
    expect(() => toWatchEvent({ type: 'WAT', object: {} })).toThrow(MalformedStreamError);
    expect(() => toWatchEvent({ type: 'ADDED' })).toThrow(MalformedStreamError);
  });
});
