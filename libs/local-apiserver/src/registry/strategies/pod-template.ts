/** The pod template: its defaults (Pod, Deployment, ReplicaSet) and the selector/template checks of the workloads. */
import type { FieldError, KubeObject } from '../../types.ts';
import { ensureObj, obj, setDefault, type Obj } from './shared.ts';

/** SetDefaults_Container and friends (DEP-1). */
function defaultContainer(c: Obj): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c.imagePullPolicy === undefined || c.imagePullPolicy === '') {
    const image = String(c.image ?? '');
    const lastPart = image.split('/').pop() ?? '';
    const tag = lastPart.includes('@') ? 'digest' : lastPart.includes(':') ? lastPart.split(':').pop() : '';
    c.imagePullPolicy = tag === 'latest' || tag === '' ? 'Always' : 'IfNotPresent';
  }
  for (const p of Array.isArray(c.ports) ? (c.ports as Obj[]) : []) setDefault(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[probe] && typeof c[probe] === 'object') {
      const p = c[probe] as Obj;
      setDefault(p, 'timeoutSeconds', 1);
      setDefault(p, 'periodSeconds', 10);
      setDefault(p, 'successThreshold', 1);
      setDefault(p, 'failureThreshold', 3);
      const http = p.httpGet as Obj | undefined;
      if (http && typeof http === 'object') {
        setDefault(http, 'path', '/');
        setDefault(http, 'scheme', 'HTTP');
      }
    }
  }
  for (const e of Array.isArray(c.env) ? (c.env as Obj[]) : []) {
    const fr = obj(obj(e.valueFrom).fieldRef);
    if (e.valueFrom && obj(e.valueFrom).fieldRef) setDefault(fr, 'apiVersion', 'v1');
  }
}

export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? (spec[list] as Obj[]) : []) defaultContainer(c);
  }
  for (const v of Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : []) {
    for (const src of ['configMap', 'secret']) {
      if (v[src] && typeof v[src] === 'object') setDefault(v[src] as Obj, 'defaultMode', 420);
    }
    if (Object.keys(v).length === 1 && v.name) v.emptyDir = {};
  }
}

export function defaultTemplate(spec: Obj): void {
  const template = ensureObj(spec, 'template');
  defaultPodSpec(ensureObj(template, 'spec'));
}

// ---------------------------------------------------------------- Deployment / ReplicaSet (DEP-1..4)
export function validateSelectorMatchesTemplate(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const sel = spec.selector as { matchLabels?: Record<string, string> } | undefined;
  const labels = obj(obj(obj(spec.template).metadata).labels) as Record<string, string>;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !Array.isArray((sel as Obj).matchExpressions))) {
    errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  } else {
    const ok = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    if (!ok)
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        value: labels,
        detail: '`selector` does not match template `labels`',
      });
  }
  const containers = obj(obj(spec.template).spec).containers;
  if (!Array.isArray(containers) || containers.length === 0)
    errs.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers' });
  if (old && JSON.stringify(obj(old.spec).selector) !== JSON.stringify(spec.selector)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.selector',
      value: spec.selector,
      detail: 'field is immutable',
    });
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
  return errs;
}
