import type { KubeConfig } from '@kubernetes/client-node';
import { apiCall, createOrReplace } from './api-request.ts';
import { eventually } from './eventually.ts';
import { InvalidManifestError } from './errors.ts';
import { loadManifests, type ManifestInput } from './manifest-input.ts';
import { asKubeObject, ResourceMapper, type KubeObject } from './resources.ts';
import { kubeConfigOf, type Target } from './types.ts';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface Crd extends KubeObject {
  spec: { group: string; names: { plural: string }; versions: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface InstallCRDsOptions {
  /** How long to wait for each CRD to be Established and served (default 30 s). */
  timeout?: number;
}

/**
 * Installs CustomResourceDefinitions (create, or replace when one of that name exists) and
 * returns only once each is Established *and* its resources show up in discovery. The second
 * wait matters on a real kube-apiserver: Established flips before the new REST endpoints are
 * wired, and a create in that gap answers 404.
 *
 * Paths may be files or directories; documents that are not CRDs (a kustomization, a sample)
 * are skipped. Objects passed directly must all be CRDs.
 */
export async function installCRDs(target: Target, input: ManifestInput, opts: InstallCRDsOptions = {}): Promise<void> {
  const kc = kubeConfigOf(target);
  const objects = loadManifests(input);
  const passedObjects = Array.isArray(input) && input.some((i) => typeof i !== 'string');
  const crds: Crd[] = [];
  objects.forEach((o, i) => {
    const k = o as Partial<KubeObject>;
    if (
      k.kind === 'CustomResourceDefinition' &&
      typeof k.apiVersion === 'string' &&
      k.apiVersion.startsWith('apiextensions.k8s.io/')
    ) {
      crds.push(asKubeObject(o, `CRD ${i + 1}`) as Crd);
    } else if (passedObjects && typeof o === 'object' && input.includes(o)) {
      throw new InvalidManifestError(
        `installCRDs: object ${i + 1} is a ${String(k.kind)}, not a CustomResourceDefinition`,
      );
    }
  });
  if (objects.length > 0 && crds.length === 0) {
    throw new InvalidManifestError('installCRDs: the input holds no CustomResourceDefinition');
  }
  for (const crd of crds) await createOrReplaceCrd(kc, crd);
  await waitForCRDs(kc, crds, opts.timeout ?? 30_000);
}

async function createOrReplaceCrd(kc: KubeConfig, crd: Crd): Promise<void> {
  const body = { ...crd };
  delete body.status;
  await createOrReplace(kc, CRD_PATH, body);
}

/** Waits until every CRD is Established and each served version lists its plural in discovery. */
export async function waitForCRDs(kc: KubeConfig, crds: Crd[], timeout: number): Promise<void> {
  const mapper = new ResourceMapper(kc);
  await Promise.all(
    crds.map(async (crd) => {
      const name = crd.metadata.name!;
      await eventually(
        async () => {
          const current = await apiCall<Crd>(kc, 'GET', `${CRD_PATH}/${name}`);
          const conds = current.status?.conditions ?? [];
          const established = conds.find((c) => c.type === 'Established');
          if (established?.status !== 'True') {
            const names = conds.find((c) => c.type === 'NamesAccepted');
            const why = names?.status === 'False' ? ` (NamesAccepted=False: ${names.message})` : '';
            throw new Error(`CRD ${name} is not Established yet${why}`);
          }
        },
        { timeout, interval: 50 },
      );
      for (const v of crd.spec.versions.filter((v) => v.served !== false)) {
        const apiVersion = `${crd.spec.group}/${v.name}`;
        await eventually(
          async () => {
            const plurals = await mapper.servedPlurals(apiVersion);
            if (!plurals.includes(crd.spec.names.plural))
              throw new Error(`${crd.spec.names.plural}.${apiVersion} is not in discovery yet`);
          },
          { timeout, interval: 50 },
        );
      }
    }),
  );
}
