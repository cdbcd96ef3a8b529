/**
 * Admission webhooks (§9.7 WH-1…WH-5): MutatingWebhookConfigurations run serially (sorted by
 * configuration name, webhooks in list order) and their JSON patches are applied in turn; then
 * ValidatingWebhookConfigurations run in parallel. Requests and responses are AdmissionReview
 * admission.k8s.io/v1, the error texts are kube-apiserver's.
 *
 * Service references: a local server has no cluster DNS or Endpoints, so `clientConfig.service`
 * is resolved only through `resolveService` (e.g. a test maps `webhook-service.system` to
 * `https://127.0.0.1:9443`). The TLS server name is still `<name>.<namespace>.svc`, as on the
 * real server, so the webhook's certificate must carry that DNS name. An unresolvable service is
 * a call failure (and so obeys failurePolicy).
 *
 * Not modelled: matchConditions (CEL), matchPolicy Equivalent (there are no conversions between
 * versions here, so only exact matches), reinvocationPolicy IfNeeded, v1beta1 reviews.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { StatusError, internalError } from '../errors.ts';
import { textOf } from '../engine/object-values.ts';
import { applyJsonPatch, webhookPatchOperations } from '../patch/json-patch.ts';
import { matchesLabelSelectorObject } from '../selectors/label-selector.ts';
import type { AdmissionModule, AdmissionRequestAttributes, ApiStatus, KubeObject, Obj } from '../types.ts';

export interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface AdmissionOptions {
  /** Base URL (scheme://host:port) for a webhook Service; undefined = cannot be reached. */
  resolveService?: (svc: ServiceReference) => string | undefined;
  /** Who the review says made the request. */
  userInfo?: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
}

export interface Webhook {
  name: string;
  clientConfig: { url?: string; service?: ServiceReference; caBundle?: string };
  rules?: Rule[];
  failurePolicy?: 'Fail' | 'Ignore';
  namespaceSelector?: Selector;
  objectSelector?: Selector;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
}
interface Rule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}
type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

/** The webhook call failed (transport, bad response): subject to failurePolicy. */
export class WebhookCallError extends Error {
  readonly code = 'WebhookCallFailed';
  /** A Status the webhook answered with a non-2xx code, returned as is under Fail. */
  readonly status?: ApiStatus;
  /** What went wrong, without the webhook's name (conversion errors word it their own way). */
  readonly reason: string;
  constructor(webhookName: string, reason: string, status?: ApiStatus) {
    super(`failed calling webhook "${webhookName}": ${reason}`);
    this.status = status;
    this.reason = reason;
  }
}

function matchesList(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

function matchesResource(patterns: string[] | undefined, plural: string, sub: string): boolean {
  if (!patterns) return false;
  return patterns.some((p) => {
    if (p === '*/*') return true;
    const [r, s] = p.split('/') as [string, string | undefined];
    if (s === undefined) return sub === '' && (r === '*' || r === plural);
    return (r === '*' || r === plural) && (s === '*' || s === sub);
  });
}

/** Whether one rule of a webhook matches the request (operations, GVR incl. subresource, scope). */
export function ruleMatches(rule: Rule, a: AdmissionRequestAttributes): boolean {
  if (!matchesList(rule.operations, a.operation)) return false;
  if (!matchesList(rule.apiGroups, a.resource.group)) return false;
  if (!matchesList(rule.apiVersions, a.resource.version)) return false;
  if (!matchesResource(rule.resources, a.resource.plural, a.subresource)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && a.resource.namespaced) return false;
  if (scope === 'Namespaced' && !a.resource.namespaced) return false;
  return true;
}

function labelsOf(o: KubeObject | undefined): Record<string, string> | undefined {
  return o?.metadata?.labels;
}

function selectorMatches(sel: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0))
    return true;
  return matchesLabelSelectorObject(sel, labels ?? {});
}

/** Rules, namespaceSelector and objectSelector (either the new or the old object may match). */
export function webhookMatches(w: Webhook, a: AdmissionRequestAttributes): boolean {
  if (!(w.rules ?? []).some((r) => ruleMatches(r, a))) return false;
  if (w.namespaceSelector) {
    // Cluster-scoped objects are not in a namespace; a Namespace is matched by its own labels.
    const isNamespace = a.resource.group === '' && a.resource.plural === 'namespaces';
    if (isNamespace) {
      if (!selectorMatches(w.namespaceSelector, labelsOf(a.object) ?? labelsOf(a.oldObject))) return false;
    } else if (a.resource.namespaced && !selectorMatches(w.namespaceSelector, a.namespaceLabels)) return false;
  }
  if (w.objectSelector) {
    const sel = w.objectSelector;
    if (!selectorMatches(sel, labelsOf(a.object)) && !selectorMatches(sel, labelsOf(a.oldObject))) return false;
  }
  return true;
}

function optionsKind(op: string): string {
  return op === 'CREATE' ? 'CreateOptions' : op === 'UPDATE' ? 'UpdateOptions' : 'DeleteOptions';
}

