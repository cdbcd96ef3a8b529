import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { clone } from '../../store/object-store.ts';
import { allocateServiceValues } from '../service-allocation.ts';
import { ensureObj, keepStatus, obj, setDefault, takeStatus, type Obj } from './shared.ts';

// ---------------------------------------------------------------- Service (SVC-1..3)
export const serviceStrategy: Strategy = {
  generation: 'none',
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
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
          // clusterIPs follow a changed clusterIP when the client left them as they were.
          value:
            Array.isArray(spec.clusterIPs) && spec.clusterIPs.length && spec.clusterIPs[0] !== oldSpec.clusterIP
              ? spec.clusterIPs
              : [spec.clusterIP],
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
    const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
    if (!types.includes(spec.type as string)) {
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.type',
        value: spec.type,
        detail: `supported values: ${types.map((t) => JSON.stringify(t)).join(', ')}`,
      });
      return errs;
    }
    if (spec.type !== 'ExternalName') {
      const ports = (spec.ports as Obj[] | undefined) ?? [];
      if (ports.length === 0 && spec.clusterIP !== 'None')
        errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
      ports.forEach((p, i) => {
        if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
        if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
          errs.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].port`,
            value: p.port ?? 0,
            detail: 'must be between 1 and 65535, inclusive',
          });
        }
        const tp = p.targetPort;
        if (typeof tp === 'number' && (tp < 1 || tp > 65535)) {
          errs.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].targetPort`,
            value: tp,
            detail: 'must be between 1 and 65535, inclusive',
          });
        }
      });
    }
    return errs;
  },
};
