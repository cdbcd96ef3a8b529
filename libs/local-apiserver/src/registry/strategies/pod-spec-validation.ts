/**
 * ValidatePodSpec as kube-apiserver applies it to Pods and to the templates of workloads, for
 * what operators write: volumes, containers and init containers (names, images, ports, volume
 * mounts), restartPolicy. Checks run, and errors come, in the real server's order.
 */
import type { FieldError } from '../../types.ts';
import { dns1123LabelErrors } from '../../validation/names.ts';
import { obj, type Obj } from './shared.ts';
import { textOf } from '../../engine/object-values.ts';

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

function label(value: string, field: string): FieldError[] {
  return dns1123LabelErrors(value).map((detail) => ({ type: 'FieldValueInvalid', field, value, detail }));
}

function portRange(value: number, field: string): FieldError[] {
  return value < 1 || value > 65535
    ? [{ type: 'FieldValueInvalid', field, value, detail: 'must be between 1 and 65535, inclusive' }]
    : [];
}

function validateVolumes(volumes: Obj[], path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const field = `${path}[${i}].name`;
    const name = typeof v.name === 'string' ? v.name : '';
    const el: FieldError[] = name ? label(name, field) : [{ type: 'FieldValueRequired', field }];
    if (names.has(name)) el.push({ type: 'FieldValueDuplicate', field, value: name });
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}

function validateContainer(c: Obj, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof c.name === 'string' ? c.name : '';
  if (!name) errs.push({ type: 'FieldValueRequired', field: `${path}.name` });
  else errs.push(...label(name, `${path}.name`));
  if (!c.image) errs.push({ type: 'FieldValueRequired', field: `${path}.image` });
  const ports = new Set<string>();
  list(c.ports).forEach((p, i) => {
    const at = `${path}.ports[${i}]`;
    if (typeof p.name === 'string' && p.name) {
      if (ports.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: p.name });
      ports.add(p.name);
    }
    const cp = typeof p.containerPort === 'number' ? p.containerPort : 0;
    if (cp === 0) errs.push({ type: 'FieldValueRequired', field: `${at}.containerPort` });
    else errs.push(...portRange(cp, `${at}.containerPort`));
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) errs.push(...portRange(p.hostPort, `${at}.hostPort`));
    if (typeof p.protocol === 'string' && !PORT_PROTOCOLS.includes(p.protocol))
      errs.push({
        type: 'FieldValueNotSupported',
        field: `${at}.protocol`,
        value: p.protocol,
        detail: `supported values: ${PORT_PROTOCOLS.map((x) => JSON.stringify(x)).join(', ')}`,
      });
  });
  const mountPaths = new Set<string>();
  list(c.volumeMounts).forEach((m, i) => {
    const at = `${path}.volumeMounts[${i}]`;
    const mname = typeof m.name === 'string' ? m.name : '';
    if (!mname) errs.push({ type: 'FieldValueRequired', field: `${at}.name` });
    if (!volumes.has(mname)) errs.push({ type: 'FieldValueNotFound', field: `${at}.name`, value: mname });
    const mp = typeof m.mountPath === 'string' ? m.mountPath : '';
    if (!mp) errs.push({ type: 'FieldValueRequired', field: `${at}.mountPath` });
    if (mountPaths.has(mp))
      errs.push({ type: 'FieldValueInvalid', field: `${at}.mountPath`, value: mp, detail: 'must be unique' });
    mountPaths.add(mp);
  });
  return errs;
}

/** The checks of ValidatePodSpec this server makes, at `path` (`spec` or `spec.template.spec`). */
export function validatePodSpec(specValue: unknown, path: string): FieldError[] {
  const spec = obj(specValue);
  const errs: FieldError[] = [];
  const vols = validateVolumes(list(spec.volumes), `${path}.volumes`);
  errs.push(...vols.errs);
  const containers = list(spec.containers);
  if (containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  const names = new Set<string>();
  containers.forEach((c, i) => {
    errs.push(...validateContainer(c, `${path}.containers[${i}]`, vols.names));
    const n = textOf(c.name);
    if (names.has(n)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.containers[${i}].name`, value: n });
    names.add(n);
  });
  list(spec.initContainers).forEach((c, i) => {
    errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, vols.names));
    const n = textOf(c.name);
    if (names.has(n)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.initContainers[${i}].name`, value: n });
    names.add(n);
  });
  const rp = spec.restartPolicy;
  if (rp === undefined || rp === '') errs.push({ type: 'FieldValueRequired', field: `${path}.restartPolicy` });
  else if (!RESTART_POLICIES.includes(rp as string))
    errs.push({
      type: 'FieldValueNotSupported',
      field: `${path}.restartPolicy`,
      value: rp,
      detail: `supported values: ${RESTART_POLICIES.map((x) => JSON.stringify(x)).join(', ')}`,
    });
  return errs;
}
