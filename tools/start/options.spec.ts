import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { DEFAULT_BOOK_PORT, DEFAULT_PORT, parseStartOptions } from './options.ts';

const ctx = { isTTY: false, cwd: '/repo' };

describe('parseStartOptions', () => {
  it('defaults: API server on 8001, books from 3001, state in ./.kubeloop, JSON logs off a terminal', () => {
    const o = parseStartOptions([], {}, ctx);
    expect(o).toMatchObject({
      port: DEFAULT_PORT,
      bookPort: DEFAULT_BOOK_PORT,
      webhookPort: 0,
      stateDir: '/repo/.kubeloop',
      logFormat: 'json',
      logLevel: 'info',
      webhooks: true,
      samples: true,
      fresh: false,
      help: false,
    });
    expect(DEFAULT_PORT).toBe(8001);
    expect(DEFAULT_BOOK_PORT).toBe(3001);
  });

  it('pretty logs on a terminal unless --log-format says otherwise', () => {
    expect(parseStartOptions([], {}, { ...ctx, isTTY: true }).logFormat).toBe('pretty');
    expect(parseStartOptions(['--log-format', 'json'], {}, { ...ctx, isTTY: true }).logFormat).toBe('json');
  });

  it('flags in both forms, flags over environment over defaults', () => {
    const env = { KUBELOOP_PORT: '9001', KUBELOOP_BOOK_PORT: '4001', KUBELOOP_STATE_DIR: '/tmp/s', LOG_LEVEL: 'debug' };
    expect(parseStartOptions([], env, ctx)).toMatchObject({
      port: 9001,
      bookPort: 4001,
      stateDir: '/tmp/s',
      logLevel: 'debug',
    });
    const o = parseStartOptions(
      [
        '--port=9002',
        '--book-port',
        '4002',
        '--state-dir',
        'state',
        '--webhook-port=9443',
        '--no-webhooks',
        '--no-samples',
        '--fresh',
      ],
      env,
      ctx,
    );
    expect(o).toMatchObject({
      port: 9002,
      bookPort: 4002,
      stateDir: '/repo/state',
      webhookPort: 9443,
      webhooks: false,
      samples: false,
      fresh: true,
    });
  });

  it('refuses bad ports, naming the flag or variable they came from', () => {
    expect(() => parseStartOptions(['--port', 'http'], {}, ctx)).toThrow(
      /--port must be a port number between 1 and 65535, not "http"/,
    );
    expect(() => parseStartOptions(['--book-port=0'], {}, ctx)).toThrow(/--book-port must be a port number/);
    expect(() => parseStartOptions([], { KUBELOOP_PORT: '70000' }, ctx)).toThrow(/KUBELOOP_PORT must be a port number/);
    expect(parseStartOptions(['--webhook-port', '0'], {}, ctx).webhookPort).toBe(0);
  });

  it('refuses unknown options, missing values and unknown levels with a UsageError', () => {
    for (const argv of [['--prot', '1'], ['--port'], ['--log-level', 'loud'], ['--log-format', 'xml'], ['extra']]) {
      expect(() => parseStartOptions(argv, {}, ctx)).toThrow(UsageError);
    }
    try {
      parseStartOptions(['--prot'], {}, ctx);
    } catch (error) {
      expect((error as UsageError).code).toBe('Usage');
      expect((error as UsageError).message).toBe('unknown option --prot');
    }
  });

  it('-h and --help', () => {
    expect(parseStartOptions(['-h'], {}, ctx).help).toBe(true);
    expect(parseStartOptions(['--help'], {}, ctx).help).toBe(true);
  });
});
