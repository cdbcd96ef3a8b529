import { badRequest } from '../errors.ts';
import type { KubeObject, ResourceType } from '../types.ts';
import { textOf } from '../engine/object-values.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Splits on unescaped commas, keeping escapes for the value parser (fields.splitTerms). */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      out.push(input.slice(start, i));
      start = i + 1;
    }
  }
  out.push(input.slice(start));
  return out;
}

/** fields.UnescapeValue: `\\`, `\,`, `\=` are escapes; a bare `,` or `=` is refused (by its code point, as Go prints a rune). */
function unescapeValue(v: string): string {
  if (!/[\\,=]/.test(v)) return v;
  let out = '';
  let inSlash = false;
  for (const c of v) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=')
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** The first operator in a term (`!=` before `==` before `=` at the same position), as fields.splitTerm. */
function splitTerm(term: string): [string, '!=' | '==' | '=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** FS-1 grammar, as fields.ParseSelector: terms sorted, then each `field<op>value`. */
export function parseFieldSelector(input: string | undefined | null): FieldSelector {
  if (!input) return [];
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input).sort()) {
    if (term === '') continue;
    const t = splitTerm(term);
    if (!t) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    reqs.push({ field: t[0], op: t[1] === '!=' ? '!=' : '=', value: unescapeValue(t[2]) });
  }
  return reqs;
}

/** Field labels each core type supports in addition to metadata.name/metadata.namespace (FS-2). */
export const CORE_SELECTABLE_FIELDS: Record<string, string[]> = {
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Namespace: ['status.phase'],
  Secret: ['type'],
  Service: ['spec.clusterIP', 'spec.type'],
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  ReplicaSet: ['status.replicas'],
};

/**
 * events.k8s.io/v1 Event's field labels: its own names, each converted to the core Event's label
 * it is matched as (pkg/apis/events/v1 AddFieldLabelConversionsForEvent). `involvedObject.name`
 * is not among them, `regarding.name` is (kube-apiserver v1.36.2: conformance case
 * `coordination-events/events-v1`).
 */
export const EVENTS_V1_FIELD_LABELS: Readonly<Record<string, string>> = {
  'metadata.name': 'metadata.name',
  'metadata.namespace': 'metadata.namespace',
  reason: 'reason',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  type: 'type',
};

/** A selector in the labels of the stored (core) form: events.k8s.io/v1 Events are stored as core Events. */
export function storedFieldSelector(rt: ResourceType, sel: FieldSelector): FieldSelector {
  if (rt.group !== 'events.k8s.io' || rt.kind !== 'Event') return sel;
  return sel.map((r) => ({ ...r, field: EVENTS_V1_FIELD_LABELS[r.field] ?? r.field }));
}

/** Rejects labels the type does not support, with the type-specific messages (400). */
export function checkFieldSelectorSupported(rt: ResourceType, sel: FieldSelector): void {
  for (const r of sel) {
    if (r.field === 'metadata.name') continue;
    if (r.field === 'metadata.namespace' && (rt.namespaced || rt.origin === 'builtin')) continue;
    if (rt.selectableFields.includes(r.field)) continue;
    if (rt.origin === 'builtin' && rt.selectableFields.length === 0) {
      throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    throw badRequest(`field label not supported: ${r.field}`);
  }
}

function lookup(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The string value of a field label as the real field-set functions render it (FS-3). */
export function fieldValue(obj: KubeObject, field: string): string {
  if (field === 'source') return textOf(lookup(obj, 'source.component'));
  if (field === 'status.podIPs') {
    const ips = lookup(obj, 'status.podIPs') as { ip: string }[] | undefined;
    return ips?.[0]?.ip ?? '';
  }
  if (field === 'reportingComponent') return textOf(lookup(obj, 'reportingComponent'));
  return textOf(lookup(obj, field.replace(/^\./, '')));
}

export function matchesFields(sel: FieldSelector, obj: KubeObject): boolean {
  for (const r of sel) {
    const v = fieldValue(obj, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
