/** An RBAC rule as in rbac.authorization.k8s.io/v1 (Role, ClusterRole). */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/**
 * Merges the rules every controller declares into the smallest stable list: verbs for the same
 * (group, resource, resourceNames) are unioned, resources sharing the same group and verb set
 * are folded into one rule, and everything is sorted — so the generated Role does not change
 * when controllers are registered in another order. `*` in verbs absorbs the other verbs.
 */
export function mergeRules(rules: PolicyRule[]): PolicyRule[] {
  // 1. explode into atoms: one (group, resource, names) → verbs
  const atoms = new Map<string, { group: string; resource: string; names: string[]; verbs: Set<string> }>();
  const urls = new Map<string, Set<string>>();
  for (const rule of rules) {
    if (rule.nonResourceURLs?.length) {
      for (const url of rule.nonResourceURLs) {
        const set = urls.get(url) ?? new Set<string>();
        rule.verbs.forEach((v) => set.add(v));
        urls.set(url, set);
      }
      continue;
    }
    const names = [...new Set(rule.resourceNames ?? [])].sort();
    for (const group of rule.apiGroups ?? ['']) {
      for (const resource of rule.resources ?? []) {
        const key = JSON.stringify([group, resource, names]);
        const atom = atoms.get(key) ?? { group, resource, names, verbs: new Set<string>() };
        rule.verbs.forEach((v) => atom.verbs.add(v));
        atoms.set(key, atom);
      }
    }
  }

  // 2. fold resources with the same group, names and verbs into one rule
  const folded = new Map<string, PolicyRule>();
  for (const atom of atoms.values()) {
    const verbs = normaliseVerbs(atom.verbs);
    const key = JSON.stringify([atom.group, atom.names, verbs]);
    const rule = folded.get(key) ?? {
      apiGroups: [atom.group],
      resources: [],
      ...(atom.names.length ? { resourceNames: atom.names } : {}),
      verbs,
    };
    rule.resources!.push(atom.resource);
    folded.set(key, rule);
  }
  const out = [...folded.values()];
  for (const r of out) r.resources!.sort();
  out.sort(
    (a, b) =>
      cmp(a.apiGroups![0]!, b.apiGroups![0]!) ||
      cmp(a.resources![0]!, b.resources![0]!) ||
      cmp(a.verbs.join(), b.verbs.join()),
  );

  const urlRules: PolicyRule[] = [...urls.entries()]
    .map(([url, verbs]) => ({ nonResourceURLs: [url], verbs: normaliseVerbs(verbs) }))
    .sort((a, b) => cmp(a.nonResourceURLs[0]!, b.nonResourceURLs[0]!));
  return [...out, ...urlRules];
}

function normaliseVerbs(verbs: Set<string>): string[] {
  return verbs.has('*') ? ['*'] : [...verbs].sort();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A ClusterRole object holding the merged rules. */
export function clusterRole(name: string, rules: PolicyRule[]): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: mergeRules(rules),
  };
}

/**
 * A Role holding the merged rules: the manager's RBAC when it watches one namespace
 * (kubebuilder's `init --namespaced`), granting nothing outside `namespace`.
 */
export function role(name: string, namespace: string, rules: PolicyRule[]): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace },
    rules: mergeRules(rules),
  };
}
