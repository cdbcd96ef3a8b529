import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const workspaceRoot = resolve(import.meta.dirname, '..', '..', '..');

describe('main.ts process', () => {
  it('serves BOOK_DIR on PORT and exits 0 after draining on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@kubeloop/source', '--import', 'tsx', 'apps/markdown-viewer/src/main.ts'],
      {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          PORT: '0',
          BOOK_DIR: 'apps/markdown-viewer/sample-book',
          NODE_OPTIONS: '--conditions=@kubeloop/source',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const lines: Record<string, unknown>[] = [];
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`viewer did not start: ${JSON.stringify(lines)}`)), 20_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry['msg'] === 'markdown viewer listening') {
          clearTimeout(timer);
          done(entry['port'] as number);
        }
      });
    });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const page = await fetch(`http://127.0.0.1:${port}/writing.html`);
      expect(await page.text()).toContain('Writing a book');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(lines.some((entry) => entry['msg'] === 'request' && entry['url'] === '/writing.html')).toBe(true);
    expect(lines.some((entry) => entry['msg'] === 'stopped')).toBe(true);
  });
});
