/**
 * CRD conversion webhooks (CRD-V-4, CRD-V-5): a ConversionReview apiextensions.k8s.io/v1 POSTed
 * to the CRD's `spec.conversion.webhook.clientConfig`, checked and restored as kube-apiserver
 * does, with its error texts (checked against v1.36.2):
 *
 * - `conversion webhook for <group>/<from>, Kind=<Kind> failed: <result.message>` when the
 *   webhook answers `result.status: Failure`, and `... failed: Post "<url>?timeout=30s": <cause>`
 *   when it cannot be called;
 * - `... returned <n> objects, expected <m>`;
 * - `... returned invalid object at index <i>: invalid groupVersion (expected <d>, received <r>)`;
 * - `... returned invalid object: must have the same name: <a> != <b>` (namespace and UID alike).
 *
 * The webhook may change labels and annotations; every other metadata field is restored from the
 * object sent. Every failure is a 500 Status without reason, as on the real server.
 */
import { randomUUID } from 'node:crypto';
import { StatusError } from '../errors.ts';
import { postWebhook, WebhookCallError, type ServiceReference } from '../admission/admission.ts';
import type { KubeObject, Obj } from '../types.ts';
import { textOf } from '../engine/object-values.ts';

export interface ConversionOptions {
  /** Base URL (scheme://host:port) for a webhook Service; undefined = cannot be reached. */
  resolveService?: (svc: ServiceReference) => string | undefined;
}

/** Converts custom resources between the versions of their CRD. */
export interface ConversionModule {
  /**
   * Converts `objects` (all of `crd`'s kind, any versions) to `desiredApiVersion` through the
   * CRD's webhook. Objects already in that version are returned as they are, without a call.
   * Throws a 500 StatusError with the real server's message.
   */
  convert(crd: KubeObject, objects: readonly KubeObject[], desiredApiVersion: string): Promise<KubeObject[]>;
}

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** Go's `schema.GroupVersionKind.String()`: `group/version, Kind=Kind`. */
function gvkString(apiVersion: string, kind: string): string {
  return `${apiVersion}, Kind=${kind}`;
}

function fail(from: string, kind: string, what: string): StatusError {
  return new StatusError(500, '', `conversion webhook for ${gvkString(from, kind)} ${what}`);
}

/** The webhook's object with the metadata of the object sent, except labels and annotations. */
function restoreMetadata(sent: KubeObject, got: KubeObject, from: string, kind: string): KubeObject {
  const sm = obj(sent.metadata);
  const gm = obj(got.metadata);
  for (const [field, label] of [
    ['name', 'name'],
    ['namespace', 'namespace'],
    ['uid', 'UID'],
  ] as const) {
    if ((gm[field] ?? '') !== (sm[field] ?? ''))
      throw fail(
        from,
        kind,
        `returned invalid object: must have the same ${label}: ${textOf(sm[field])} != ${textOf(gm[field])}`,
      );
  }
  const metadata: Obj = { ...sm };
  for (const k of ['labels', 'annotations']) {
    if (gm[k] === undefined) delete metadata[k];
    else metadata[k] = gm[k];
  }
  return { ...got, metadata: metadata as KubeObject['metadata'] };
}

export function createConversion(opts: ConversionOptions = {}): ConversionModule {
  return {
    async convert(crd, objects, desiredApiVersion) {
      const spec = obj(crd.spec);
      const kind = textOf(obj(spec.names).kind);
      const todo = objects.map((o, i) => ({ o, i })).filter(({ o }) => o.apiVersion !== desiredApiVersion);
      const out = [...objects];
      if (todo.length === 0) return out;
      const from = String(todo[0]!.o.apiVersion ?? '');
      const conversion = obj(spec.conversion);
      if (conversion.strategy !== 'Webhook') {
        for (const { o, i } of todo) out[i] = { ...o, apiVersion: desiredApiVersion };
        return out;
      }
      const webhook = obj(conversion.webhook);
      const uid = randomUUID();
      const review = {
        kind: 'ConversionReview',
        apiVersion: 'apiextensions.k8s.io/v1',
        request: { uid, desiredAPIVersion: desiredApiVersion, objects: todo.map(({ o }) => o) },
      };
      let answer: Obj;
      try {
        answer = await postWebhook(
          {
            name: `conversion webhook for ${gvkString(from, kind)}`,
            clientConfig: obj(webhook.clientConfig) as never,
            // kube-apiserver gives conversion webhooks 30 s and says so in ?timeout=.
            timeoutSeconds: 30,
          },
          review,
          opts,
        );
      } catch (e) {
        if (e instanceof WebhookCallError)
          throw fail(from, kind, `failed: ${e.reason.replace(/^failed to call webhook: /, '')}`);
        throw e;
      }
      const response = obj(answer.response);
      const result = obj(response.result);
      if (result.status !== 'Success')
        throw fail(from, kind, `failed: ${textOf(result.message ?? 'conversion failed without a message')}`);
      if (response.uid !== uid)
        throw fail(from, kind, `returned invalid response: expected response uid ${uid}, got ${textOf(response.uid)}`);
      const converted = Array.isArray(response.convertedObjects) ? (response.convertedObjects as KubeObject[]) : [];
      if (converted.length !== todo.length)
        throw fail(from, kind, `returned ${converted.length} objects, expected ${todo.length}`);
      todo.forEach(({ o, i }, n) => {
        const got = obj(converted[n]) as KubeObject;
        if (got.apiVersion !== desiredApiVersion)
          throw fail(
            from,
            kind,
            `returned invalid object at index ${n}: invalid groupVersion (expected ${desiredApiVersion}, received ${String(got.apiVersion ?? '')})`,
          );
        if (got.kind !== o.kind)
          throw fail(
            from,
            kind,
            `returned invalid object at index ${n}: invalid kind (expected ${String(o.kind)}, received ${String(got.kind ?? '')})`,
          );
        out[i] = restoreMetadata(o, got, from, kind);
      });
      return out;
    },
  };
}

export const conversionModule: ConversionModule = createConversion();
