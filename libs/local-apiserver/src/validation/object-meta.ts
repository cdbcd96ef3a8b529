import type { FieldError, KubeObject } from '../types.ts';
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  pathSegmentErrors,
  qualifiedNameErrors,
} from './names.ts';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * (1 << 10);

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

/** ObjectMeta validation shared by every type (§7): name, labels, annotations, finalizers, owners. */
export function validateObjectMeta(obj: KubeObject, rule: NameRule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const md = obj.metadata ?? {};
  const name = md.name ?? '';
  if (!name) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    const msgs =
      rule === 'label'
        ? dns1123LabelErrors(name)
        : rule === 'dns1035'
          ? dns1035LabelErrors(name)
          : rule === 'subdomain'
            ? dns1123SubdomainErrors(name)
            : [];
    const all = [...pathSegmentErrors(name), ...msgs];
    for (const m of all) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: m });
  }
  if (namespaced && !md.namespace) errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace' });
  for (const [k, v] of Object.entries(md.labels ?? {})) {
    for (const m of qualifiedNameErrors(k))
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: k, detail: m });
    if (typeof v !== 'string')
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: v, detail: 'must be a string' });
    else
      for (const m of labelValueErrors(v))
        errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: v, detail: m });
  }
  let size = 0;
  for (const [k, v] of Object.entries(md.annotations ?? {})) {
    for (const m of qualifiedNameErrors(k.toLowerCase()))
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.annotations', value: k, detail: m });
    size += k.length + String(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push({
      type: 'FieldValueTooLong',
      field: 'metadata.annotations',
      detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    });
  }
  const fins = md.finalizers ?? [];
  fins.forEach((f, i) => {
    for (const m of qualifiedNameErrors(f))
      errs.push({ type: 'FieldValueInvalid', field: `metadata.finalizers[${i}]`, value: f, detail: m });
  });
  if (fins.includes('orphan') && fins.includes('foregroundDeletion')) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.finalizers',
      value: fins,
      detail: 'finalizer orphan and foregroundDeletion cannot be both set',
    });
  }
  let firstController = '';
  (md.ownerReferences ?? []).forEach((ref, i) => {
    const p = `metadata.ownerReferences[${i}]`;
    if (!ref.apiVersion)
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.apiVersion`,
        value: ref.apiVersion ?? '',
        detail: 'version must not be empty',
      });
    else if (ref.apiVersion.split('/').length > 2) {
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.apiVersion`,
        value: ref.apiVersion,
        detail: 'must be <group>/<version> or <version>',
      });
    }
    if (!ref.kind)
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.kind`,
        value: ref.kind ?? '',
        detail: 'kind must not be empty',
      });
    if (!ref.name)
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.name`,
        value: ref.name ?? '',
        detail: 'name must not be empty',
      });
    if (!ref.uid)
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.uid`,
        value: ref.uid ?? '',
        detail: 'uid must not be empty',
      });
    if (ref.apiVersion === 'v1' && ref.kind === 'Event') {
      errs.push({
        type: 'FieldValueInvalid',
        field: p,
        value: ref,
        detail: '/v1, Kind=Event is disallowed from being an owner',
      });
    }
    if (ref.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'metadata.ownerReferences',
          value: md.ownerReferences,
          detail: `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
        });
      } else firstController = cur;
    }
  });
  return errs;
}
