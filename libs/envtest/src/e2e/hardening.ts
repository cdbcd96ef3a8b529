/**
 * The pod settings kubebuilder v4 scaffolds for a manager and that the Pod Security "restricted"
 * profile asks for, plus resources and probes: what a production cluster expects of a workload.
 */
interface SecurityContext {
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
}
interface ContainerLike {
  name: string;
  securityContext?: SecurityContext;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}
export interface PodSpecLike {
  securityContext?: Pick<SecurityContext, 'runAsNonRoot' | 'seccompProfile'>;
  containers: ContainerLike[];
}

/**
 * Everything a pod spec lacks of the hardened settings, one message per missing setting (empty
 * when it has them all): runAsNonRoot, readOnlyRootFilesystem, allowPrivilegeEscalation false,
 * capabilities drop ALL (and none added), seccomp RuntimeDefault (pod or container level), cpu
 * and memory requests and limits, liveness and readiness probes. Used on the manifests (unit
 * tests) and on the running pods (e2e), so both check the same list.
 */
export function hardeningProblems(spec: PodSpecLike): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const c of spec.containers) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
    if (sc.capabilities?.add?.length) problems.push(`${at}: capabilities add ${sc.capabilities.add.join(', ')}`);
    if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault')
      problems.push(`${at}: seccompProfile is not RuntimeDefault`);
    for (const kind of ['requests', 'limits'] as const)
      for (const resource of ['cpu', 'memory'])
        if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${at}: no ${resource} ${kind.slice(0, -1)}`);
    if (!c.livenessProbe) problems.push(`${at}: no livenessProbe`);
    if (!c.readinessProbe) problems.push(`${at}: no readinessProbe`);
  }
  return problems;
}
