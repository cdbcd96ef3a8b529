import type { FieldError } from '../../types.ts';
import type { Strategy } from '../strategy.ts';
import { obj, setDefault, type Obj } from './shared.ts';
import { dns1035LabelErrors, dns1123SubdomainErrors } from '../../validation/names.ts';

// ---------------------------------------------------------------- webhook configurations
export const webhookConfigStrategy: Strategy = {
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
    const mutating = o.kind === 'MutatingWebhookConfiguration';
    const errs: FieldError[] = [];
    const names = new Set<string>();
    ((o.webhooks as Obj[] | undefined) ?? []).forEach((w, i) => {
      const path = `webhooks[${i}]`;
      errs.push(...validateWebhook(w, path, mutating));
      errs.push(...admissionReviewVersionErrors(w.admissionReviewVersions, `${path}.admissionReviewVersions`));
      if (typeof w.name === 'string' && w.name) {
        if (names.has(w.name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.name`, value: w.name });
        names.add(w.name);
      }
    });
    return errs;
  },
};

const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];

function oneOf(v: unknown, values: readonly string[]): boolean {
  return typeof v === 'string' && values.includes(v);
}

function quoted(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, value, detail: `supported values: ${quoted(supported)}` };
}

/** utilvalidation.IsFullyQualifiedName: a DNS subdomain of at least three segments. */
function fullyQualifiedNameErrors(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '') return [{ type: 'FieldValueRequired', field }];
  const dns = dns1123SubdomainErrors(name);
  if (dns.length) return [{ type: 'FieldValueInvalid', field, value: name, detail: dns.join(',') }];
  if (name.split('.').length < 3)
    return [
      {
        type: 'FieldValueInvalid',
        field,
        value: name,
        detail: 'should be a domain with at least three segments separated by dots',
      },
    ];
  return [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** validateRuleWithOperations + validateRule (subresources allowed). */
function ruleErrors(r: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = strings(r.operations);
  if (ops.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.operations` });
  if (ops.length > 1 && ops.includes('*'))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.operations`,
      value: ops,
      detail: "if '*' is present, must not specify other operations",
    });
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errs.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  const groups = strings(r.apiGroups);
  if (groups.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.apiGroups` });
  if (groups.length > 1 && groups.includes('*'))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.apiGroups`,
      value: groups,
      detail: "if '*' is present, must not specify other API groups",
    });
  const versions = strings(r.apiVersions);
  if (versions.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.apiVersions` });
  if (versions.length > 1 && versions.includes('*'))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.apiVersions`,
      value: versions,
      detail: "if '*' is present, must not specify other API versions",
    });
  versions.forEach((v, i) => {
    if (v === '') errs.push({ type: 'FieldValueRequired', field: `${path}.apiVersions[${i}]` });
  });
  if (strings(r.resources).length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.resources` });
  if (r.scope !== undefined && !oneOf(r.scope, SCOPES)) errs.push(notSupported(`${path}.scope`, r.scope, SCOPES));
  return errs;
}

/** webhook.ValidateWebhookURL with https forced. */
function urlErrors(field: string, raw: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  // Every part of the pattern is optional: it splits any string the way url.Parse does.
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(raw)!;
  const [, scheme = '', authority = '', , query = '', fragment = ''] = m;
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const errs: FieldError[] = [];
  if (scheme !== 'https')
    errs.push({
      type: 'FieldValueInvalid',
      field,
      value: scheme,
      detail: `'https' is the only allowed URL scheme${form}`,
    });
  if (host === '')
    errs.push({ type: 'FieldValueInvalid', field, value: host, detail: `host must be specified${form}` });
  if (user !== undefined)
    errs.push({
      type: 'FieldValueInvalid',
      field,
      value: user,
      detail: 'user information is not permitted in the URL',
    });
  if (fragment)
    errs.push({ type: 'FieldValueInvalid', field, value: fragment, detail: 'fragments are not permitted in the URL' });
  if (query)
    errs.push({
      type: 'FieldValueInvalid',
      field,
      value: query,
      detail: 'query parameters are not permitted in the URL',
    });
  return errs;
}

