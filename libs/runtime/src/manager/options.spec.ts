import { describe, expect, it } from 'vitest';
import { parseBindAddress } from './http.ts';
import { managerOptionsFrom, managerUsage } from './options.ts';
import { runManager } from './run-manager.ts';

describe('managerOptionsFrom', () => {
  it('has kubebuilder defaults', () => {
    expect(managerOptionsFrom([], {})).toEqual({
      metricsBindAddress: ':8080',
      healthProbeBindAddress: ':8081',
      leaderElection: false,
      webhook: {},
    });
  });

  it('reads flags (both --a=b and --a b) and lets them win over env', () => {
    const o = managerOptionsFrom(
      [
        '--metrics-bind-address=:9090',
        '--health-probe-bind-address',
        '127.0.0.1:0',
        '--leader-elect',
        '--leader-election-id=x.io',
        '--leader-election-namespace',
        'sys',
        '--namespace=team',
        '--webhook-port=0',
        '--cert-dir=/certs',
        '--log-level=debug',
        '--graceful-shutdown-timeout=1m30s',
        '--max-concurrent-reconciles=8',
      ],
      { METRICS_BIND_ADDRESS: ':1', WATCH_NAMESPACE: 'other' },
    );
    expect(o).toEqual({
      metricsBindAddress: ':9090',
      healthProbeBindAddress: '127.0.0.1:0',
      leaderElection: true,
      leaderElectionID: 'x.io',
      leaderElectionNamespace: 'sys',
      namespace: 'team',
      webhook: { port: 0, certDir: '/certs' },
      logLevel: 'debug',
      gracefulShutdownMs: 90_000,
      maxConcurrentReconciles: 8,
    });
  });

  it('reads the environment', () => {
    const o = managerOptionsFrom([], {
      METRICS_BIND_ADDRESS: '0',
      WATCH_NAMESPACE: 'ns1',
      LEADER_ELECT: 'true',
      ENABLE_WEBHOOKS: 'false',
      LOG_LEVEL: 'warn',
    });
    expect(o).toMatchObject({
      metricsBindAddress: '0',
      namespace: 'ns1',
      leaderElection: true,
      webhook: false,
      logLevel: 'warn',
    });
    expect(managerOptionsFrom(['--leader-elect=false'], { LEADER_ELECT: 'true' }).leaderElection).toBe(false);
  });

  it('refuses unknown flags, missing values and bad values', () => {
    expect(() => managerOptionsFrom(['--metrics-addr=:1'], {})).toThrow(
      expect.objectContaining({ code: 'BadFlag', message: 'unknown flag --metrics-addr' }),
    );
    expect(() => managerOptionsFrom(['--namespace'], {})).toThrow(/needs a value/);
    expect(() => managerOptionsFrom(['--leader-elect=maybe'], {})).toThrow(/true or false/);
    expect(() => managerOptionsFrom(['--webhook-port=99999'], {})).toThrow(/port/);
    expect(() => managerOptionsFrom(['--graceful-shutdown-timeout=soon'], {})).toThrow(/duration/);
    expect(() => managerOptionsFrom(['stray'], {})).toThrow(/unexpected argument/);
  });
});

describe('parseBindAddress', () => {
  it('understands controller-runtime addresses', () => {
    expect(parseBindAddress(':8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseBindAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseBindAddress('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseBindAddress('0')).toBeUndefined();
    expect(() => parseBindAddress('8080')).toThrow(expect.objectContaining({ code: 'BadBindAddress' }));
    expect(() => parseBindAddress(':70000')).toThrow(expect.objectContaining({ code: 'BadBindAddress' }));
  });
});

describe('runManager --help', () => {
  it('prints every flag and exits 0 without starting anything', async () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (written.push(String(chunk)), true);
    let code: number | undefined;
    try {
      await runManager('demo', () => expect.fail('setup must not run for --help'), {
        argv: ['--help'],
        env: {},
        exit: (c) => (code = c),
      });
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(written.join('')).toContain('Usage: demo [flags]');
    for (const flag of [
      '--kubeconfig',
      '--leader-elect',
      '--metrics-bind-address',
      '--health-probe-bind-address',
      '--namespace',
    ])
      expect(managerUsage('demo')).toContain(flag);
  });
});

describe('namespace-scoped managers and local webhooks', () => {
  it('--local-webhooks (LOCAL_WEBHOOKS) is a boolean flag; a comma-separated namespace list is refused', () => {
    expect(managerOptionsFrom(['--local-webhooks'], {}).localWebhooks).toBe(true);
    expect(managerOptionsFrom([], { LOCAL_WEBHOOKS: 'true' }).localWebhooks).toBe(true);
    expect(managerOptionsFrom([], {}).localWebhooks).toBeUndefined();
    expect(() => managerOptionsFrom([], { WATCH_NAMESPACE: 'a,b' })).toThrow(/one namespace only/);
  });

  it('a namespaced manager without WATCH_NAMESPACE exits 1 before setup, saying what to set', async () => {
    let code: number | undefined;
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (lines.push(String(chunk)), true);
    try {
      await runManager('guestbook', () => expect.fail('setup must not run'), {
        argv: [],
        env: {},
        namespaced: true,
        exit: (c) => (code = c),
      });
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(1);
    expect(lines.join('')).toContain(
      'Unable to get WATCH_NAMESPACE: guestbook is namespace-scoped (its RBAC is a Role in one namespace); set WATCH_NAMESPACE or --namespace to the namespace it watches',
    );
  });
});
