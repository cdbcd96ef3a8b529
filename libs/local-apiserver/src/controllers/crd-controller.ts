import type { KubeObject, Obj } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import { nowSeconds } from '../engine/object-values.ts';
import { StatusError } from '../errors.ts';
import { approvalCondition } from '../registry/api-approval.ts';
import { startSweeping, type SweepingController } from './sweeper.ts';

const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

function setCondition(conds: Condition[], c: Condition): Condition[] {
  const prev = conds.find((x) => x.type === c.type);
  const next = { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : nowSeconds() };
  return [...conds.filter((x) => x.type !== c.type), next];
}

function isTrue(conds: Condition[], type: string): boolean {
  return conds.some((c) => c.type === type && c.status === 'True');
}

/**
 * The naming, establishing and finalizer controllers of apiextensions-apiserver in one (CRD-2,
 * CRD-3, CRD-5): accept names (NamesAccepted), then mark Established as a separate write, keep
 * the registry in step, and on deletion remove every instance before releasing the CRD.
 */
export function startCrdController(engine: ApiEngine, onError: (e: unknown) => void): SweepingController {
  const crdType = engine.registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  const known = new Map<string, string>(); // CRD name → storage key of its instances
  const terminatingKeys = new Set<string>();

  async function writeStatus(crd: KubeObject, status: Obj): Promise<void> {
    const next = structuredClone(crd);
    next.status = status;
    try {
      await engine.update(crdType, '', crd.metadata!.name!, next, 'status');
    } catch (e) {
      if (e instanceof StatusError && (e.statusCode === 409 || e.statusCode === 404)) return; // next pass sees the new state
      throw e;
    }
  }

  async function processOne(crd: KubeObject): Promise<void> {
    const name = crd.metadata!.name!;
    const spec = crd.spec as Obj;
    const names = spec.names as Obj;
    const status = (crd.status ?? {}) as Obj;
    let conds = (status.conditions as Condition[] | undefined) ?? [];
    known.set(name, `${String(spec.group)}/${String(names.plural)}`);

    if (crd.metadata?.deletionTimestamp) {
      terminatingKeys.add(known.get(name)!);
      engine.registry.setCrd(crd, { established: isTrue(conds, 'Established'), terminating: true });
      const rt = engine.registry.find(
        String(spec.group),
        ((spec.versions as Obj[]).find((v) => v.storage) ?? {}).name as string,
        String((status.acceptedNames as Obj | undefined)?.plural ?? names.plural),
      );
      const storageKey = known.get(name)!;
      const remaining = engine.store.list(storageKey);
      if (rt) {
        for (const o of remaining) {
          if (o.metadata?.deletionTimestamp) continue;
          try {
            await engine.delete(rt, o.metadata?.namespace ?? '', o.metadata!.name!, {});
          } catch (e) {
            if (!(e instanceof StatusError && e.statusCode === 404)) throw e;
          }
        }
      }
      if (engine.store.list(storageKey).length > 0) {
        if (!conds.some((c) => c.type === 'Terminating' && c.reason === 'InstanceDeletionInProgress')) {
          await writeStatus(crd, {
            ...status,
            conditions: setCondition(conds, {
              type: 'Terminating',
              status: 'True',
              reason: 'InstanceDeletionInProgress',
              message: 'CustomResource deletion is in progress',
            }),
          });
        }
        return;
      }
      const fins = (crd.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      if (fins.length !== (crd.metadata.finalizers ?? []).length) {
        const next = structuredClone(crd);
        next.metadata!.finalizers = fins;
        try {
          await engine.update(crdType, '', name, next, '', {}, true);
        } catch (e) {
          if (!(e instanceof StatusError && (e.statusCode === 409 || e.statusCode === 404))) throw e;
        }
      }
      return;
    }

    // CRD-10: a protected group's approval state, written with the next status write (or alone).
    const approval = approvalCondition(crd);
    const before = conds;
    const held = approval && conds.find((c) => c.type === approval.type);
    const approvalChanged =
      !!approval &&
      !(
        held &&
        held.status === approval.status &&
        held.reason === approval.reason &&
        held.message === approval.message
      );
    if (approval && approvalChanged) conds = setCondition(conds, approval);

    const conflict = engine.registry.nameConflict(crd, engine.store.list(CRD_KEY));
    if (conflict) {
      engine.registry.setCrd(crd, { established: false, terminating: false });
      const want = setCondition(
        setCondition(conds, {
          type: 'NamesAccepted',
          status: 'False',
          reason: conflict.reason,
          message: conflict.message,
        }),
        {
          type: 'Established',
          status: 'False',
          reason: 'NotAccepted',
          message: 'not all names are accepted',
        },
      );
      if (JSON.stringify(want) !== JSON.stringify(before)) await writeStatus(crd, { ...status, conditions: want });
      return;
    }
    const accepted = {
      plural: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      kind: names.kind,
      listKind: names.listKind ?? `${String(names.kind)}List`,
      ...(names.categories ? { categories: names.categories } : {}),
    };
    if (JSON.stringify(status.acceptedNames) !== JSON.stringify(accepted) || !isTrue(conds, 'NamesAccepted')) {
      let next = setCondition(conds, {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
      });
      if (!isTrue(conds, 'Established')) {
        next = setCondition(next, {
          type: 'Established',
          status: 'False',
          reason: 'Installing',
          message: 'the initial names have been accepted',
        });
      }
      await writeStatus(crd, { ...status, acceptedNames: accepted, conditions: next });
      return;
    }
    if (!isTrue(conds, 'Established')) {
      engine.registry.setCrd(crd, { established: false, terminating: false });
      await writeStatus(crd, {
        ...status,
        conditions: setCondition(conds, {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        }),
      });
      return;
    }
    engine.registry.setCrd(crd, { established: true, terminating: false });
    if (approvalChanged) await writeStatus(crd, { ...status, conditions: conds });
  }

  async function pass(): Promise<void> {
    const crds = engine.store.list(CRD_KEY);
    const present = new Set<string>();
    for (const crd of crds) {
      present.add(crd.metadata!.name!);
      await processOne(crd);
    }
    for (const [name, storageKey] of known) {
      if (present.has(name)) continue;
      engine.registry.removeCrd(name);
      engine.store.dropStorage(storageKey);
      known.delete(name);
      terminatingKeys.delete(storageKey);
    }
  }

  return startSweeping(pass, onError, 0, (trigger) => [
    engine.store.subscribe((e) => {
      if (e.storageKey === CRD_KEY || terminatingKeys.has(e.storageKey)) trigger();
    }),
  ]);
}
