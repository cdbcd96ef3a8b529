import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startApiServer, type LocalApiServer } from '../src/index.ts';
import { hasKubectl, KubectlSession } from './kubectl-session.ts';

const REPO = join(import.meta.dirname, '../../..');

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer, maximum: 5}
          status: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {replicas: 2}
`;

const cm = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cm1, namespace: default, labels: {app: demo}}
data: {${data}}
`;

describe.skipIf(!hasKubectl())('real kubectl against local-apiserver', () => {
  let server: LocalApiServer;
  let session: KubectlSession;
  const kubectl = (...args: string[]) => session.kubectl(...args);
  const file = (name: string, text: string) => session.file(name, text);

  beforeAll(async () => {
    server = await startApiServer({ simulateDeployments: false });
    session = KubectlSession.open(server, 'kubeloop-kubectl-');
  });
  afterAll(async () => {
    await server?.stop();
    session?.close();
  });

  it('DISC-7 api-resources lists built-ins with short names', async () => {
    const out = await kubectl('api-resources');
    expect(out).toMatch(/configmaps\s+cm\s+v1\s+true\s+ConfigMap/);
    expect(out).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });

  it('OAPI-3 CRD-3 apply -f a CRD, wait for Established, apply an instance', async () => {
    expect(await kubectl('apply', '-f', file('crd.yaml', CRD))).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    await kubectl('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s');
    expect(await kubectl('apply', '-f', file('w.yaml', WIDGET))).toContain('widget.example.com/w1 created');
  });

  it('TBL-3 get prints the CRD printer columns; get -o yaml shows the object', async () => {
    const out = await kubectl('get', 'widgets');
    expect(out).toMatch(/NAME\s+REPLICAS/);
    expect(out).toMatch(/w1\s+2/);
    const yaml = await kubectl('get', 'wd', 'w1', '-o', 'yaml');
    expect(yaml).toContain('kind: Widget');
    expect(yaml).toContain('replicas: 2');
  });

  it('FS-4 describe shows the object and its events section', async () => {
    const out = await kubectl('describe', 'widget', 'w1');
    expect(out).toMatch(/Name:\s+w1/);
    expect(out).toContain('Events:');
  });

  it('WATCH-11 get --watch shows a later change', async () => {
    const child = session.spawn(
      'get',
      'widgets',
      '--watch',
      '--output-watch-events',
      '-o',
      'custom-columns=EVENT:.type,NAME:.object.metadata.name,R:.object.spec.replicas',
      '--no-headers',
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 10_000;
      while (!/ADDED\s+w1/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/ADDED\s+w1/);
      await kubectl('patch', 'widget', 'w1', '--type', 'merge', '-p', '{"spec":{"replicas":4}}');
      while (!/MODIFIED\s+w1\s+4/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/MODIFIED\s+w1\s+4/);
    } finally {
      child.kill();
    }
  });

  it('PATCH-6 apply of a ConfigMap twice goes through client-side apply (SMP)', async () => {
    expect(await kubectl('apply', '-f', file('cm.yaml', cm('a: "1"')))).toContain('configmap/cm1 created');
    expect(await kubectl('apply', '-f', file('cm.yaml', cm('b: "2"')))).toContain('configmap/cm1 configured');
    const data = JSON.parse(await kubectl('get', 'cm', 'cm1', '-o', 'jsonpath={.data}'));
    expect(data).toEqual({ b: '2' });
  });

  it('RBAC apply -k of the deploy trees (namespace, CRDs, RBAC, manager, webhooks) succeeds, and again is unchanged', async () => {
    for (const app of ['markdown-view', 'math']) {
      const tree = join(REPO, 'deploy', app);
      const first = await kubectl('apply', '-k', tree);
      expect(first).toContain(`clusterrolebinding.rbac.authorization.k8s.io/${app}-manager-rolebinding created`);
      expect(first).toContain(`role.rbac.authorization.k8s.io/${app}-leader-election-role created`);
      const again = (await kubectl('apply', '-k', tree)).trim().split('\n');
      expect(again.filter((l) => !l.endsWith(' unchanged'))).toEqual([]);
    }
    const wide = await kubectl('get', 'rolebindings', '-n', 'math-system', '-o', 'wide');
    expect(wide).toMatch(
      /math-leader-election-rolebinding\s+Role\/math-leader-election-role\s+\S+\s+math-system\/math-controller-manager/,
    );
  });

  it('PATCH-3 patch --type merge and DEL-8 delete (with its wait)', async () => {
    expect(await kubectl('patch', 'widget', 'w1', '--type', 'merge', '-p', '{"spec":{"replicas":5}}')).toContain(
      'widget.example.com/w1 patched',
    );
    expect(await kubectl('delete', 'widget', 'w1')).toContain('widget.example.com "w1" deleted');
    expect(await kubectl('get', 'widgets', '-o', 'name')).toBe('');
  });
});
