import { badRequest } from '../errors.ts';
import type { KubeObject, ResourceType } from '../types.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Splits on unescaped separators, keeping escapes for the value parser. */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      cur += c + input[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\') {
      const n = v[i + 1];
      if (n === '\\' || n === ',' || n === '=') {
        out += n;
        i++;
        continue;
      }
      throw badRequest(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
    }
    if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${v}`);
    out += c;
  }
  return out;
}

/** FS-1 grammar. */
export function parseFieldSelector(input: string | undefined | null): FieldSelector {
  if (!input) return [];
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^=!]*)!=(.*)$/s.exec(term))) reqs.push({ field: m[1], op: '!=', value: unescapeValue(m[2]) });
    else if ((m = /^([^=!]*)==(.*)$/s.exec(term))) reqs.push({ field: m[1], op: '=', value: unescapeValue(m[2]) });
    else if ((m = /^([^=!]*)=(.*)$/s.exec(term))) reqs.push({ field: m[1], op: '=', value: unescapeValue(m[2]) });
    else
      throw badRequest(`invalid field selector: '${term}' is not a valid field selector: expected '=', '==' or '!='`);
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
  if (field === 'source') return String(lookup(obj, 'source.component') ?? '');
  if (field === 'status.podIPs') {
    const ips = lookup(obj, 'status.podIPs') as { ip: string }[] | undefined;
    return ips?.[0]?.ip ?? '';
  }
  if (field === 'reportingComponent') return String(lookup(obj, 'reportingComponent') ?? '');
  const v = lookup(obj, field.replace(/^\./, ''));
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function matchesFields(sel: FieldSelector, obj: KubeObject): boolean {
  for (const r of sel) {
    const v = fieldValue(obj, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
