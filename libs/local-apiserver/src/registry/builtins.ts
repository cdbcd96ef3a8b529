import type { FieldError, KubeObject, ResourceType } from '../types.ts';
import type { Strategy, StrategyContext } from './strategy.ts';
import { CORE_SELECTABLE_FIELDS } from '../selectors/field-selector.ts';
import { configMapKeyErrors } from '../validation/names.ts';
import { badRequest } from '../errors.ts';
import {
  RBAC_GROUP,
  clusterRoleBindingStrategy,
  clusterRoleStrategy,
  roleBindingStrategy,
  roleStrategy,
} from './rbac.ts';
import { clone } from '../store/object-store.ts';

type Obj = Record<string, unknown>;

const VERBS8 = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface BuiltinEntry {
  rt: ResourceType;
  strategy: Strategy;
}

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: VERBS8,
    subresources: { status: false },
    storageKey: `${group}/${plural}`,
    origin: 'builtin',
    selectableFields: CORE_SELECTABLE_FIELDS[kind] && group === '' ? CORE_SELECTABLE_FIELDS[kind] : [],
    ...extra,
  };
}

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function ensureObj(parent: Obj, key: string): Obj {
  if (parent[key] === null || typeof parent[key] !== 'object' || Array.isArray(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

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

function defaultTemplate(spec: Obj): void {
  const template = ensureObj(spec, 'template');
  defaultPodSpec(ensureObj(template, 'spec'));
}

const noGeneration = {
  generation: 'none' as const,
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain' as const,
};

function keepStatus(o: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete o.status;
  else o.status = clone(old.status);
}

function takeStatus(o: KubeObject, old: KubeObject): KubeObject {
  const out = clone(old) as KubeObject;
  if (o.status === undefined) delete out.status;
  else out.status = clone(o.status);
  out.metadata!.resourceVersion = o.metadata?.resourceVersion;
  return out;
}

/** Plain status split (UPD-7, ST-2 shape) used by most built-ins with a status subresource. */
const statusSplit = {
  prepareForCreate(o: KubeObject) {
    delete o.status;
  },
  prepareForUpdate(o: KubeObject, old: KubeObject) {
    keepStatus(o, old);
  },
  prepareForStatusUpdate: takeStatus,
};

// ---------------------------------------------------------------- Namespace (NS-2, NS-3)
const namespaceStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  nameValidation: 'label',
  defaults(o) {
    const md = o.metadata!;
    if (md.name) md.labels = { ...(md.labels ?? {}), 'kubernetes.io/metadata.name': md.name };
  },
  prepareForCreate(o) {
    o.status = { phase: 'Active' };
    const spec = obj(o.spec);
    const fins = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
    o.spec = { ...spec, finalizers: fins.includes('kubernetes') ? fins : [...fins, 'kubernetes'] };
  },
  prepareForUpdate(o, old) {
    o.spec = clone(old.spec);
    keepStatus(o, old);
  },
  prepareForStatusUpdate(o, old) {
    const out = clone(o);
    out.spec = clone(old.spec);
    return out;
  },
};

// ---------------------------------------------------------------- ConfigMap (CM-1)
const configMapStrategy: Strategy = {
  ...noGeneration,
  validate(o, old) {
    const errs: FieldError[] = [];
    for (const field of ['data', 'binaryData']) {
      for (const k of Object.keys(obj(o[field]))) {
        for (const m of configMapKeyErrors(k))
          errs.push({ type: 'FieldValueInvalid', field: `${field}[${k}]`, value: k, detail: m });
      }
    }
    if (old && old.immutable === true) {
      for (const field of ['data', 'binaryData']) {
        if (JSON.stringify(o[field] ?? null) !== JSON.stringify(old[field] ?? null)) {
          errs.push({ type: 'FieldValueForbidden', field, detail: 'field is immutable when `immutable` is set' });
        }
      }
      if (o.immutable !== true)
        errs.push({
          type: 'FieldValueForbidden',
          field: 'immutable',
          detail: 'field is immutable when `immutable` is set',
        });
    }
    return errs;
  },
};

// ---------------------------------------------------------------- Secret (SEC-1)
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const secretStrategy: Strategy = {
  ...noGeneration,
  defaults(o) {
    if (o.type === undefined || o.type === '') o.type = 'Opaque';
    const data = obj(o.data);
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string' || !BASE64.test(v) || v.length % 4 === 1) {
        const s = String(v);
        let idx = s.search(/[^A-Za-z0-9+/=]/);
        if (idx < 0) idx = s.length - (s.length % 4);
        throw badRequest(
          `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${idx}`,
        );
      }
      void k;
    }
    if (o.stringData && typeof o.stringData === 'object') {
      const merged = { ...data };
      for (const [k, v] of Object.entries(o.stringData as Obj))
        merged[k] = Buffer.from(String(v), 'utf8').toString('base64');
      o.data = merged;
    }
    delete o.stringData;
  },
  validate(o, old) {
    const errs: FieldError[] = [];
    for (const k of Object.keys(obj(o.data))) {
      for (const m of configMapKeyErrors(k))
        errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: k, detail: m });
    }
    if (old && old.type !== o.type)
      errs.push({ type: 'FieldValueInvalid', field: 'type', value: o.type, detail: 'field is immutable' });
    if (old && old.immutable === true && JSON.stringify(o.data ?? null) !== JSON.stringify(old.data ?? null)) {
      errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
    }
    return errs;
  },
};

