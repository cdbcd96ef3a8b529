import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, runKubectl } from './command.ts';

const node = (script: string) => runCommand(process.execPath, ['-e', script]);

describe('runCommand', () => {
  it('resolves with the exit code and both streams, also when the command fails', async () => {
    const r = await node('process.stdout.write("out"); process.stderr.write("err"); process.exit(3)');
    expect(r).toMatchObject({ code: 3, stdout: 'out', stderr: 'err' });
    expect(r.output.split('').sort().join('')).toBe('eorrtu');
  });

  it('runs in the given directory with the given environment', async () => {
    const r = await runCommand(process.execPath, ['-e', 'console.log(process.cwd(), process.env.ENVTEST_PROBE)'], {
      cwd: '/',
      env: { ENVTEST_PROBE: 'x' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('/ x');
  });

  it('a command that cannot be started is a failed result, not a rejection', async () => {
    const r = await runCommand('/nonexistent/kubeloop-no-such-command', []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ENOENT');
  });

  it('kills the child at the timeout', async () => {
    const r = await runCommand(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { timeout: 200 });
    expect(r.code).toBeNull();
  });

  it('does not block the event loop while the child runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await node('const end = Date.now() + 300; while (Date.now() < end);');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});

describe('runKubectl', () => {
  const saved = process.env.KUBECTL;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECTL;
    else process.env.KUBECTL = saved;
  });

  it('passes the control plane kubeconfig before the arguments; KUBECTL overrides the binary', async () => {
    process.env.KUBECTL = 'echo';
    const r = await runKubectl({ kubeconfigPath: '/tmp/kc' }, ['get', 'pods']);
    expect(r.stdout.trim()).toBe('--kubeconfig /tmp/kc get pods');
  });
});
