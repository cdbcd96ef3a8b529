import type { Deployment } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import type { FooObject } from '../api/v1alpha1/foo.ts';
import { fooStatus } from '../status/foo-status.ts';
import { applyDeployment, deploymentMatches, desiredDeployments } from './deployment.ts';

const foo = (spec: FooObject['spec']): FooObject => ({
  apiVersion: 'samplecontroller.k8s.io/v1alpha1',
  kind: 'Foo',
  metadata: { name: 'f', namespace: 'ns', uid: 'u1' },
  spec,
});
const fresh = (): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
});

describe('the Deployment a Foo wants', () => {
  it('none without spec.deploymentName; else its name, replicas and app=nginx,controller=<foo>', () => {
    expect(desiredDeployments(foo({ replicas: 2 }))).toEqual([]);
    expect(desiredDeployments(foo({ deploymentName: '' }))).toEqual([]);
    expect(desiredDeployments(foo({ deploymentName: 'web', replicas: 2 }))).toEqual([
      { name: 'web', replicas: 2, podLabels: { app: 'nginx', controller: 'f' } },
    ]);
  });

  it("a new Deployment is upstream's newDeployment; unset replicas are left to the server", () => {
    const [want] = desiredDeployments(foo({ deploymentName: 'web', replicas: 3 }));
    const d = fresh();
    applyDeployment(d, want!);
    expect(d.spec).toEqual({
      replicas: 3,
      selector: { matchLabels: { app: 'nginx', controller: 'f' } },
      template: {
        metadata: { labels: { app: 'nginx', controller: 'f' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] },
      },
    });
    const unset = fresh();
    applyDeployment(unset, desiredDeployments(foo({ deploymentName: 'web' }))[0]!);
    expect(unset.spec).not.toHaveProperty('replicas');
  });

  it('on a stored Deployment only replicas are the Foo’s', () => {
    const [want] = desiredDeployments(foo({ deploymentName: 'web', replicas: 3 }));
    const stored: Deployment = {
      ...fresh(),
      metadata: { name: 'web', namespace: 'ns', uid: 'd1' },
      spec: {
        replicas: 7,
        selector: { matchLabels: { app: 'nginx', controller: 'f' } },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'Always' }] } },
      },
    };
    expect(deploymentMatches(stored, want!)).toBe(false);
    const before = structuredClone(stored);
    applyDeployment(stored, want!);
    expect(stored).toEqual({ ...before, spec: { ...before.spec!, replicas: 3 } });
    expect(deploymentMatches(stored, want!)).toBe(true);
    expect(deploymentMatches(before, { ...want!, replicas: undefined })).toBe(true);
  });

  it('status mirrors availableReplicas, 0 while the Deployment reports none', () => {
    expect(fooStatus(fresh())).toEqual({ availableReplicas: 0 });
    expect(fooStatus({ ...fresh(), status: { availableReplicas: 2 } })).toEqual({ availableReplicas: 2 });
  });
});