// ---------------------------------------------------------------- Service (SVC-1..3)
function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
const SERVICE_CIDR_BASE = ipToInt('10.96.0.0');
const SERVICE_CIDR_SIZE = 2 ** 20;

function usedServiceIPs(ctx: StrategyContext): Set<string> {
  const used = new Set<string>();
  for (const s of ctx.store.list('/services')) {
    const ip = obj(s.spec).clusterIP;
    if (typeof ip === 'string') used.add(ip);
  }
  return used;
}

function usedNodePorts(ctx: StrategyContext): Set<number> {
  const used = new Set<number>();
  for (const s of ctx.store.list('/services')) {
    for (const p of (obj(s.spec).ports as Obj[] | undefined) ?? [])
      if (typeof p.nodePort === 'number') used.add(p.nodePort);
  }
  return used;
}

function allocateServiceValues(o: KubeObject, ctx: StrategyContext, errs: FieldError[]): void {
  const spec = ensureObj(o, 'spec');
  const type = spec.type as string;
  if (type !== 'ExternalName' && spec.clusterIP !== 'None') {
    const used = usedServiceIPs(ctx);
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '') {
      if (used.has(spec.clusterIP)) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          value: [spec.clusterIP],
          detail: `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
        });
      }
    } else {
      for (let i = 1; i < SERVICE_CIDR_SIZE - 1; i++) {
        const ip = intToIp(SERVICE_CIDR_BASE + i);
        if (!used.has(ip)) {
          spec.clusterIP = ip;
          break;
        }
      }
    }
    spec.clusterIPs = [spec.clusterIP];
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (type === 'NodePort' || type === 'LoadBalancer') {
    const used = usedNodePorts(ctx);
    let next = 30000;
    for (const p of (spec.ports as Obj[] | undefined) ?? []) {
      if (typeof p.nodePort === 'number' && p.nodePort > 0) continue;
      while (used.has(next)) next++;
      p.nodePort = next;
      used.add(next);
    }
  }
}

const serviceStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'dns1035',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    for (const p of (spec.ports as Obj[] | undefined) ?? []) {
      setDefault(p, 'protocol', 'TCP');
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
    if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer')
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined)
      spec.allocateLoadBalancerNodePorts = true;
  },
  prepareForCreate(o, ctx) {
    o.status = { loadBalancer: {} };
    const errs: FieldError[] = [];
    allocateServiceValues(o, ctx, errs);
    if (errs.length) (o as Obj).__allocationErrors = errs;
  },
  prepareForUpdate(o, old, ctx) {
    keepStatus(o, old);
    const spec = ensureObj(o, 'spec');
    const oldSpec = obj(old.spec);
    // SVC-3 patchAllocatedValues: keep what we allocated when the client omits it.
    if ((spec.clusterIP === undefined || spec.clusterIP === '') && oldSpec.clusterIP)
      spec.clusterIP = oldSpec.clusterIP;
    if (
      (spec.clusterIPs === undefined || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 0)) &&
      oldSpec.clusterIPs
    ) {
      spec.clusterIPs = clone(oldSpec.clusterIPs);
    }
    const oldPorts = (oldSpec.ports as Obj[] | undefined) ?? [];
    for (const p of (spec.ports as Obj[] | undefined) ?? []) {
      if (!p.nodePort) {
        const match =
          oldPorts.find((op) => op.name === p.name && op.nodePort) ?? (oldPorts.length === 1 ? oldPorts[0] : undefined);
        if (match?.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) p.nodePort = match.nodePort;
      }
    }
    if (oldSpec.clusterIP && spec.clusterIP !== oldSpec.clusterIP && spec.type !== 'ExternalName') {
      (o as Obj).__allocationErrors = [
        {
          type: 'FieldValueInvalid',
          field: 'spec.clusterIPs[0]',
          value: spec.clusterIP,
          detail: 'may not change once set',
        },
      ];
    }
    if (!spec.ipFamilies && oldSpec.ipFamilies) spec.ipFamilies = clone(oldSpec.ipFamilies);
    if (!spec.ipFamilyPolicy && oldSpec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
    if (spec.type !== 'ExternalName' && !spec.clusterIP) allocateServiceValues(o, ctx, []);
  },
  prepareForStatusUpdate: takeStatus,
  validate(o) {
    const errs = ((o as Obj).__allocationErrors as FieldError[] | undefined) ?? [];
    delete (o as Obj).__allocationErrors;
    const spec = obj(o.spec);
    if (spec.type !== 'ExternalName') {
      const ports = (spec.ports as Obj[] | undefined) ?? [];
      if (ports.length === 0 && spec.clusterIP !== 'None')
        errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
      ports.forEach((p, i) => {
        if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
          errs.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].port`,
            value: p.port ?? 0,
            detail: 'must be between 1 and 65535, inclusive',
          });
        }
        if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
      });
    }
    return errs;
  },
};

