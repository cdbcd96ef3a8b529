import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { loadManifests } from '../manifest-input.ts';
import { createTestNamespace } from '../namespace.ts';
import { connectCluster, type E2ECluster } from './cluster.ts';
import { hardeningProblems } from './hardening.ts';
import {
  applyThroughWebhooks,
  buildAppImage,
  kubectlOk,
  renderOperatorTree,
  runNxTarget,
  waitForTreeGone,
  type OperatorTree,
} from './operator.ts';
import { step, stepReport } from './steps.ts';
import { describePods, listPods, waitForDeploymentAvailable, type PodLike } from './workloads.ts';

/** An object as `kubectl get -o json` shows it; what a check reads. */
export interface E2EObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string }[] };
}

/** The running suite, handed to the app's callbacks once beforeAll has deployed the operator. */
export interface OperatorE2E {
  readonly root: string;
  readonly app: string;
  readonly cluster: E2ECluster;
  readonly tree: OperatorTree;
  /** Where the samples go: the manager's own namespace for a namespaced operator, else a fresh one. */
  readonly namespace: string;
  /**
   * `kubectl get -o json` of one object in `namespace`. An object (a sample) names its resource
   * as Kind.version.group, so `CronJob` is this app's and never batch/v1's.
   */
  get(resource: string | { apiVersion: string; kind: string }, name: string): Promise<E2EObject>;
  /** The Jobs, Deployments, ... of `resource` in `namespace` whose controller is `owner`. */
  listOwned(resource: string, owner: E2EObject): Promise<E2EObject[]>;
}

export interface OperatorE2EOptions {
  /** The workspace root: its Dockerfile builds the image, deploy/<app> is deployed. */
  root: string;
  app: string;
  /** The manager watches only its own namespace (`--namespaced`): the samples go there. */
  namespaced?: boolean;
  /** Images built and delivered before the manager's (markdown-view's viewer): app → tag. */
  images?: (tree: OperatorTree) => { app: string; tag: string }[];
  /** `Kind/name` of every sample deploy/<app>/samples must hold (default: at least one, any). */
  expectSamples?: string[];
  /**
   * Changes the rendered samples before they are applied, for what a node cannot do as the
   * sample says: an image it cannot pull replaced by one it has (an offline node). Say which
   * environment variable asks for it, and leave the samples as they are when it is unset.
   */
  prepareSamples?: (samples: E2EObject[]) => E2EObject[];
  /** The title of the samples test (default: every sample becomes Ready). */
  samplesTitle?: string;
  /**
   * Throws until the sample (as the cluster shows it now) is what its controller should make it;
   * retried once a second until `samplesTimeout`. Default: its Ready condition is True
   * (expectReady). A kind without Ready checks what its controller writes: children, status.
   */
  checkSample?: (sample: E2EObject, e2e: OperatorE2E) => Promise<void> | void;
  /** Default 120 s: a CronJob's first Job waits for the next minute. */
  samplesTimeout?: number;
  /** The app's own tests (`it(...)`), after the samples and before the restart check and undeploy. */
  tests?: (e2e: OperatorE2E) => void;
  /**
   * What undeploy must also have taken, checked once the deploy tree is gone: the children the
   * garbage collector removes with the app's custom resources. Throws while any is left; retried
   * every 2 s for up to 120 s.
   */
  undeployed?: (e2e: OperatorE2E) => Promise<void>;
  /** Also test `nx run <app>:build-installer`: one `kubectl apply -f`, and `delete -f` removes it. */
  installer?: boolean;
}

/** Throws unless the object's Ready condition is True, naming it and its status. */
export function expectReady(obj: E2EObject): void {
  const ready = obj.status?.conditions?.find((c) => c.type === 'Ready');
  expect(ready?.status, `${obj.kind}/${obj.metadata.name}: ${JSON.stringify(obj.status)}`).toBe('True');
}

/** `kind.version.group` (kubectl's fully qualified resource, singular), `kind` for the core group. */
function qualified(obj: { apiVersion: string; kind: string }): string {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const singular = obj.kind.toLowerCase();
  return group ? `${singular}.${version}.${group}` : singular;
}

/**
 * An operator's end-to-end suite (kubebuilder's `make test-e2e`), as a user runs it: the image
 * built from the workspace Dockerfile and delivered to the cluster, `nx run <app>:deploy`, the
 * manager Available, running the image just built, with the hardened securityContext; the
 * samples applied (through the webhooks once they route) and each checked; the app's own tests;
 * no manager restart; `nx run <app>:undeploy` leaving nothing of the tree. Runs against the
 * current kubeconfig's cluster and fails, saying why, when it has no Ready node. Call it at the
 * top level of `apps/<app>/e2e/<app>.spec.ts`.
 */