/** webhook.ValidateWebhookService. */
function serviceErrors(path: string, svc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!svc.name) errs.push({ type: 'FieldValueRequired', field: `${path}.name` });
  if (!svc.namespace) errs.push({ type: 'FieldValueRequired', field: `${path}.namespace` });
  const port = typeof svc.port === 'number' ? svc.port : 443;
  if (!(port >= 1 && port <= 65535))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.port`,
      value: port,
      detail: 'port is not valid: must be between 1 and 65535, inclusive',
    });
  const urlPath = typeof svc.path === 'string' ? svc.path : undefined;
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return errs;
  const field = `${path}.path`;
  if (urlPath === '//')
    return [...errs, { type: 'FieldValueInvalid', field, value: urlPath, detail: 'segment[0] may not be empty' }];
  if (!urlPath.startsWith('/'))
    errs.push({ type: 'FieldValueInvalid', field, value: urlPath, detail: "must start with a '/'" });
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') {
      errs.push({ type: 'FieldValueInvalid', field, value: urlPath, detail: `segment[${i}] may not be empty` });
      return;
    }
    for (const f of dns1123SubdomainErrors(step))
      errs.push({ type: 'FieldValueInvalid', field, value: urlPath, detail: `segment[${i}]: ${f}` });
  });
  return errs;
}

/**
 * validateMutatingWebhook / validateValidatingWebhook of kube-apiserver v1.36.2 (create rules:
 * no side effects, a recognized review version), in its order. Label selectors and CEL match
 * conditions are not checked here.
 */
function validateWebhook(w: Obj, path: string, mutating: boolean): FieldError[] {
  const errs = fullyQualifiedNameErrors(`${path}.name`, w.name);
  ((w.rules as Obj[] | undefined) ?? []).forEach((r, i) => errs.push(...ruleErrors(obj(r), `${path}.rules[${i}]`)));
  if (w.failurePolicy !== undefined && !oneOf(w.failurePolicy, ['Fail', 'Ignore']))
    errs.push(notSupported(`${path}.failurePolicy`, w.failurePolicy, ['Fail', 'Ignore']));
  if (w.matchPolicy !== undefined && !oneOf(w.matchPolicy, ['Equivalent', 'Exact']))
    errs.push(notSupported(`${path}.matchPolicy`, w.matchPolicy, ['Equivalent', 'Exact']));
  const sideEffects = ['None', 'NoneOnDryRun'];
  if (w.sideEffects === undefined || w.sideEffects === null)
    errs.push({
      type: 'FieldValueRequired',
      field: `${path}.sideEffects`,
      detail: `must specify one of ${sideEffects.join(', ')}`,
    });
  else if (!oneOf(w.sideEffects, sideEffects))
    errs.push(notSupported(`${path}.sideEffects`, w.sideEffects, sideEffects));
  const timeout = w.timeoutSeconds;
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 30))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.timeoutSeconds`,
      value: timeout,
      detail: 'the timeout value must be between 1 and 30 seconds',
    });
  if (mutating && w.reinvocationPolicy !== undefined && !oneOf(w.reinvocationPolicy, ['IfNeeded', 'Never']))
    errs.push(notSupported(`${path}.reinvocationPolicy`, w.reinvocationPolicy, ['IfNeeded', 'Never']));
  const cc = obj(w.clientConfig);
  const hasUrl = typeof cc.url === 'string';
  const hasService = cc.service !== undefined && cc.service !== null;
  if (hasUrl === hasService)
    errs.push({
      type: 'FieldValueRequired',
      field: `${path}.clientConfig`,
      detail: 'exactly one of url or service is required',
    });
  else if (hasUrl) errs.push(...urlErrors(`${path}.clientConfig.url`, cc.url as string));
  else errs.push(...serviceErrors(`${path}.clientConfig.service`, obj(cc.service)));
  return errs;
}

/** validateAdmissionReviewVersions, requiring a version this server understands (create). */
function admissionReviewVersionErrors(v: unknown, field: string): FieldError[] {
  const versions = strings(v);
  if (versions.length === 0)
    return [
      { type: 'FieldValueRequired', field, detail: `must specify one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}` },
    ];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((x, i) => {
    if (seen.has(x)) {
      errs.push({ type: 'FieldValueInvalid', field: `${field}[${i}]`, value: x, detail: 'duplicate version' });
      return;
    }
    seen.add(x);
    for (const e of dns1035LabelErrors(x))
      errs.push({ type: 'FieldValueInvalid', field: `${field}[${i}]`, value: x, detail: e });
  });
  if (!versions.some((x) => ACCEPTED_REVIEW_VERSIONS.includes(x)))
    errs.push({
      type: 'FieldValueInvalid',
      field,
      value: versions,
      detail: `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`,
    });
  return errs;
}
