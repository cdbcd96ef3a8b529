import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '@kubeloop/envtest';
import { crdYaml, type PodSpec } from '@kubeloop/runtime';
import { kinds } from '../src/manifests.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEPLOY = join(ROOT, 'deploy/math');
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
const kustomize = (dir: string): Obj[] => {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return loadManifests(r.stdout) as Obj[];
};

describe('deploy/math/crd', () => {
  it.each(kinds.map((k) => [k.kind, k] as const))(
    '%s: the committed CRD equals what `nx run math:manifests` renders',
    (_name, kind) => {
      const file = join(DEPLOY, 'crd', `${kind.group}_${kind.plural}.yaml`);
      expect(readFileSync(file, 'utf8'), 'run `npx nx run math:manifests` and commit deploy/math').toBe(
        crdYaml(kind, { app: 'math' }),
      );
    },
  );

  it('kustomization.yaml lists exactly the generated CRDs', () => {
    const generated = readdirSync(join(DEPLOY, 'crd'))
      .filter((f) => f !== 'kustomization.yaml')
      .sort();
    const listed = readFileSync(join(DEPLOY, 'crd/kustomization.yaml'), 'utf8')
      .match(/^\s+- (\S+)$/gm)!
      .map((l) => l.trim().slice(2))
      .sort();
    expect(listed).toEqual(generated);
    expect(generated).toEqual(kinds.map((k) => `${k.group}_${k.plural}.yaml`).sort());
  });
});

describe('deploy/math/samples', () => {
  it('one file per kind, named <group>_<version>_<kind>.yaml: a Number, the Tuple [0, 1, 1], Fermats 5, 13 and 7', () => {
    const files = readdirSync(join(DEPLOY, 'samples'))
      .filter((f) => f !== 'kustomization.yaml')
      .sort();
    // kubebuilder's config/samples naming: the group without the domain (math, not math.potsbo.k8s.wantedly.com).
    const shortGroup = (group: string) => group.slice(0, -'.potsbo.k8s.wantedly.com'.length);
    expect(files).toEqual(kinds.map((k) => `${shortGroup(k.group)}_${k.version}_${k.kind.toLowerCase()}.yaml`).sort());
    const objs = loadManifests(join(DEPLOY, 'samples')) as (Obj & { spec: Record<string, unknown> })[];
    expect(objs.map((o) => [o.kind, o.spec])).toEqual(
      expect.arrayContaining([
        ['Number', { value: expect.any(Number) }],
        ['Tuple', { numbers: [0, 1, 1] }],
        ['Fermat', { number: 5 }],
        ['Fermat', { number: 13 }],
        ['Fermat', { number: 7 }],
      ]),
    );
  });
});

describe.skipIf(!hasKubectl)('deploy/math (kubectl kustomize)', () => {
  it('builds: CRDs, namespace math-system, least-privilege RBAC and the manager Deployment', () => {
    const objs = kustomize(DEPLOY);
    const byKind = (k: string) => objs.filter((o) => o.kind === k);
    expect(byKind('CustomResourceDefinition')).toHaveLength(3);
    expect(byKind('Namespace').map((n) => n.metadata.name)).toEqual(['math-system']);
    for (const o of objs) {
      if (['ServiceAccount', 'Role', 'RoleBinding', 'Deployment'].includes(o.kind))
        expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('math-system');
    }
    const role = byKind('ClusterRole')[0] as Obj & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    expect(role.metadata.name).toBe('math-manager-role');
    // Least privilege: nothing beyond the math group and events; no wildcards.
    for (const r of role.rules) {
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toContain('*');
    }
    const binding = byKind('ClusterRoleBinding')[0] as Obj & {
      roleRef: { name: string };
      subjects: { name: string; namespace: string }[];
    };
    expect(binding.roleRef.name).toBe('math-manager-role');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'math-controller-manager', namespace: 'math-system' },
    ]);

    const deploy = byKind('Deployment')[0] as Obj & {
      spec: { selector: { matchLabels: Record<string, string> }; template: { spec: PodSpec } };
    };
    const pod = deploy.spec.template.spec;
    expect(pod.serviceAccountName).toBe('math-controller-manager');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    const c = pod.containers[0]!;
    expect(c.args).toEqual(expect.arrayContaining(['--leader-elect']));
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources?.requests).toBeDefined();
    expect(c.resources?.limits).toBeDefined();
    expect(c.command, 'the image entry point runs the script; args are only flags').toBeUndefined();

    const [metrics] = byKind('Service') as (Obj & { spec: { ports: unknown; selector: unknown } })[];
    expect(metrics!.metadata.name).toBe('math-controller-manager-metrics-service');
    expect(metrics!.spec.ports).toEqual([{ name: 'http-metrics', port: 8080, protocol: 'TCP', targetPort: 'metrics' }]);
    expect(metrics!.spec.selector).toEqual(deploy.spec.selector.matchLabels);
  });
});
