import type { KubeConfig } from '@kubernetes/client-node';
import { createOrReplace } from './api-request.ts';
import { installCRDs } from './crds.ts';
import { renderKustomizations } from './kustomize.ts';
import { eventually } from './eventually.ts';
import { UnknownKindError } from './errors.ts';
import { loadManifests, type ManifestInput } from './manifest-input.ts';
import { asKubeObject, collectionPath, ResourceMapper, type KubeObject } from './resources.ts';
import { kubeConfigOf, type Target } from './types.ts';

/** Kinds other objects may depend on, applied first (in this order), like kubectl/kustomize do. */
const FIRST = ['Namespace', 'CustomResourceDefinition'];

/**
 * Creates each object, or replaces it (PUT with the current resourceVersion) when it exists:
 * the deploy tests' stand-in for `kubectl apply`. Replace, not merge: fields absent from the
 * manifest are reset, which is what a test of "the manifests as committed" wants.
 *
 * Namespaces go first, then CRDs (waited on until served), then everything else in document
 * order. Namespaced objects without a namespace land in `default`, as kubectl's would. A
 * directory with a kustomization.yaml is rendered with `kubectl kustomize` first.
 */
export async function applyManifests(target: Target, input: ManifestInput): Promise<void> {
  const kc = kubeConfigOf(target);
  const objects = loadManifests(await renderKustomizations(input)).map((o, i) => asKubeObject(o, `manifest ${i + 1}`));
  const rank = (o: KubeObject) => {
    const i = FIRST.indexOf(o.kind);
    return i === -1 ? FIRST.length : i;
  };
  const ordered = objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map((x) => x.o);
  const crds = ordered.filter((o) => o.kind === 'CustomResourceDefinition');
  const mapper = new ResourceMapper(kc);
  for (const o of ordered.filter((o) => o.kind === 'Namespace')) await applyOne(kc, mapper, o, false);
  if (crds.length > 0) await installCRDs(kc, crds);
  const newGroups = new Set(crds.map((c) => (c as { spec?: { group?: string } }).spec?.group));
  for (const o of ordered.filter((o) => !FIRST.includes(o.kind)))
    await applyOne(kc, mapper, o, newGroups.has(o.apiVersion.split('/')[0]));
}

async function applyOne(
  kc: KubeConfig,
  mapper: ResourceMapper,
  obj: KubeObject,
  crdJustInstalled: boolean,
): Promise<void> {
  const info = await mapper.resolve(obj.apiVersion, obj.kind).catch(async (err: unknown) => {
    // installCRDs already waited for discovery, but an aggregated discovery cache can lag a
    // moment behind; for a kind whose CRD this very call installed, give it a few seconds.
    if (!(err instanceof UnknownKindError) || !crdJustInstalled) throw err;
    return eventually(() => mapper.resolve(obj.apiVersion, obj.kind), { timeout: 5_000, interval: 100 }).catch(
      (e: unknown) => {
        throw (e as { cause?: unknown }).cause ?? e;
      },
    );
  });
  const collection = collectionPath(obj.apiVersion, info, obj.metadata.namespace);
  const body = { ...obj, metadata: { ...obj.metadata } };
  if (info.namespaced) body.metadata.namespace = obj.metadata.namespace || 'default';
  await createOrReplace(kc, collection, body);
}
