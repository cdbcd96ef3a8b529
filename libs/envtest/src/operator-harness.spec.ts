import { describe, expect, it } from 'vitest';
import { apiRequest } from './api-request.ts';
import { operatorTestHarness } from './operator-harness.ts';
import type { ControlPlane } from './types.ts';

// The local control plane: that a stopped one answers no more is what these tests observe.

/** Whether the control plane still answers (a stopped local server refuses the connection). */
const answers = (cp: ControlPlane) =>
  apiRequest(cp.kubeConfig, 'GET', '/api/v1/namespaces').then(
    (r) => r.status === 200,
    () => false,
  );

describe('operatorTestHarness', () => {
  it('makes the namespace, hands start its options; stop stops the app, then the control plane', async () => {
    const order: string[] = [];
    const start = operatorTestHarness({
      namespacePrefix: 'harness-',
      async start({ cp, namespace }, options: { greeting: string }) {
        const ns = await apiRequest(cp.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}`);
        return {
          seen: { ns: ns.status, greeting: options.greeting },
          async stop() {
            order.push(`app stopped (control plane answers: ${await answers(cp)})`);
          },
        };
      },
    });
    const env = await start({ kind: 'local' }, { greeting: 'hello' });
    expect(env.namespace).toMatch(/^harness-/);
    expect(env.seen).toEqual({ ns: 200, greeting: 'hello' });
    await env.stop();
    expect(order).toEqual(['app stopped (control plane answers: true)']);
    expect(await answers(env.cp)).toBe(false);
  });

  it('stops the control plane when the app fails to start, and rethrows', async () => {
    let started: ControlPlane | undefined;
    const start = operatorTestHarness({
      namespacePrefix: 'harness-',
      async start({ cp }): Promise<{ stop(): Promise<void> }> {
        started = cp;
        throw new Error('setup failed: no webhook server');
      },
    });
    await expect(start({ kind: 'local' })).rejects.toThrow('setup failed: no webhook server');
    expect(started).toBeDefined();
    expect(await answers(started!)).toBe(false);
  });
});