// ---------------------------------------------------------------- Pod
const podStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  nameValidation: 'subdomain',
  defaults(o) {
    defaultPodSpec(ensureObj(o, 'spec'));
    const spec = o.spec as Obj;
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
  },
  prepareForCreate(o) {
    o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  prepareForUpdate(o, old) {
    keepStatus(o, old);
  },
  prepareForStatusUpdate: takeStatus,
  validate(o) {
    const errs: FieldError[] = [];
    const containers = obj(o.spec).containers;
    if (!Array.isArray(containers) || containers.length === 0)
      errs.push({ type: 'FieldValueRequired', field: 'spec.containers' });
    return errs;
  },
};

// ---------------------------------------------------------------- Deployment / ReplicaSet (DEP-1..4)
function validateSelectorMatchesTemplate(o: KubeObject, old: KubeObject | undefined): FieldError[] {
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

const deploymentStrategy: Strategy = {
  generation: 'specAndAnnotations',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'replicas', 1);
    const strategy = ensureObj(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = ensureObj(strategy, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', '25%');
      setDefault(ru, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  },
  ...statusSplit,
  prepareForStatusUpdate(o, old) {
    const out = takeStatus(o, old);
    out.metadata!.annotations = clone(o.metadata?.annotations);
    if (out.metadata!.annotations === undefined) delete out.metadata!.annotations;
    return out;
  },
  validate: validateSelectorMatchesTemplate,
};

const replicaSetStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  ...statusSplit,
  validate: validateSelectorMatchesTemplate,
};

// ---------------------------------------------------------------- Events (EV-1, EV-2)
const EVENT_V1_TO_CORE: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function renameFields(o: KubeObject, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { ...o };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

function validateCoreEvent(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const io = obj(o.involvedObject);
  const ns = o.metadata?.namespace ?? '';
  if (!o.eventTime) {
    const ioNs = (io.namespace as string | undefined) ?? '';
    if (ioNs !== ns && !(ns === 'default' && ioNs === '') && !(ioNs === '' && ns)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'involvedObject.namespace',
        value: ioNs,
        detail: 'does not match event.namespace',
      });
    }
  } else {
    if (!o.reportingComponent) errs.push({ type: 'FieldValueRequired', field: 'reportingController' });
    if (!o.reportingInstance) errs.push({ type: 'FieldValueRequired', field: 'reportingInstance' });
    if (!o.action) errs.push({ type: 'FieldValueRequired', field: 'action' });
    if (!o.reason) errs.push({ type: 'FieldValueRequired', field: 'reason' });
    if (typeof o.message === 'string' && o.message.length > 1024) {
      errs.push({ type: 'FieldValueTooLong', field: 'note', detail: 'may not be more than 1024 bytes' });
    }
  }
  if (o.type !== undefined && o.type !== '' && o.type !== 'Normal' && o.type !== 'Warning' && o.eventTime) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'type',
      value: o.type,
      detail: 'supported values: "Normal", "Warning"',
    });
  }
  return errs;
}

const coreEventStrategy: Strategy = {
  ...noGeneration,
  validate: validateCoreEvent,
};

