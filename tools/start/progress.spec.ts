import { describe, expect, it } from 'vitest';
import { kustomizationResources } from './samples.ts';
import { Progress, renderSummary } from './progress.ts';
import { join } from 'node:path';

describe('Progress', () => {
  it('says what a step waits for, then what is up and how long it took', async () => {
    const lines: string[] = [];
    let t = 0;
    const p = new Progress({ out: { write: (s: string) => lines.push(s) }, now: () => t });
    const result = await p.step(
      'API server',
      'port 8001',
      async () => {
        t = 1500;
        return 'http://x';
      },
      (url) => url,
    );
    expect(result).toBe('http://x');
    expect(lines.join('')).toBe('  … API server             port 8001\n  ✓ API server             http://x (1.5 s)\n');
  });

  it('a failing step is marked and its error propagates', async () => {
    const lines: string[] = [];
    const p = new Progress({ out: { write: (s: string) => lines.push(s) } });
    await expect(p.step('CRDs', 'Established', async () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    expect(lines.at(-1)).toBe('  ✗ CRDs                   nope\n');
  });
});

describe('renderSummary', () => {
  it('the export line, the three kubectl commands, and each book URL', () => {
    const text = renderSummary({
      apiUrl: 'https://127.0.0.1:8001',
      kubeconfigPath: '/repo/.kubeloop/kubeconfig',
      cwd: '/repo',
      webhooks: true,
      books: [
        { namespace: 'default', name: 'markdownview-sample', port: 3001, url: 'http://127.0.0.1:3001/', dir: '/d' },
      ],
    });
    expect(text).toContain('export KUBECONFIG=$PWD/.kubeloop/kubeconfig');
    for (const cmd of [
      'kubectl get kubeloop',
      'kubectl get numbers,tuples,fermats',
      'kubectl describe fermat fermat-13',
    ])
      expect(text).toContain(`  ${cmd}\n`);
    expect(text).toMatch(/default\/markdownview-sample {2}http:\/\/127\.0\.0\.1:3001\//);
    expect(text).toMatch(/standing in for its viewer Deployment/);
    expect(text).toContain('HTTPS only; that kubeconfig (mode 0600) holds its CA and the bearer token');
  });

  it('an absolute kubeconfig path outside the working directory; pending books flagged', () => {
    const text = renderSummary({
      apiUrl: 'u',
      kubeconfigPath: '/tmp/state/kubeconfig',
      cwd: '/repo',
      webhooks: false,
      books: [{ namespace: 'a', name: 'b', port: 1, url: 'http://h:1/', dir: '/d' }],
      booksPending: ['a/b'],
    });
    expect(text).toContain('export KUBECONFIG=/tmp/state/kubeconfig');
    expect(text).toContain('http://h:1/  (waiting for its ConfigMap)');
  });
});

describe('kustomizationResources', () => {
  it('lists the samples each app applies, in kustomization order', () => {
    const root = join(import.meta.dirname, '../..');
    expect(kustomizationResources(join(root, 'deploy/math/samples')).map((f) => f.split('/').pop())).toEqual([
      'math_v1beta1_number.yaml',
      'math_v1beta1_tuple.yaml',
      'math_v1beta1_fermat.yaml',
    ]);
  });
});
