import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiRequestError } from './errors.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * One JSON request to the API server named by the kubeconfig's current context.
 *
 * envtest talks HTTP itself instead of using client-node's generated APIs: it has to install
 * arbitrary kinds (CRDs, custom resources) as plain JSON without a typed model dropping fields,
 * and it must not depend on @kubeloop/runtime (the thing most tests are testing).
 *
 * The one way tests outside local-apiserver talk to an API server directly (raw paths such as
 * `/healthz`): TLS material and credentials come from the kubeconfig, as for any client. The local
 * API server speaks only HTTPS; for a plain-http server (an existing cluster behind `kubectl
 * proxy`) client-node would refuse without `insecure-skip-tls-verify`, so there only the
 * credentials are taken and client-node's agent is skipped.
 */
export async function apiRequest(kc: KubeConfig, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ApiRequestError(method, path, 0, 'the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const opts: https.RequestOptions = {
    method,
    headers: {
      accept: 'application/json',
      ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
    },
  };
  const secure = url.protocol === 'https:';
  if (secure) {
    await kc.applyToHTTPSOptions(opts);
  } else {
    const user = kc.getCurrentUser();
    if (user?.token) (opts.headers as Record<string, string>).authorization = `Bearer ${user.token}`;
    else if (user?.username) opts.auth = `${user.username}:${user.password ?? ''}`;
  }
  return new Promise<ApiResponse>((resolve, reject) => {
    const req = (secure ? https : http).request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON (e.g. /readyz answers "ok"): keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url.href}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like apiRequest, but a non-2xx answer throws ApiRequestError. */
export async function apiCall<T = Record<string, unknown>>(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await apiRequest(kc, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new ApiRequestError(method, path, res.status, res.body);
  return res.body as T;
}

/**
 * POST the object; when it exists already, GET it and PUT ours over it with the current
 * resourceVersion. A 409 on the PUT means someone wrote in between (another test file installing
 * the same CRD): re-read and try again, a bounded number of times. Any other error is final.
 */
export async function createOrReplace(
  kc: KubeConfig,
  collection: string,
  obj: { metadata: { name?: string; resourceVersion?: string } },
): Promise<'created' | 'replaced'> {
  const body = { ...obj, metadata: { ...obj.metadata } };
  delete body.metadata.resourceVersion;
  const created = await apiRequest(kc, 'POST', collection, body);
  if (created.status === 200 || created.status === 201) return 'created';
  if (created.status !== 409) throw new ApiRequestError('POST', collection, created.status, created.body);
  const path = `${collection}/${encodeURIComponent(body.metadata.name ?? '')}`;
  for (let attempt = 1; ; attempt++) {
    const current = await apiCall<{ metadata: { resourceVersion?: string } }>(kc, 'GET', path);
    const replaced = await apiRequest(kc, 'PUT', path, {
      ...body,
      metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion },
    });
    if (replaced.status === 200 || replaced.status === 201) return 'replaced';
    if (replaced.status !== 409 || attempt >= 5) throw new ApiRequestError('PUT', path, replaced.status, replaced.body);
  }
}