const eventsV1Strategy: Strategy = {
  ...noGeneration,
  toStorage(o) {
    const out = renameFields(o, EVENT_V1_TO_CORE);
    out.apiVersion = 'v1';
    out.kind = 'Event';
    return out;
  },
  fromStorage(o) {
    const out = renameFields(
      o,
      EVENT_V1_TO_CORE.map(([a, b]) => [b, a] as [string, string]),
    );
    out.apiVersion = 'events.k8s.io/v1';
    out.kind = 'Event';
    return out;
  },
  validate(o, old) {
    const errs: FieldError[] = [];
    if (!old) {
      if (!o.eventTime) errs.push({ type: 'FieldValueRequired', field: 'eventTime' });
      if (o.type !== 'Normal' && o.type !== 'Warning') {
        errs.push({
          type: 'FieldValueNotSupported',
          field: 'type',
          value: o.type ?? '',
          detail: 'supported values: "Normal", "Warning"',
        });
      }
      for (const [v1, core] of EVENT_V1_TO_CORE.slice(2, 6))
        if (o[core] !== undefined && o[core] !== null)
          errs.push({ type: 'FieldValueInvalid', field: v1, value: o[core], detail: 'needs to be unset' });
    }
    if (errs.length) return errs;
    return validateCoreEvent(o);
  },
};

// ---------------------------------------------------------------- CRD (CRD-1, CRD-4)
function crdValidate(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const names = obj(spec.names);
  const group = String(spec.group ?? '');
  if (!group) errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
  else if (!group.includes('.'))
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.group',
      value: group,
      detail: 'should be a domain with at least one dot',
    });
  if (!names.plural) errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
  if (!names.kind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
  if (!names.listKind) errs.push({ type: 'FieldValueRequired', field: 'spec.names.listKind' });
  const expected = `${String(names.plural ?? '')}.${group}`;
  if (o.metadata?.name !== expected) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: o.metadata?.name ?? '',
      detail: 'must be spec.names.plural+"."+spec.group',
    });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    if (!spec.scope) errs.push({ type: 'FieldValueRequired', field: 'spec.scope' });
    else
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.scope',
        value: spec.scope,
        detail: 'supported values: "Cluster", "Namespaced"',
      });
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  if (versions.length === 0)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: versions,
      detail: 'must have exactly one version marked as storage version',
    });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.versions',
      value: versions,
      detail: 'must have exactly one version marked as storage version',
    });
  }
  if (old) {
    if (obj(old.spec).group !== group)
      errs.push({ type: 'FieldValueInvalid', field: 'spec.group', value: group, detail: 'field is immutable' });
    const stored = (obj(old.status).storedVersions as string[] | undefined) ?? [];
    for (const s of stored) {
      if (!versions.some((v) => v.name === s)) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'status.storedVersions[' + stored.indexOf(s) + ']',
          value: s,
          detail: 'must appear in spec.versions',
        });
      }
    }
  }
  return errs;
}

const crdStrategy: Strategy = {
  generation: 'spec',
  allowUnconditionalUpdate: false,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const spec = ensureObj(o, 'spec');
    const names = ensureObj(spec, 'names');
    if (typeof names.kind === 'string') {
      setDefault(names, 'singular', names.kind.toLowerCase());
      setDefault(names, 'listKind', `${names.kind}List`);
    }
    const conv = ensureObj(spec, 'conversion');
    setDefault(conv, 'strategy', 'None');
    for (const v of (spec.versions as Obj[] | undefined) ?? []) {
      if (v.served === undefined) v.served = true;
    }
  },
  prepareForCreate(o) {
    const versions = (obj(o.spec).versions as Obj[] | undefined) ?? [];
    const storage = versions.find((v) => v.storage === true)?.name;
    o.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
  },
  prepareForUpdate(o, old) {
    keepStatus(o, old);
    const versions = (obj(o.spec).versions as Obj[] | undefined) ?? [];
    const storage = versions.find((v) => v.storage === true)?.name as string | undefined;
    const status = obj(o.status);
    const stored = (status.storedVersions as string[] | undefined) ?? [];
    if (storage && !stored.includes(storage)) o.status = { ...status, storedVersions: [...stored, storage] };
  },
  prepareForStatusUpdate: takeStatus,
  validate: crdValidate,
};

