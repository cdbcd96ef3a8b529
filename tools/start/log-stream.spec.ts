import { describe, expect, it } from 'vitest';
import { apiServerLogSink, createStartLogger, formatLogLine } from './log-stream.ts';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    out: Object.assign({
      write: (s: string) => (lines.push(...s.split('\n').filter(Boolean)), true),
    }) as unknown as NodeJS.WritableStream,
  };
}

describe('formatLogLine', () => {
  it('prefixes the component, level and message, then namespace/name and the other fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-11-23T10:00:01.234Z',
      component: 'math',
      controller: 'tuple',
      namespace: 'default',
      name: 't',
      reconcileID: 'x',
      msg: 'created Number',
      child: 'Number/t-0',
    });
    const out = formatLogLine(line, { color: false });
    expect(out).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} math {10}INFO {2}created Number default\/t controller=tuple child=Number\/t-0$/,
    );
  });

  it('quotes values with spaces, prints errors indented (stacks only when asked), and passes non-JSON through', () => {
    const line = JSON.stringify({
      level: 'error',
      component: 'books',
      msg: 'failed',
      reason: 'two words',
      err: { type: 'ApiError', message: 'boom', stack: 'ApiError: boom\n    at x' },
    });
    const first = expect.stringMatching(/books {9}ERROR failed reason="two words"$/);
    expect(formatLogLine(line, { color: false }).split('\n')).toEqual([first, '    ApiError: boom']);
    expect(formatLogLine(line, { color: false, stacks: true }).split('\n')).toEqual([
      first,
      '    ApiError: boom',
      '        at x',
    ]);
    expect(formatLogLine('not json', { color: false })).toBe('not json');
  });

  it('colours only when asked', () => {
    const line = JSON.stringify({ level: 'warn', component: 'apiserver', msg: 'm' });
    expect(formatLogLine(line, { color: false })).not.toContain('\x1b[');
    expect(formatLogLine(line, { color: true })).toContain('\x1b[36mapiserver');
  });
});

describe('createStartLogger', () => {
  it('json: one JSON line per event with the component of the child logger', () => {
    const { lines, out } = capture();
    createStartLogger({ level: 'info', format: 'json', out })
      .child({ component: 'math' })
      .info({ controller: 'fermat' }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      component: 'math',
      controller: 'fermat',
      msg: 'hello',
    });
  });

  it('pretty: readable lines with the component prefix; levels below the threshold dropped', () => {
    const { lines, out } = capture();
    const log = createStartLogger({ level: 'info', format: 'pretty', out });
    log.child({ component: 'markdown-view' }).info('up');
    log.child({ component: 'books' }).debug('hidden');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ markdown-view INFO {2}up$/);
  });

  it("maps the API server's plain log lines onto the logger, keeping their level", () => {
    const { lines, out } = capture();
    const sink = apiServerLogSink(
      createStartLogger({ level: 'debug', format: 'json', out }).child({ component: 'apiserver' }),
    );
    sink({ level: 'error', msg: 'request failed', url: '/api' });
    sink({ level: 'debug', msg: 'request', status: 200 });
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'error', component: 'apiserver', msg: 'request failed', url: '/api' },
      { level: 'debug', msg: 'request', status: 200 },
    ]);
  });
});
