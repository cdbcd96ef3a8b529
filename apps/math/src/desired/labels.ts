import { GROUP } from '../api/v1beta1/group.ts';

export const TUPLE_LABEL = `${GROUP}/tuple`;
export const FERMAT_LABEL = `${GROUP}/fermat`;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The parent-name label, when the name fits in a label value (≤ 63 characters; object names may
 * be up to 253). Ownership never depends on it — that is the controller ownerReference's UID —
 * so a long parent name only costs the convenience of `kubectl get numbers -l …`.
 */
export function parentLabel(key: string, parentName: string): Record<string, string> {
  return parentName.length <= 63 && LABEL_VALUE.test(parentName) ? { [key]: parentName } : {};
}
