import type { CompiledSchema, CrdNames, CrdSchemaModule, CrdVersion, KubeObject, ResourceType, Obj } from '../types.ts';
import { builtinEntries } from './builtins.ts';
import type { Strategy } from './strategy.ts';
import { customStrategy } from './strategies/custom-resource.ts';

const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const CR_VERBS_TERMINATING = ['delete', 'deletecollection', 'get', 'list', 'watch'];

interface CustomEntry {
  crdName: string;
  /** CRD resourceVersion + state the types were built from (re-registering is skipped when equal). */
  fingerprint: string;
  types: ResourceType[];
  established: boolean;
  terminating: boolean;
  schemas: Map<string, CompiledSchema>;
  /** The CRD's resourceVersion when it was first Established: its watch cache starts there. */
  servedSince?: number;
}

/**
 * Kube-aware version order (DISC-10): GA > beta > alpha, higher major first, then higher minor;
 * names that are not Kubernetes-like sort last, alphabetically.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), cls: m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (!pa) return 1;
  if (!pb) return -1;
  if (pa.cls !== pb.cls) return pb.cls - pa.cls;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}

/**
 * Every resource type the server can serve: the built-in table plus the versions of CRDs whose
 * names are accepted. Discovery lists only Established CRDs (DISC-5), but requests are served as
 * soon as names are accepted (CRD-3).
 */
export class Registry {
  private readonly builtins = builtinEntries();
  private readonly custom = new Map<string, CustomEntry>();
  // Weak maps keyed by the type object: a request that resolved a type just before a CRD change
  // keeps working with the type it resolved.
  private readonly strategies = new WeakMap<ResourceType, Strategy>();
  private readonly schemas = new WeakMap<ResourceType, CompiledSchema>();
  private generationCounter = 0;

  constructor(private readonly schemaModule: CrdSchemaModule | undefined) {
    for (const b of this.builtins) this.strategies.set(b.rt, b.strategy);
  }

  /** Increases whenever the set of served types changes (discovery and OpenAPI caches use it). */
  get generation(): number {
    return this.generationCounter;
  }

  /** All served types (built-ins first, then CRD versions). */
  all(): ResourceType[] {
    const out = this.builtins.map((b) => b.rt);
    for (const c of this.custom.values()) out.push(...c.types);
    return out;
  }

  /** Types discovery should list: built-ins and versions of Established CRDs. */
  discoverable(): ResourceType[] {
    const out = this.builtins.map((b) => b.rt);
    for (const c of this.custom.values()) if (c.established) out.push(...c.types);
    return out;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    for (const b of this.builtins)
      if (b.rt.group === group && b.rt.version === version && b.rt.plural === plural) return b.rt;
    for (const c of this.custom.values()) {
      for (const t of c.types) if (t.group === group && t.version === version && t.plural === plural) return t;
    }
    return undefined;
  }

