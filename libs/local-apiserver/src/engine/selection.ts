import type { KubeObject, ResourceType } from '../types.ts';
import { parseLabelSelector, matchesLabels, type LabelSelector } from '../selectors/label-selector.ts';
import {
  parseFieldSelector,
  matchesFields,
  checkFieldSelectorSupported,
  storedFieldSelector,
  type FieldSelector,
} from '../selectors/field-selector.ts';
import type { ListQuery } from './request-options.ts';

export function selectors(rt: ResourceType, q: ListQuery): { labels: LabelSelector; fields: FieldSelector } {
  const labels = parseLabelSelector(q.labelSelector);
  const fields = parseFieldSelector(q.fieldSelector);
  checkFieldSelectorSupported(rt, fields);
  return { labels, fields: storedFieldSelector(rt, fields) };
}

export function matches(
  rt: ResourceType,
  sel: { labels: LabelSelector; fields: FieldSelector },
  obj: KubeObject,
): boolean {
  if (!matchesLabels(sel.labels, obj.metadata?.labels)) return false;
  if (sel.fields.length === 0) return true;
  return matchesFields(sel.fields, obj);
}