/** The AdmissionReview v1 request body (WH-3). */
export function admissionReview(
  a: AdmissionRequestAttributes,
  uid: string,
  userInfo: AdmissionOptions['userInfo'],
): Obj {
  const gvk = { group: a.resource.group, version: a.resource.version, kind: a.resource.kind };
  const gvr = { group: a.resource.group, version: a.resource.version, resource: a.resource.plural };
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid,
      kind: gvk,
      resource: gvr,
      ...(a.subresource ? { subResource: a.subresource } : {}),
      requestKind: gvk,
      requestResource: gvr,
      ...(a.subresource ? { requestSubResource: a.subresource } : {}),
      ...(a.name ? { name: a.name } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: userInfo ?? { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
      object: a.operation === 'DELETE' ? null : (a.object ?? null),
      oldObject: a.oldObject ?? null,
      dryRun: a.dryRun,
      options: { apiVersion: 'meta.k8s.io/v1', kind: optionsKind(a.operation), ...a.options },
    },
  };
}

/** Go's net/http error texts for the failures a test can provoke. */
function transportReason(method: string, url: string, err: NodeJS.ErrnoException, host: string): string {
  const prefix = `failed to call webhook: ${method} "${url}"`;
  if (err.code === 'ECONNREFUSED') return `${prefix}: dial tcp ${host}: connect: connection refused`;
  if (err.code === 'ETIMEDOUT' || err.name === 'TimeoutError' || err.code === 'ABORT_ERR')
    return `${prefix}: context deadline exceeded`;
  if (
    err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    err.code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  ) {
    return `${prefix}: tls: failed to verify certificate: x509: certificate signed by unknown authority`;
  }
  if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `${prefix}: tls: failed to verify certificate: x509: ${err.message}`;
  if (err.code === 'ENOTFOUND') return `${prefix}: dial tcp: lookup ${host.split(':')[0]}: no such host`;
  return `${prefix}: ${err.message}`;
}

function webhookUrl(w: Webhook, opts: AdmissionOptions): { url: string; servername?: string } {
  const cc = w.clientConfig ?? {};
  if (cc.url) return { url: cc.url };
  if (cc.service) {
    const base = opts.resolveService?.(cc.service);
    const svcHost = `${cc.service.name}.${cc.service.namespace}.svc`;
    if (!base)
      throw new WebhookCallError(
        w.name,
        `failed to call webhook: service "${cc.service.namespace}/${cc.service.name}" cannot be resolved by local-apiserver: map it with resolveService`,
      );
    return { url: base.replace(/\/$/, '') + (cc.service.path ?? ''), servername: svcHost };
  }
  throw new WebhookCallError(w.name, 'failed to call webhook: clientConfig has neither url nor service');
}