  /** A served type for an owner reference's apiVersion + kind (GC). */
  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const all = this.all();
    return (
      all.find((t) => t.group === group && t.version === version && t.kind === kind) ??
      all.find((t) => t.group === group && t.kind === kind)
    );
  }

  /** The type whose version is the storage version of a storage key (for controllers). */
  forStorageKey(storageKey: string): ResourceType | undefined {
    for (const b of this.builtins)
      if (b.rt.storageKey === storageKey && b.rt.group + '/' + b.rt.plural === storageKey) return b.rt;
    for (const c of this.custom.values()) {
      const t = c.types.find((x) => x.crd?.version.storage) ?? c.types[0];
      if (t && t.storageKey === storageKey) return t;
    }
    return undefined;
  }

  strategy(rt: ResourceType): Strategy {
    const s = this.strategies.get(rt);
    if (!s) throw new Error(`no strategy for ${rt.group}/${rt.version}/${rt.plural}`);
    return s;
  }

  schema(rt: ResourceType): CompiledSchema | undefined {
    return this.schemas.get(rt);
  }

  isTerminating(rt: ResourceType): boolean {
    return rt.origin === 'custom' && !rt.verbs.includes('create');
  }

  /** The storage version name of a CRD-backed type (objects are stored in it, CRD-V-1). */
  storageVersion(rt: ResourceType): string {
    if (rt.origin !== 'custom') return rt.version;
    const versions = ((rt.crd!.object.spec as Obj).versions as CrdVersion[] | undefined) ?? [];
    return versions.find((v) => v.storage)?.name ?? rt.version;
  }

  /**
   * (Re)register the served versions of a CRD from its current object; `established` controls
   * discovery. Called by the CRD controller on every CRD change.
   */
  setCrd(crd: KubeObject, state: { established: boolean; terminating: boolean }): void {
    const name = crd.metadata!.name!;
    const fingerprint = `${crd.metadata?.resourceVersion}/${state.established}/${state.terminating}`;
    if (this.custom.get(name)?.fingerprint === fingerprint) return;
    const spec = crd.spec as Obj;
    const accepted = ((crd.status as Obj | undefined)?.acceptedNames ?? {}) as CrdNames;
    if (!accepted.plural || !accepted.kind) {
      this.removeCrd(name);
      return;
    }
    const group = String(spec.group);
    const versions = ((spec.versions as CrdVersion[] | undefined) ?? []).filter((v) => v.served);
    const schemas = new Map<string, CompiledSchema>();
    const types: ResourceType[] = [];
    for (const v of versions) {
      const rt: ResourceType = {
        group,
        version: v.name,
        kind: accepted.kind,
        plural: accepted.plural,
        singular: accepted.singular ?? accepted.kind.toLowerCase(),
        listKind: accepted.listKind ?? `${accepted.kind}List`,
        namespaced: spec.scope !== 'Cluster',
        shortNames: accepted.shortNames ?? [],
        categories: accepted.categories ?? [],
        verbs: state.terminating ? CR_VERBS_TERMINATING : CR_VERBS,
        subresources: {
          status: !!v.subresources?.status,
          ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
        },
        storageKey: `${group}/${accepted.plural}`,
        origin: 'custom',
        crd: { object: crd, version: v },
        selectableFields: (v.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, '')),
      };
      types.push(rt);
      this.strategies.set(rt, customStrategy(rt.subresources.status));
      if (this.schemaModule) {
        const compiled = this.schemaModule.compileSchema(v.schema?.openAPIV3Schema);
        schemas.set(v.name, compiled);
        this.schemas.set(rt, compiled);
      }
    }
    const before = this.custom.get(name);
    const servedSince =
      before?.servedSince ?? (state.established ? Number(crd.metadata?.resourceVersion ?? 0) : undefined);
    this.custom.set(name, {
      crdName: name,
      fingerprint,
      types,
      established: state.established,
      terminating: state.terminating,
      schemas,
      ...(servedSince !== undefined ? { servedSince } : {}),
    });
    this.generationCounter++;
  }

  /**
   * The oldest resourceVersion a watch of this type can start from: kube-apiserver's watch cache
   * of a custom resource begins when its CRD is established, so an older RV is 410 Expired.
   */
  watchStartRv(rt: ResourceType): number {
    if (rt.origin !== 'custom') return 0;
    for (const c of this.custom.values())
      if (c.types.some((t) => t.storageKey === rt.storageKey)) return c.servedSince ?? 0;
    return 0;
  }

  removeCrd(name: string): void {
    if (!this.custom.has(name)) return;
    this.custom.delete(name);
    this.generationCounter++;
  }

  /** Another CRD already uses one of these names in the group (NamesAccepted=False). */
  nameConflict(crd: KubeObject, crds: readonly KubeObject[]): { reason: string; message: string } | undefined {
    const spec = crd.spec as Obj;
    const names = spec.names as CrdNames;
    for (const other of crds) {
      if (other.metadata?.name === crd.metadata?.name) continue;
      const os = other.spec as Obj;
      if (os.group !== spec.group) continue;
      const on = ((other.status as Obj | undefined)?.acceptedNames ?? {}) as CrdNames;
      if (on.plural && on.plural === names.plural)
        return { reason: 'PluralConflict', message: `"${names.plural}" is already in use` };
      if (on.singular && on.singular === names.singular)
        return { reason: 'SingularConflict', message: `"${names.singular}" is already in use` };
      if (on.kind && on.kind === names.kind)
        return { reason: 'KindConflict', message: `"${names.kind}" is already in use` };
      if (on.listKind && on.listKind === names.listKind)
        return { reason: 'ListKindConflict', message: `"${names.listKind}" is already in use` };
      const short = names.shortNames ?? [];
      const taken = on.shortNames ?? [];
      const clash = short.find((s) => taken.includes(s));
      if (clash) return { reason: 'ShortNamesConflict', message: `"${clash}" is already in use` };
    }
    for (const b of this.builtins) {
      if (b.rt.group === spec.group && b.rt.plural === names.plural)
        return { reason: 'PluralConflict', message: `"${names.plural}" is already in use` };
    }
    return undefined;
  }
}
