/** Service clusterIP and nodePort allocation (SVC-1, SVC-2): the first free address of 10.96.0.0/12, nodePorts from 30000. */
import type { FieldError, KubeObject } from '../types.ts';
import type { StrategyContext } from './strategy.ts';
import { ensureObj, obj, setDefault, type Obj } from './strategies/shared.ts';

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

export function allocateServiceValues(o: KubeObject, ctx: StrategyContext, errs: FieldError[]): void {
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
