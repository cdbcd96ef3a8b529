import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { ControlPlaneStartError } from '../errors.ts';
import { ManagedProcess } from './process.ts';

const dir = mkdtempSync(join(tmpdir(), 'envtest-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ManagedProcess', () => {
  it('stop() ends the child and its process group', async () => {
    const p = new ManagedProcess('sleeper', 'sh', ['-c', 'sleep 300 & wait'], join(dir, 'a.log'));
    const pid = p.pid!;
    expect(alive(pid)).toBe(true);
    await p.stop(2_000);
    expect(p.running).toBe(false);
    expect(alive(pid)).toBe(false);
  });

  it('waitReady fails fast with the log tail when the child exits', async () => {
    const p = new ManagedProcess(
      'quitter',
      'sh',
      ['-c', 'echo "bind: address already in use" >&2; exit 2'],
      join(dir, 'b.log'),
    );
    const err = await p.waitReady('/healthz', async () => false, 30_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlPlaneStartError);
    expect((err as Error).message).toMatch(/quitter exited with code 2 before \/healthz/);
    expect((err as Error).message).toContain('address already in use');
  });

  it('waitReady times out naming the last probe error', async () => {
    const p = new ManagedProcess('slow', 'sleep', ['300'], join(dir, 'c.log'));
    try {
      const err = await p
        .waitReady(
          '/readyz',
          async () => {
            throw new Error('connection refused');
          },
          300,
        )
        .catch((e: unknown) => e);
      expect((err as Error).message).toMatch(
        /slow did not reach \/readyz within 300 ms \(last probe error: connection refused\)/,
      );
    } finally {
      await p.stop();
    }
  });

  it('children die when the test process is killed (watchdog), not only on a clean exit', async () => {
    const script = join(dir, 'owner.ts');
    writeFileSync(
      script,
      `import { ManagedProcess } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'process.ts')).href)};\n` +
        `const p = new ManagedProcess('orphan', 'sleep', ['300'], ${JSON.stringify(join(dir, 'd.log'))});\n` +
        `process.stdout.write(String(p.pid) + '\\n');\nsetInterval(() => undefined, 1000);\n`,
    );
    const owner = execFile(process.execPath, ['--import', 'tsx', script]);
    const childPid = await new Promise<number>((resolve, reject) => {
      // The pid is the first whole line of digits: anything else the loader prints is skipped.
      // (Written as a string: console.log colours numbers when Nx sets FORCE_COLOR.)
      let out = '';
      owner.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const line = out.split('\n').find((l, i, all) => i < all.length - 1 && /^\d+$/.test(l.trim()));
        if (line) resolve(Number(line.trim()));
      });
      let err = '';
      owner.stderr!.on('data', (d: Buffer) => (err += String(d)));
      owner.once('exit', (code) => reject(new Error(`owner exited early (${code}): ${err}`)));
      setTimeout(
        () => reject(new Error(`owner printed no pid within 30 s; stdout: ${out} stderr: ${err}`)),
        30_000,
      ).unref();
    });
    expect(alive(childPid)).toBe(true);
    owner.kill('SIGKILL');
    await eventually(() => expect(alive(childPid)).toBe(false), { timeout: 20_000, interval: 100 });
  }, 60_000); // starting the owner through tsx takes seconds on a loaded 2-core machine
});
