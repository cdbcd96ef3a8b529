import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runCommand, runKubectl, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `nx run markdown-view:deploy` / `undeploy` (tools/deploy.ts) against a control plane of its
 * own: the webhook configurations it installs point at a Service, which must not interfere with
 * the other suites. The rollout wait needs the manager's pod to become ready: the local API
 * server simulates Deployments, and on a bare kube-apiserver + kube-controller-manager (no
 * kubelet) the test reports the manager pods ready itself, as a kubelet would.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;

interface Item {
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
  webhooks?: { clientConfig: { caBundle?: string } }[];
}

describe.skipIf(!hasKubectl)('tools/deploy.ts with markdown-view', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  }, 120_000);
  afterAll(async () => {
    await cp?.stop();
  });

  const deployTool = (command: string) =>
    runCommand(
      process.execPath,
      [
        '--conditions=@kubeloop/source',
        '--import',
        'tsx',
        'tools/deploy.ts',
        command,
        'markdown-view',
        '--kubeconfig',
        cp.kubeconfigPath,
        '--timeout',
        '60s',
      ],
      { cwd: ROOT },
    );
  const kubectl = (...args: string[]) => runKubectl(cp, args, { cwd: ROOT });
  const getJson = async <T>(...args: string[]): Promise<T> => {
    const r = await kubectl('get', ...args, '-o', 'json');
    expect(r.code, r.output).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  const rendered = () => {
    const r = spawnSync('kubectl', ['kustomize', 'deploy/markdown-view'], { cwd: ROOT, encoding: 'utf8' });
    return r.stdout.split(/^---$/m).filter((doc) => /^kind:/m.test(doc)).length;
  };

  /** Until stopped, marks the manager's pods Ready (only where no kubelet and no simulation do). */
  function actAsKubelet(): () => Promise<void> {
    if (cp.local) return async () => {};
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const r = await kubectl(
          'get',
          'pods',
          '-n',
          'markdown-view-system',
          '-l',
          'control-plane=controller-manager',
          '-o',
          'name',
        );
        const now = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        for (const pod of r.stdout.split('\n').filter((l) => l.startsWith('pod/'))) {
          const status = {
            status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
          };
          await kubectl(
            'patch',
            pod,
            '-n',
            'markdown-view-system',
            '--subresource=status',
            '--type=merge',
            '-p',
            JSON.stringify(status),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  }

  it('deploy creates every object of deploy/markdown-view, the certificate Secret and the caBundle; again changes nothing; undeploy removes them', async (ctx) => {
    const rbac = await kubectl('api-resources', '--api-group=rbac.authorization.k8s.io', '-o', 'name');
    if (!rbac.stdout.includes('clusterroles')) {
      // The local API server does not serve RBAC yet; deploy/markdown-view needs it.
      ctx.skip();
      return;
    }
    const stopKubelet = actAsKubelet();
    const first = await deployTool('deploy').finally(stopKubelet);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('cert-manager not found: creating a self-signed CA');

    const objects = await getJson<{ items: Item[] }>('-k', 'deploy/markdown-view');
    expect(objects.items).toHaveLength(rendered());
    const secret = await getJson<Item>('secret', 'markdown-view-webhook-server-cert', '-n', 'markdown-view-system');
    expect(Object.keys(secret.data!).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      const cfg = objects.items.find((o) => o.kind.toLowerCase() === kind)!;
      expect(cfg.webhooks![0]!.clientConfig.caBundle, kind).toBe(secret.data!['ca.crt']);
    }

    const stopKubelet2 = actAsKubelet();
    const second = await deployTool('deploy').finally(stopKubelet2);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('reusing the certificate in secret/markdown-view-webhook-server-cert');
    const again = await getJson<Item>('secret', 'markdown-view-webhook-server-cert', '-n', 'markdown-view-system');
    expect(again.metadata.resourceVersion).toBe(secret.metadata.resourceVersion);
    const versions = (items: Item[]) =>
      Object.fromEntries(items.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
    const after = await getJson<{ items: Item[] }>('-k', 'deploy/markdown-view');
    // kubectl apply of unchanged manifests is a no-op; only the caBundle patch may touch the configurations (it sets the same value).
    expect(versions(after.items)).toEqual(versions(objects.items));

    const removed = await deployTool('undeploy');
    expect(removed.code, removed.output).toBe(0);
    const gone = await kubectl('get', '-k', 'deploy/markdown-view', '--ignore-not-found', '-o', 'name');
    expect(gone.output.trim()).toBe('');
  }, 240_000);
});