/** POST the review and parse the answer; a WebhookCallError for every failure. Conversion webhooks use it too. */
export async function postWebhook(w: Webhook, review: Obj, opts: AdmissionOptions): Promise<Obj> {
  const timeoutSeconds = w.timeoutSeconds ?? 10;
  const { url: base, servername } = webhookUrl(w, opts);
  const u = new URL(base);
  u.searchParams.set('timeout', `${timeoutSeconds}s`);
  const url = u.toString();
  const body = JSON.stringify(review);
  const isHttps = u.protocol === 'https:';
  const ca = w.clientConfig.caBundle ? Buffer.from(w.clientConfig.caBundle, 'base64') : undefined;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  const host = u.port ? `${u.hostname}:${u.port}` : `${u.hostname}:${isHttps ? 443 : 80}`;
  const { statusCode, text } = await new Promise<{ statusCode: number; text: string }>((resolve, reject) => {
    const reqOpts = {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, */*',
        'Content-Length': Buffer.byteLength(body),
      },
      signal,
      ...(isHttps ? { ca, servername: servername ?? (u.hostname.match(/^[\d.:[\]]+$/) ? undefined : u.hostname) } : {}),
    };
    const req = (isHttps ? httpsRequest : httpRequest)(u, reqOpts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  }).catch((err: NodeJS.ErrnoException) => {
    throw new WebhookCallError(
      w.name,
      transportReason('Post', url, signal.aborted ? Object.assign(err, { code: 'ETIMEDOUT' }) : err, host),
    );
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (statusCode < 200 || statusCode >= 300)
      throw new WebhookCallError(
        w.name,
        `failed to call webhook: an error on the server ("${text.trim() || 'unknown'}") has prevented the request from succeeding`,
      );
    throw new WebhookCallError(
      w.name,
      `received invalid webhook response: couldn't get version/kind; json parse error: ${text.slice(0, 80)}`,
    );
  }
  if (statusCode < 200 || statusCode >= 300) {
    const st = parsed as Obj;
    if (st && st.kind === 'Status')
      throw new WebhookCallError(w.name, `failed to call webhook: ${textOf(st.message)}`, st as unknown as ApiStatus);
    throw new WebhookCallError(
      w.name,
      `failed to call webhook: the server responded with the status code ${statusCode} but did not return more information`,
    );
  }
  return parsed as Obj;
}

/** Checks of WH-4 on a response; returns the `response` object. */
function checkResponse(w: Webhook, answer: Obj, uid: string, mutating: boolean): Obj {
  const invalid = (why: string) => new WebhookCallError(w.name, `received invalid webhook response: ${why}`);
  const response = answer.response as Obj | undefined;
  if (!response || typeof response !== 'object') throw invalid('webhook response was absent');
  if (response.uid !== uid)
    throw invalid(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}`);
  const hasPatch = typeof response.patch === 'string' && response.patch !== '';
  const hasType = typeof response.patchType === 'string' && response.patchType !== '';
  if (hasPatch !== hasType)
    throw invalid(
      hasPatch
        ? 'webhook returned response.patch but not response.patchType'
        : 'webhook returned response.patchType but not response.patch',
    );
  if (hasPatch && !mutating)
    throw invalid('webhook returned response.patch but patches are not allowed for validating webhooks');
  if (hasType && response.patchType !== 'JSONPatch')
    throw invalid(`webhook returned invalid response.patchType of ${JSON.stringify(response.patchType)}`);
  return response;
}

/** `admission webhook "x" denied the request: …` with the webhook's code (≥ 400) (WH-4). */
export function denial(webhookName: string, result: Obj | undefined): StatusError {
  const r = result ?? {};
  const code = typeof r.code === 'number' && r.code >= 400 ? r.code : 400;
  const deniedBy = `admission webhook ${JSON.stringify(webhookName)} denied the request`;
  const message =
    typeof r.message === 'string' && r.message !== ''
      ? `${deniedBy}: ${r.message}`
      : typeof r.reason === 'string' && r.reason !== ''
        ? `${deniedBy}: ${r.reason}`
        : `${deniedBy} without explanation`;
  const err = new StatusError(
    code,
    typeof r.reason === 'string' ? r.reason : '',
    message,
    (r.details as never) ?? undefined,
  );
  return err;
}

function failure(w: Webhook, err: unknown): StatusError | undefined {
  if ((w.failurePolicy ?? 'Fail') === 'Ignore') return undefined;
  if (err instanceof WebhookCallError) {
    if (err.status) {
      const s = err.status;
      return new StatusError(s.code ?? 500, s.reason ?? '', s.message ?? err.message, s.details);
    }
    return internalError(err.message);
  }
  return internalError(`failed calling webhook "${w.name}": ${(err as Error).message}`);
}

function webhooksOf(configurations: readonly KubeObject[]): Webhook[] {
  return [...configurations]
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .flatMap((c) => (Array.isArray(c.webhooks) ? (c.webhooks as Webhook[]) : []));
}

function warningsOf(response: Obj): string[] {
  return Array.isArray(response.warnings) ? response.warnings.filter((x): x is string => typeof x === 'string') : [];
}

export function createAdmission(opts: AdmissionOptions = {}): AdmissionModule {
  return {
    async mutate(attrs, configurations) {
      const warnings: string[] = [];
      let object = attrs.object;
      for (const w of webhooksOf(configurations)) {
        const current = { ...attrs, object };
        if (!webhookMatches(w, current)) continue;
        const uid = randomUUID();
        try {
          const response = checkResponse(
            w,
            await postWebhook(w, admissionReview(current, uid, opts.userInfo), opts),
            uid,
            true,
          );
          warnings.push(...warningsOf(response));
          if (response.allowed !== true) throw denial(w.name, response.status as Obj | undefined);
          if (typeof response.patch === 'string' && response.patch !== '' && object) {
            let ops: unknown;
            try {
              ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
              object = applyJsonPatch(object, webhookPatchOperations(ops)) as KubeObject;
            } catch (e) {
              throw new WebhookCallError(w.name, `received invalid webhook response: ${(e as Error).message}`);
            }
          }
        } catch (e) {
          if (e instanceof StatusError) throw e;
          const f = failure(w, e);
          if (f) throw f;
        }
      }
      return { object, warnings };
    },

    async validate(attrs, configurations) {
      const matching = webhooksOf(configurations).filter((w) => webhookMatches(w, attrs));
      const results = await Promise.all(
        matching.map(async (w) => {
          const uid = randomUUID();
          try {
            const response = checkResponse(
              w,
              await postWebhook(w, admissionReview(attrs, uid, opts.userInfo), opts),
              uid,
              false,
            );
            return {
              warnings: warningsOf(response),
              error: response.allowed === true ? undefined : denial(w.name, response.status as Obj | undefined),
            };
          } catch (e) {
            return { warnings: [], error: failure(w, e) };
          }
        }),
      );
      const firstError = results.find((r) => r.error)?.error;
      if (firstError) throw firstError;
      return { warnings: results.flatMap((r) => r.warnings) };
    },
  };
}

/** Webhooks are called with no service resolution; servers wire `createAdmission` with a resolver. */
export const admissionModule: AdmissionModule = createAdmission();
