import { describe, expect, it } from 'vitest';
import { hardeningProblems, type PodSpecLike } from './hardening.ts';

const hardened = (): PodSpecLike => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'manager',
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8081 } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8081 } },
    },
  ],
});

describe('hardeningProblems', () => {
  it('accepts the kubebuilder v4 scaffold (pod-level runAsNonRoot and seccomp count for every container)', () => {
    expect(hardeningProblems(hardened())).toEqual([]);
  });

  it('names every missing setting', () => {
    expect(
      hardeningProblems({
        containers: [{ name: 'app', securityContext: { capabilities: { add: ['NET_ADMIN'] } } }],
      }),
    ).toEqual([
      'container app: runAsNonRoot is not true',
      'container app: readOnlyRootFilesystem is not true',
      'container app: allowPrivilegeEscalation is not false',
      'container app: capabilities do not drop ALL',
      'container app: capabilities add NET_ADMIN',
      'container app: seccompProfile is not RuntimeDefault',
      'container app: no cpu request',
      'container app: no memory request',
      'container app: no cpu limit',
      'container app: no memory limit',
      'container app: no livenessProbe',
      'container app: no readinessProbe',
    ]);
  });

  it('a container-level setting overrides the pod’s', () => {
    const spec = hardened();
    spec.containers[0]!.securityContext!.runAsNonRoot = false;
    spec.containers[0]!.securityContext!.seccompProfile = { type: 'Unconfined' };
    expect(hardeningProblems(spec)).toEqual([
      'container manager: runAsNonRoot is not true',
      'container manager: seccompProfile is not RuntimeDefault',
    ]);
  });
});
