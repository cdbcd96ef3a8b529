import { setCondition, type Condition, type InvalidChild } from '@kubeloop/reconcile';
import type { ConfigMap, Deployment, KubeObject, Service } from '@kubeloop/runtime';
import type { MarkdownViewObject, MarkdownViewStatus } from '../api/v1/markdown-view.ts';
import { configMapName, desiredReplicas, viewerName } from '../desired/viewer.ts';

/** The children as the controller last saw them; undefined = absent. */
export interface ViewerChildren {
  configMap: ConfigMap | undefined;
  deployment: Deployment | undefined;
  service: Service | undefined;
  /** Children the API server refuses as the spec stands (e.g. a Service name over 63 characters), by name. */
  refused?: ReadonlyMap<string, InvalidChild>;
}

interface Problem {
  reason: string;
  message: string;
  /** Nothing the controller can do fixes it: only a spec change does. */
  terminal?: boolean;
}

/**
 * A child that does not exist or is being deleted cannot serve the book; naming it in the
 * reason (`DeploymentMissing`) tells the reader which object to look at.
 */
function missingChildren(view: MarkdownViewObject, children: ViewerChildren): Problem[] {
  const name = view.metadata.name!;
  const checks: [string, string, KubeObject | undefined][] = [
    ['ConfigMap', configMapName(name), children.configMap],
    ['Deployment', viewerName(name), children.deployment],
    ['Service', viewerName(name), children.service],
  ];
  const problems: Problem[] = [];
  for (const [kind, childName, child] of checks) {
    const refused = children.refused?.get(childName);
    if (!child && refused) {
      problems.push({
        reason: refused.verb === 'create' ? 'FailedCreate' : 'FailedUpdate',
        message: `cannot ${refused.verb} ${kind} ${childName}: ${refused.message}`,
        terminal: true,
      });
    } else if (!child) problems.push({ reason: `${kind}Missing`, message: `${kind} not found: ${childName}` });
    else if (child.metadata.deletionTimestamp) {
      problems.push({
        reason: `${kind}Missing`,
        message: `${kind} ${childName} is being deleted; it is recreated once it is gone`,
      });
    }
  }
  return problems;
}

/** The Deployment controller's own verdict that the rollout cannot succeed. */
function deploymentFailure(deployment: Deployment | undefined): Problem | undefined {
  const conditions = deployment?.status?.conditions ?? [];
  const replicaFailure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (replicaFailure) {
    return {
      reason: 'DeploymentReplicaFailure',
      message: `Deployment ${deployment!.metadata.name}: ${replicaFailure.message ?? replicaFailure.reason ?? 'replica failure'}`,
    };
  }
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return {
      reason: 'DeploymentProgressDeadlineExceeded',
      message: `Deployment ${deployment!.metadata.name}: ${progressing.message ?? 'progress deadline exceeded'}`,
    };
  }
  return undefined;
}

/**
 * Status from what exists: `Available` when every child exists and the Deployment has at least
 * one available pod; `Progressing` while children are being created or the rollout has not
 * reached the spec; `Degraded` naming the first missing or failing child. Conditions keep their
 * lastTransitionTime unless their status flips, so recomputing an unchanged world yields an
 * identical status (and no write).
 */
export function markdownViewStatus(
  view: MarkdownViewObject,
  children: ViewerChildren,
  now: Date = new Date(),
): MarkdownViewStatus {
  const generation = view.metadata.generation;
  const deployment = children.deployment;
  const wanted = desiredReplicas(view);
  const replicas = deployment?.status?.replicas ?? 0;
  const available = deployment?.status?.availableReplicas ?? 0;
  const updated = deployment?.status?.updatedReplicas ?? 0;
  const missing = missingChildren(view, children);
  const failure = deploymentFailure(deployment);

  let conditions: Condition[] = view.status?.conditions ?? [];
  const set = (type: string, status: 'True' | 'False', reason: string, message: string): void => {
    conditions = setCondition(
      conditions,
      { type, status, reason, message, ...(generation !== undefined ? { observedGeneration: generation } : {}) },
      now,
    );
  };

  if (missing.length > 0) {
    set('Available', 'False', missing[0]!.reason, missing.map((p) => p.message).join('; '));
  } else if (available >= 1) {
    set('Available', 'True', 'DeploymentAvailable', `${available} of ${wanted} viewer pods available`);
  } else {
    set('Available', 'False', 'DeploymentUnavailable', `no viewer pod is available yet (0 of ${wanted})`);
  }

  const rolledOut =
    deployment !== undefined &&
    (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) &&
    updated >= wanted &&
    available >= wanted &&
    replicas === wanted;
  const stuck = missing.find((p) => p.terminal);
  if (stuck) {
    set('Progressing', 'False', stuck.reason, stuck.message);
  } else if (missing.length > 0) {
    set(
      'Progressing',
      'True',
      'CreatingChildren',
      `creating ${missing.map((p) => p.reason.replace(/Missing$/, '')).join(', ')}`,
    );
  } else if (failure) {
    set('Progressing', 'False', failure.reason, failure.message);
  } else if (!rolledOut) {
    set('Progressing', 'True', 'RollingOut', `${updated} of ${wanted} viewer pods updated, ${available} available`);
  } else {
    set('Progressing', 'False', 'RolloutComplete', `${wanted} of ${wanted} viewer pods updated and available`);
  }

  const degradedBy = missing[0] ?? failure;
  if (degradedBy) {
    set(
      'Degraded',
      'True',
      degradedBy.reason,
      missing.length > 1 ? missing.map((p) => p.message).join('; ') : degradedBy.message,
    );
  } else {
    set('Degraded', 'False', 'AsExpected', '');
  }

  return {
    replicas,
    availableReplicas: available,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions,
  };
}