// ---------------------------------------------------------------- webhook configurations
const webhookConfigStrategy: Strategy = {
  generation: 'nonMetadata',
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'subdomain',
  defaults(o) {
    const mutating = o.kind === 'MutatingWebhookConfiguration';
    for (const w of (o.webhooks as Obj[] | undefined) ?? []) {
      setDefault(w, 'failurePolicy', 'Fail');
      setDefault(w, 'matchPolicy', 'Equivalent');
      if (w.namespaceSelector === undefined) w.namespaceSelector = {};
      if (w.objectSelector === undefined) w.objectSelector = {};
      setDefault(w, 'timeoutSeconds', 10);
      if (mutating) setDefault(w, 'reinvocationPolicy', 'Never');
      for (const r of (w.rules as Obj[] | undefined) ?? []) setDefault(r, 'scope', '*');
      const svc = obj(obj(w.clientConfig).service);
      if (obj(w.clientConfig).service) setDefault(svc, 'port', 443);
    }
  },
  validate(o) {
    const errs: FieldError[] = [];
    ((o.webhooks as Obj[] | undefined) ?? []).forEach((w, i) => {
      if (!w.name) errs.push({ type: 'FieldValueRequired', field: `webhooks[${i}].name` });
      if (w.sideEffects !== 'None' && w.sideEffects !== 'NoneOnDryRun') {
        if (!w.sideEffects)
          errs.push({
            type: 'FieldValueRequired',
            field: `webhooks[${i}].sideEffects`,
            detail: 'must specify one of None, NoneOnDryRun',
          });
        else
          errs.push({
            type: 'FieldValueNotSupported',
            field: `webhooks[${i}].sideEffects`,
            value: w.sideEffects,
            detail: 'supported values: "None", "NoneOnDryRun"',
          });
      }
      if (!Array.isArray(w.admissionReviewVersions) || w.admissionReviewVersions.length === 0) {
        errs.push({
          type: 'FieldValueRequired',
          field: `webhooks[${i}].admissionReviewVersions`,
          detail: 'must specify one of v1, v1beta1',
        });
      }
    });
    return errs;
  },
};

const leaseStrategy: Strategy = { ...noGeneration };
const serviceAccountStrategy: Strategy = { ...noGeneration, returnDeletedObject: true };

export function builtinEntries(): BuiltinEntry[] {
  return [
    {
      rt: rt('', 'v1', 'Namespace', 'namespaces', false, {
        shortNames: ['ns'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        subresources: { status: true, finalize: true },
      }),
      strategy: namespaceStrategy,
    },
    { rt: rt('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }), strategy: configMapStrategy },
    { rt: rt('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }), strategy: coreEventStrategy },
    {
      rt: rt('', 'v1', 'Pod', 'pods', true, {
        shortNames: ['po'],
        categories: ['all'],
        subresources: { status: true },
      }),
      strategy: podStrategy,
    },
    { rt: rt('', 'v1', 'Secret', 'secrets', true), strategy: secretStrategy },
    {
      rt: rt('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
      strategy: serviceAccountStrategy,
    },
    {
      rt: rt('', 'v1', 'Service', 'services', true, {
        shortNames: ['svc'],
        categories: ['all'],
        subresources: { status: true },
      }),
      strategy: serviceStrategy,
    },
    {
      rt: rt('apps', 'v1', 'Deployment', 'deployments', true, {
        shortNames: ['deploy'],
        categories: ['all'],
        subresources: {
          status: true,
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
      }),
      strategy: deploymentStrategy,
    },
    {
      rt: rt('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
        shortNames: ['rs'],
        categories: ['all'],
        subresources: {
          status: true,
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        selectableFields: ['status.replicas'],
      }),
      strategy: replicaSetStrategy,
    },
    { rt: rt('coordination.k8s.io', 'v1', 'Lease', 'leases', true), strategy: leaseStrategy },
    {
      rt: rt('events.k8s.io', 'v1', 'Event', 'events', true, {
        shortNames: ['ev'],
        storageKey: '/events',
        selectableFields: CORE_SELECTABLE_FIELDS.Event,
      }),
      strategy: eventsV1Strategy,
    },
    {
      rt: rt('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: { status: true },
      }),
      strategy: crdStrategy,
    },
    {
      rt: rt(
        'admissionregistration.k8s.io',
        'v1',
        'MutatingWebhookConfiguration',
        'mutatingwebhookconfigurations',
        false,
        { categories: ['api-extensions'] },
      ),
      strategy: webhookConfigStrategy,
    },
    {
      rt: rt(
        'admissionregistration.k8s.io',
        'v1',
        'ValidatingWebhookConfiguration',
        'validatingwebhookconfigurations',
        false,
        { categories: ['api-extensions'] },
      ),
      strategy: webhookConfigStrategy,
    },
    {
      rt: rt(RBAC_GROUP, 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
      strategy: clusterRoleBindingStrategy,
    },
    { rt: rt(RBAC_GROUP, 'v1', 'ClusterRole', 'clusterroles', false), strategy: clusterRoleStrategy },
    { rt: rt(RBAC_GROUP, 'v1', 'RoleBinding', 'rolebindings', true), strategy: roleBindingStrategy },
    { rt: rt(RBAC_GROUP, 'v1', 'Role', 'roles', true), strategy: roleStrategy },
  ];
}