export function describeOperatorE2E(opts: OperatorE2EOptions): void {
  const { root, app } = opts;
  let cluster: E2ECluster | undefined;
  let tree: OperatorTree | undefined;
  let namespace: string | undefined;
  let deployed = false;

  const e2e: OperatorE2E = {
    root,
    app,
    get cluster() {
      if (!cluster) throw new Error('the e2e cluster is not connected (beforeAll failed)');
      return cluster;
    },
    get tree() {
      if (!tree) throw new Error(`deploy/${app} was not rendered (beforeAll failed)`);
      return tree;
    },
    get namespace() {
      if (!namespace) throw new Error(`${app} was not deployed (beforeAll failed)`);
      return namespace;
    },
    async get(resource, name) {
      const kind = typeof resource === 'string' ? resource : qualified(resource);
      return JSON.parse(
        await kubectlOk(e2e.cluster, ['get', '-n', e2e.namespace, kind, name, '-o', 'json']),
      ) as E2EObject;
    },
    async listOwned(resource, owner) {
      const list = JSON.parse(await kubectlOk(e2e.cluster, ['get', '-n', e2e.namespace, resource, '-o', 'json'])) as {
        items: E2EObject[];
      };
      return list.items.filter((o) =>
        o.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid),
      );
    },
  };
  const managerPods = () => listPods(e2e.cluster, e2e.tree.manager.namespace, e2e.tree.manager.selector);
  const samplesDir = join(root, 'deploy', app, 'samples');

  beforeAll(async () => {
    cluster = await step('cluster: current kubeconfig, a Ready node', () => connectCluster());
    tree = await renderOperatorTree(root, app);
    for (const image of [...(opts.images?.(tree) ?? []), { app, tag: tree.manager.container.image }])
      await step(`image ${image.tag} (build + deliver)`, () => buildAppImage(root, image.app, image.tag, cluster!));
    if (
      (
        await kubectlOk(cluster, ['get', 'namespace', tree.manager.namespace, '--ignore-not-found', '-o', 'name'])
      ).trim()
    )
      // Same tag, unchanged spec: a leftover Deployment would keep running the previous image.
      await step('undeploy what an earlier run left', () => runNxTarget(root, `${app}:undeploy`, cluster!));
    await step(`nx run ${app}:deploy`, () => runNxTarget(root, `${app}:deploy`, cluster!));
    deployed = true;
    namespace = opts.namespaced ? tree.manager.namespace : await createTestNamespace(cluster, `${app}-e2e-`);
  });

  afterAll(async () => {
    try {
      if (cluster && deployed && !process.env.E2E_KEEP) await runNxTarget(root, `${app}:undeploy`, cluster);
    } finally {
      await cluster?.stop();
      console.log(`\n${app} e2e steps:\n${stepReport()}`);
    }
  });

  describe(`${app} on a real cluster`, () => {
    it('the manager Deployment is Available, runs the image just built, with the hardened securityContext', async () => {
      const pods = await step('manager Available', () =>
        waitForDeploymentAvailable(e2e.cluster, e2e.tree.manager.namespace, e2e.tree.manager.name),
      );
      expect(pods).toHaveLength(1);
      const [pod] = pods as [PodLike];
      expect(hardeningProblems(pod.spec)).toEqual([]);
      expect(pod.spec.containers[0]).toMatchObject({ image: e2e.tree.manager.container.image });
      console.log(
        `manager pod ${pod.metadata.name} securityContext: pod ${JSON.stringify(pod.spec.securityContext)}; ` +
          `container ${JSON.stringify((pod.spec.containers[0] as { securityContext?: unknown }).securityContext)}`,
      );
    });

    it(opts.samplesTitle ?? 'every sample becomes Ready', async () => {
      const rendered = loadManifests(await kubectlOk(e2e.cluster, ['kustomize', samplesDir])) as E2EObject[];
      const names = rendered.map((s) => `${s.kind}/${s.metadata.name}`);
      if (opts.expectSamples) expect(names.sort()).toEqual([...opts.expectSamples].sort());
      else expect(names.length, `no sample in ${samplesDir}: nx g @kubeloop/nx:api adds one`).toBeGreaterThan(0);
      const samples = opts.prepareSamples ? opts.prepareSamples(rendered) : rendered;
      await step(
        `samples applied (kubectl apply -k deploy/${app}/samples${opts.prepareSamples ? ', prepared' : ''})`,
        () =>
          applyThroughWebhooks(e2e.cluster, ['-n', e2e.namespace, '-f', '-'], {
            input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: samples }),
          }),
      );
      const check = opts.checkSample ?? expectReady;
      await step('samples reconciled', () =>
        eventually(
          async () => {
            for (const sample of samples) await check(await e2e.get(sample, sample.metadata.name), e2e);
          },
          { timeout: opts.samplesTimeout ?? 120_000, interval: 1000 },
        ),
      );
    });

    opts.tests?.(e2e);

    it('the manager never restarted', async () => {
      const pods = await managerPods();
      expect(pods.length, describePods(pods)).toBeGreaterThan(0);
      for (const p of pods)
        for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, describePods(pods)).toBe(0);
    });

    it(`nx run ${app}:undeploy removes everything deploy created`, async () => {
      await step(`nx run ${app}:undeploy`, () => runNxTarget(root, `${app}:undeploy`, e2e.cluster));
      deployed = false;
      await step('deploy tree gone', () => waitForTreeGone(root, e2e.tree, e2e.cluster));
      expect((await managerPods()).map((p) => p.metadata.name)).toEqual([]);
      const undeployed = opts.undeployed;
      if (undeployed)
        await step('children of the samples garbage-collected', () =>
          eventually(() => undeployed(e2e), { timeout: 120_000, interval: 2000 }),
        );
    });

    if (opts.installer)
      it(`nx run ${app}:build-installer writes dist/${app}/install.yaml; one kubectl apply -f installs it, delete -f removes it`, async () => {
        await step(`nx run ${app}:build-installer`, () => runNxTarget(root, `${app}:build-installer`, e2e.cluster));
        const file = join(root, 'dist', app, 'install.yaml');
        await step(`kubectl apply -f dist/${app}/install.yaml`, () => kubectlOk(e2e.cluster, ['apply', '-f', file]));
        deployed = true;
        const pods = await step('installed manager Available', () =>
          waitForDeploymentAvailable(e2e.cluster, e2e.tree.manager.namespace, e2e.tree.manager.name),
        );
        expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
        await step(`kubectl delete -f dist/${app}/install.yaml`, () =>
          kubectlOk(e2e.cluster, ['delete', '-f', file, '--ignore-not-found', '--wait', '--timeout', '180s']),
        );
        deployed = false;
        await waitForTreeGone(root, e2e.tree, e2e.cluster);
      });
  });
}
