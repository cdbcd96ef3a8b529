/**
 * rbac.authorization.k8s.io/v1: Role, RoleBinding, ClusterRole, ClusterRoleBinding.
 *
 * Stored and served with the real server's defaults and validation (pkg/apis/rbac/v1/defaults.go,
 * pkg/apis/rbac/validation) so that manifests which fail on kube-apiserver fail here too, with the
 * same causes. They are never enforced: local-apiserver authorizes every request, so a missing
 * permission in a role only shows up against a real cluster. The ClusterRole aggregation
 * controller is not modelled either (`aggregationRule` is stored, `rules` are not filled in).
 */
import type { FieldError, KubeObject, Obj } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { dns1123SubdomainErrors, pathSegmentErrors } from '../../validation/names.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** PolicyRule checks (validatePolicyRule): Roles may not name non-resource URLs. */
function validateRules(o: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(o.rules).forEach((raw, i) => {
    const rule = obj(raw);
    const p = `rules[${i}]`;
    if (list(rule.verbs).length === 0)
      errs.push({ type: 'FieldValueRequired', field: `${p}.verbs`, detail: 'verbs must contain at least one value' });
    const urls = list(rule.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced)
        errs.push({
          type: 'FieldValueInvalid',
          field: `${p}.nonResourceURLs`,
          value: urls,
          detail: 'namespaced rules cannot apply to non-resource URLs',
        });
      if (list(rule.apiGroups).length > 0 || list(rule.resources).length > 0 || list(rule.resourceNames).length > 0) {
        errs.push({
          type: 'FieldValueInvalid',
          field: `${p}.nonResourceURLs`,
          value: urls,
          detail: 'rules cannot apply to both regular resources and non-resource URLs',
        });
      }
      return;
    }
    if (list(rule.apiGroups).length === 0)
      errs.push({
        type: 'FieldValueRequired',
        field: `${p}.apiGroups`,
        detail: 'resource rules must supply at least one api group',
      });
    if (list(rule.resources).length === 0)
      errs.push({
        type: 'FieldValueRequired',
        field: `${p}.resources`,
        detail: 'resource rules must supply at least one resource',
      });
    if (list(rule.resourceNames).length > 0 && list(rule.resources).length > 1) {
      errs.push({
        type: 'FieldValueRequired',
        field: `${p}.resourceNames`,
        detail: 'resource names cannot apply to multiple resources',
      });
    }
  });
  return errs;
}

/**
 * Subject checks (validateRoleBindingSubject). A ServiceAccount subject of a ClusterRoleBinding
 * needs a namespace; in a RoleBinding it may omit it. An empty User/Group name is reported once,
 * as Required, which is what kube-apiserver v1.36 answers.
 */
function validateSubjects(o: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list(o.subjects).forEach((raw, i) => {
    const s = obj(raw);
    const p = `subjects[${i}]`;
    const name = str(s.name);
    const apiGroup = str(s.apiGroup);
    if (!name) errs.push({ type: 'FieldValueRequired', field: `${p}.name` });
    switch (s.kind) {
      case 'ServiceAccount':
        if (name)
          for (const m of dns1123SubdomainErrors(name))
            errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, value: name, detail: m });
        if (apiGroup)
          errs.push({
            type: 'FieldValueNotSupported',
            field: `${p}.apiGroup`,
            value: apiGroup,
            detail: 'supported values: ""',
          });
        if (!namespaced && !str(s.namespace)) errs.push({ type: 'FieldValueRequired', field: `${p}.namespace` });
        break;
      case 'User':
      case 'Group':
        if (apiGroup !== RBAC_GROUP)
          errs.push({
            type: 'FieldValueNotSupported',
            field: `${p}.apiGroup`,
            value: apiGroup,
            detail: `supported values: "${RBAC_GROUP}"`,
          });
        break;
      default:
        errs.push({
          type: 'FieldValueNotSupported',
          field: `${p}.kind`,
          value: str(s.kind),
          detail: 'supported values: "ServiceAccount", "User", "Group"',
        });
    }
  });
  return errs;
}

/** Go prints the RoleRef struct with its Go field names in "cannot change roleRef". */
function goRoleRef(ref: Obj): Obj {
  return { APIGroup: str(ref.apiGroup), Kind: str(ref.kind), Name: str(ref.name) };
}

function validateBinding(o: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = obj(o.roleRef);
  const apiGroup = str(ref.apiGroup);
  const kind = str(ref.kind);
  const name = str(ref.name);
  if (apiGroup !== RBAC_GROUP)
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.apiGroup',
      value: apiGroup,
      detail: `supported values: "${RBAC_GROUP}"`,
    });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.kind',
      value: kind,
      detail: `supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`,
    });
  }
  if (!name) errs.push({ type: 'FieldValueRequired', field: 'roleRef.name' });
  else
    for (const m of pathSegmentErrors(name))
      errs.push({ type: 'FieldValueInvalid', field: 'roleRef.name', value: name, detail: m });
  errs.push(...validateSubjects(o, namespaced));
  if (old) {
    const before = goRoleRef(obj(old.roleRef));
    const after = goRoleRef(ref);
    if (before.APIGroup !== after.APIGroup || before.Kind !== after.Kind || before.Name !== after.Name) {
      errs.push({ type: 'FieldValueInvalid', field: 'roleRef', value: after, detail: 'cannot change roleRef' });
    }
  }
  return errs;
}

/** SetDefaults_RoleBinding / _ClusterRoleBinding / _Subject. */
function defaultBinding(o: KubeObject): void {
  if (o.roleRef !== null && typeof o.roleRef === 'object' && !Array.isArray(o.roleRef)) {
    const ref = o.roleRef as Obj;
    if (!str(ref.apiGroup)) ref.apiGroup = RBAC_GROUP;
  }
  for (const raw of list(o.subjects)) {
    const s = obj(raw);
    if (!str(s.apiGroup) && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}

const base = {
  generation: 'none' as const,
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'pathSegment' as const,
};

/** `rules` has no omitempty in Go: a role without rules is written back with `"rules": null`. */
function defaultRules(o: KubeObject): void {
  if (o.rules === undefined) o.rules = null;
}

export const roleStrategy: Strategy = { ...base, defaults: defaultRules, validate: (o) => validateRules(o, true) };
export const clusterRoleStrategy: Strategy = {
  ...base,
  defaults: defaultRules,
  validate: (o) => validateRules(o, false),
};
export const roleBindingStrategy: Strategy = {
  ...base,
  defaults: defaultBinding,
  validate: (o, old) => validateBinding(o, old, true),
};
export const clusterRoleBindingStrategy: Strategy = {
  ...base,
  defaults: defaultBinding,
  validate: (o, old) => validateBinding(o, old, false),
};
