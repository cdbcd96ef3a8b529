import type { FieldError, KubeObject } from '../types.ts';
import { textOf } from '../engine/object-values.ts';

/** The annotation a CRD of a protected group must carry (CRD-10). */
export const API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';

const ENHANCEMENT = 'see https://github.com/kubernetes/enhancements/pull/1111';

/**
 * `k8s.io`, `kubernetes.io` and their subdomains belong to the Kubernetes project: a CRD there
 * needs an API review, or an explicit "unapproved…" opt-out (apiextensions' IsProtectedCommunityGroup).
 */
export function isProtectedGroup(group: string): boolean {
  return (
    group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io')
  );
}

export type ApprovalState = 'Missing' | 'Bypassed' | 'Approved' | 'Invalid';

/**
 * A URL with a scheme and a host, as Go's url.ParseRequestURI accepts it with both set: `http:/x`
 * has no host (no `//` authority) and is not one, although WHATWG URL parsing would repair it.
 */
const APPROVAL_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#\s]*@)?[^@/?#\s]+(?:[/?#]\S*)?$/;

/** apiextensions' GetAPIApprovalState: the state and the reason worded as kube-apiserver v1.36 does. */
export function approvalState(annotations: Record<string, string> | undefined): {
  state: ApprovalState;
  reason: string;
} {
  const value = annotations?.[API_APPROVED_ANNOTATION] ?? '';
  if (value === '')
    return {
      state: 'Missing',
      reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}", ${ENHANCEMENT}`,
    };
  if (value.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(value)}` };
  if (APPROVAL_URL.test(value)) return { state: 'Approved', reason: `approved in ${value}` };
  return {
    state: 'Invalid',
    reason: `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${ENHANCEMENT}`,
  };
}

/**
 * CRD-10: a CRD of a protected group is refused without a valid approval annotation, unless an
 * update leaves the approval state as it was (a controller rewriting a CRD's spec is never
 * refused for an annotation it did not touch).
 */
export function validateApiApproval(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const group = textOf((o.spec as { group?: unknown } | undefined)?.group);
  if (!group || !isProtectedGroup(group)) return [];
  const next = approvalState(o.metadata?.annotations);
  if (old && approvalState(old.metadata?.annotations).state === next.state) return [];
  const field = `metadata.annotations[${API_APPROVED_ANNOTATION}]`;
  if (next.state === 'Missing') return [{ type: 'FieldValueRequired', field, detail: next.reason }];
  if (next.state === 'Invalid')
    return [
      {
        type: 'FieldValueInvalid',
        field,
        value: o.metadata?.annotations?.[API_APPROVED_ANNOTATION] ?? '',
        detail: next.reason,
      },
    ];
  return [];
}

/**
 * The `KubernetesAPIApprovalPolicyConformant` condition kube-apiserver's approval controller sets
 * on a protected group's CRD (none on other groups).
 */
export function approvalCondition(
  crd: KubeObject,
): { type: string; status: string; reason: string; message: string } | undefined {
  const group = textOf((crd.spec as { group?: unknown } | undefined)?.group);
  if (!isProtectedGroup(group)) return undefined;
  const { state, reason } = approvalState(crd.metadata?.annotations);
  const type = 'KubernetesAPIApprovalPolicyConformant';
  if (state === 'Approved') return { type, status: 'True', reason: 'ApprovedAnnotation', message: reason };
  if (state === 'Bypassed') return { type, status: 'False', reason: 'UnapprovedAnnotation', message: reason };
  if (state === 'Missing') return { type, status: 'False', reason: 'MissingAnnotation', message: reason };
  return { type, status: 'False', reason: 'InvalidAnnotation', message: reason };
}
