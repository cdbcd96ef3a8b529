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

/** The legacy finalizer names that need no domain prefix (core's standardFinalizers). */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function nameErrors(name: string, rule: NameRule, prefix: boolean): string[] {
  // A generateName prefix may end in a dash: checked as if it ended in a letter (maskTrailingDash).
  const v = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  const msgs =
    rule === 'label'
      ? dns1123LabelErrors(v)
      : rule === 'dns1035'
        ? dns1035LabelErrors(v)
        : rule === 'subdomain'
          ? dns1123SubdomainErrors(v)
          : [];
  return [...(prefix ? [] : pathSegmentErrors(name)), ...msgs];
}

/**
 * ObjectMeta validation shared by every type (§7), in ValidateObjectMetaAccessor's order:
 * generateName, name, namespace, generation, labels, annotations, owner references, finalizers;
 * built-ins (`kubeFinalizers`) also refuse finalizer names that are neither standard nor qualified.
 */
export function validateObjectMeta(
  obj: KubeObject,
  rule: NameRule,
  namespaced: boolean,
  kubeFinalizers = false,
): FieldError[] {
  const errs: FieldError[] = [];
  const md = obj.metadata ?? {};
  const name = md.name ?? '';
  const generateName = md.generateName ?? '';
  if (generateName) {
    for (const m of nameErrors(generateName, rule, true))
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.generateName', value: generateName, detail: m });
  }
  if (!name) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    for (const m of nameErrors(name, rule, false))
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: m });
  }
  if (namespaced && !md.namespace) errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace' });
  if (typeof md.generation === 'number' && md.generation < 0)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.generation',
      value: md.generation,
      detail: 'must be greater than or equal to 0',
    });
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
  // Owner references and finalizers are checked as a whole: their errors carry no index.
  let firstController = '';
  const p = 'metadata.ownerReferences';
  for (const ref of md.ownerReferences ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version)
      errs.push({
        type: 'FieldValueInvalid',
        field: `${p}.apiVersion`,
        value: apiVersion,
        detail: 'version must not be empty',
      });
    if (!ref.kind)
      errs.push({ type: 'FieldValueInvalid', field: `${p}.kind`, value: ref.kind ?? '', detail: 'must not be empty' });
    if (!ref.name)
      errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, value: ref.name ?? '', detail: 'must not be empty' });
    if (!ref.uid)
      errs.push({ type: 'FieldValueInvalid', field: `${p}.uid`, value: ref.uid ?? '', detail: 'must not be empty' });
    if (apiVersion === 'v1' && ref.kind === 'Event')
      errs.push({
        type: 'FieldValueInvalid',
        field: p,
        value: ref,
        detail: '/v1, Kind=Event is disallowed from being an owner',
      });
    if (ref.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push({
          type: 'FieldValueInvalid',
          field: p,
          value: md.ownerReferences,
          detail: `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
        });
      } else firstController = cur;
    }
  }
  const fins = md.finalizers ?? [];
  for (const f of fins)
    for (const m of qualifiedNameErrors(f))
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', value: f, detail: m });
  if (fins.includes('orphan') && fins.includes('foregroundDeletion')) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.finalizers',
      value: fins,
      detail: 'finalizer orphan and foregroundDeletion cannot be both set',
    });
  }
  if (kubeFinalizers)
    fins.forEach((f, i) => {
      if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f))
        errs.push({
          type: 'FieldValueInvalid',
          field: `metadata.finalizers[${i}]`,
          value: f,
          detail: 'name is neither a standard finalizer name nor is it fully qualified',
        });
    });
  return errs;
}
