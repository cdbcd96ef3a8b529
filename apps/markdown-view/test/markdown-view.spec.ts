import { request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { createTestNamespace, eventually } from '@kubeloop/envtest';
import { ConfigMap, Deployment, Event, Pod, Service, type ApiError, type KubeObject } from '@kubeloop/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarkdownView, type MarkdownViewObject } from '../src/api/v1/markdown-view.ts';
import { newView, startMarkdownView, TEST_VIEWER_IMAGE, type MarkdownViewEnv } from './harness.ts';

const T = { timeout: 20_000 };
let env: MarkdownViewEnv;

beforeAll(async () => {
  env = await startMarkdownView();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const views = () => env.client.resource(MarkdownView);
const configMaps = () => env.client.resource(ConfigMap);
const deployments = () => env.client.resource(Deployment);
const services = () => env.client.resource(Service);

const LABELS = (name: string) => ({
  'app.kubernetes.io/name': 'markdown-viewer',
  'app.kubernetes.io/instance': name,
  'app.kubernetes.io/managed-by': 'markdown-view',
});

const condition = (view: MarkdownViewObject | undefined, type: string) =>
  view?.status?.conditions?.find((c) => c.type === type);

/** Waits until the getter returns an object (eventually retries only on a throw). */
function present<T>(get: () => Promise<T | undefined>): Promise<T> {
  return eventually(async () => {
    const value = await get();
    if (value === undefined) throw new Error('not there yet');
    return value;
  }, T);
}

async function createView(
  ns: string,
  name: string,
  spec: Partial<MarkdownViewObject['spec']> = {},
): Promise<MarkdownViewObject> {
  return views().create(newView(ns, name, spec));
}

function expectOwnedBy(child: KubeObject, view: MarkdownViewObject): void {
  expect(child.metadata.labels).toMatchObject(LABELS(view.metadata.name!));
  expect(child.metadata.ownerReferences).toEqual([
    {
      apiVersion: 'view.kubebuilder.example.com/v1',
      kind: 'MarkdownView',
      name: view.metadata.name,
      uid: view.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
}

async function refused(write: Promise<unknown>): Promise<ApiError> {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e as ApiError,
  );
  expect(error, 'the write should have been refused').toBeDefined();
  return error!;
}

describe('MarkdownView children', () => {
  it('creates the ConfigMap, Deployment and Service with names, labels, owner references, image, port, mount, probes and security context', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-children-');
    const view = await createView(ns, 'book', { replicas: 2 });

    const cm = await present(() => configMaps().get(ns, 'markdowns-book'));
    expectOwnedBy(cm, view);
    expect(cm.data).toEqual(view.spec.markdowns);

    const d = await present(() => deployments().get(ns, 'viewer-book'));
    expectOwnedBy(d, view);
    expect(d.spec!.replicas).toBe(2);
    const pod = d.spec!.template.spec!;
    const [c] = pod.containers;
    expect(c).toMatchObject({
      name: 'viewer',
      image: TEST_VIEWER_IMAGE,
      ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
      volumeMounts: [{ name: 'markdowns', mountPath: '/book/src', readOnly: true }],
      readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    });
    expect(c!.resources!.requests).toBeDefined();
    expect(pod.volumes).toEqual([{ name: 'markdowns', configMap: { name: 'markdowns-book', defaultMode: 420 } }]);
    expect(d.spec!.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'markdown-viewer',
      'app.kubernetes.io/instance': 'book',
    });

    const svc = await present(() => services().get(ns, 'viewer-book'));
    expectOwnedBy(svc, view);
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      selector: d.spec!.selector.matchLabels,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });

    const settled = await eventually(async () => {
      const v = (await views().get(ns, 'book'))!;
      expect(v.status?.observedGeneration).toBe(v.metadata.generation);
      return v;
    }, T);
    expect(settled.status!.conditions!.map((x) => x.type).sort()).toEqual(['Available', 'Degraded', 'Progressing']);
  });

  it('keeps the ConfigMap equal to spec.markdowns through edits, removed pages included', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-pages-');
    await createView(ns, 'book');
    await eventually(
      async () => expect((await configMaps().get(ns, 'markdowns-book'))?.data).toHaveProperty('page2.md'),
      T,
    );

    const markdowns = {
      'SUMMARY.md': '# Summary\n\n- [Page 1](page1.md)\n- [Page 3](page3.md)\n',
      'page1.md': '# Page 1, edited\n',
      'page3.md': '# Page 3\n',
    };
    // Read-modify-write, as kubectl edit does: the controller may write the status in between
    // (a 409 Conflict), and then the edit is made again on the fresh object.
    await eventually(async () => {
      const current = (await views().get(ns, 'book'))!;
      await views().update({ ...current, spec: { ...current.spec, markdowns } });
    }, T);
    await eventually(async () => expect((await configMaps().get(ns, 'markdowns-book'))?.data).toEqual(markdowns), T);
  });

  it('follows spec.replicas', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-replicas-');
    await createView(ns, 'book');
    await eventually(async () => expect((await deployments().get(ns, 'viewer-book'))?.spec?.replicas).toBe(1), T);
    await views().patch(ns, 'book', { spec: { replicas: 4 } }, 'merge');
    await eventually(async () => expect((await deployments().get(ns, 'viewer-book'))?.spec?.replicas).toBe(4), T);
  });

  it('restores a deleted child and puts back an edited one', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-heal-');
    await createView(ns, 'book');
    const svc = await present(() => services().get(ns, 'viewer-book'));
    const cm = await present(() => configMaps().get(ns, 'markdowns-book'));
    await eventually(async () => expect(await deployments().get(ns, 'viewer-book')).toBeDefined(), T);

    await services().delete(ns, 'viewer-book');
    await eventually(
      async () => expect((await services().get(ns, 'viewer-book'))?.metadata.uid).not.toBe(svc.metadata.uid),
      T,
    );
    await eventually(async () => expect(await services().get(ns, 'viewer-book')).toBeDefined(), T);

    await configMaps().patch(ns, 'markdowns-book', { data: { 'SUMMARY.md': 'vandalized', 'extra.md': 'x' } }, 'merge');
    await eventually(async () => expect((await configMaps().get(ns, 'markdowns-book'))?.data).toEqual(cm.data), T);

    await deployments().patch(ns, 'viewer-book', { spec: { replicas: 5 } }, 'merge');
    await eventually(async () => expect((await deployments().get(ns, 'viewer-book'))?.spec?.replicas).toBe(1), T);
  });

  it('reports Available False with a reason before the Deployment is available, True after', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-available-');
    env.cp.local?.setDeploymentSimulation(false);
    try {
      await createView(ns, 'book');
      const before = await eventually(async () => {
        const v = (await views().get(ns, 'book'))!;
        expect(condition(v, 'Available')).toMatchObject({ status: 'False', reason: 'DeploymentUnavailable' });
        return v;
      }, T);
      expect(condition(before, 'Progressing')?.status).toBe('True');
      expect(env.availability.value(ns, 'book')).toBe(0);
    } finally {
      env.cp.local?.setDeploymentSimulation(true);
    }
    if (!env.cp.local) {
      // A bare control plane has no kubelet: play its part and report the viewer pod ready;
      // kube-controller-manager then counts it available, as it would in a cluster.
      const pods = await present(async () => {
        const list = (
          await env.client.resource(Pod).list({ namespace: ns, labelSelector: 'app.kubernetes.io/instance=book' })
        ).items;
        return list.length > 0 ? list : undefined;
      });
      const now = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      for (const pod of pods) {
        await env.client.resource(Pod).patchStatus(
          ns,
          pod.metadata.name!,
          {
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
              containerStatuses: [
                {
                  name: 'viewer',
                  ready: true,
                  restartCount: 0,
                  image: TEST_VIEWER_IMAGE,
                  imageID: '',
                  started: true,
                  state: { running: { startedAt: now } },
                },
              ],
            },
          },
          'merge',
        );
      }
    }
    const after = await eventually(async () => {
      const v = (await views().get(ns, 'book'))!;
      expect(condition(v, 'Available')).toMatchObject({ status: 'True', reason: 'DeploymentAvailable' });
      return v;
    }, T);
    expect(condition(after, 'Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected' });
    expect(env.availability.value(ns, 'book')).toBe(1);
    expect(await env.mgr.registry.metrics()).toContain(`markdownview_available{name="book",namespace="${ns}"} 1`);
  });

  it('names a missing child in Degraded while it cannot be recreated, and recovers', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-degraded-');
    await createView(ns, 'book');
    await eventually(async () => expect(await deployments().get(ns, 'viewer-book')).toBeDefined(), T);
    // A foreign finalizer keeps the deleted Deployment around (deletionTimestamp set): the
    // controller cannot recreate it until the finalizer goes.
    await deployments().patch(ns, 'viewer-book', { metadata: { finalizers: ['test.kubeloop.dev/hold'] } }, 'merge');
    await deployments().delete(ns, 'viewer-book');
    await eventually(async () => {
      const v = (await views().get(ns, 'book'))!;
      expect(condition(v, 'Degraded')).toMatchObject({ status: 'True', reason: 'DeploymentMissing' });
      expect(condition(v, 'Degraded')!.message).toContain('Deployment viewer-book is being deleted');
      expect(condition(v, 'Available')).toMatchObject({ status: 'False', reason: 'DeploymentMissing' });
    }, T);
    await deployments().patch(ns, 'viewer-book', { metadata: { finalizers: null } }, 'merge');
    await eventually(async () => {
      const v = (await views().get(ns, 'book'))!;
      expect(condition(v, 'Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected' });
      expect((await deployments().get(ns, 'viewer-book'))?.metadata.deletionTimestamp).toBeUndefined();
    }, T);
  });

  it('writes nothing once settled: a reconcile of an unchanged view leaves every child and the status as they are', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-quiet-');
    await createView(ns, 'book');
    const settled = await eventually(async () => {
      const v = (await views().get(ns, 'book'))!;
      expect(v.status?.observedGeneration).toBe(v.metadata.generation);
      expect(condition(v, 'Progressing')?.status).toBe(env.cp.local ? 'False' : 'True');
      // Settled = the Deployment has its Pod (on a real cluster the ReplicaSet creates it a moment later).
      expect(v.status?.replicas).toBe(1);
      return v;
    }, T);
    // A real cluster's deployment controller keeps writing the Deployment's status (new RVs that
    // are not ours), so the Deployment is compared by everything the operator writes instead.
    const versions = async () => {
      const d = (await deployments().get(ns, 'viewer-book'))!;
      const { generation, labels, annotations, ownerReferences } = d.metadata;
      return [
        (await configMaps().get(ns, 'markdowns-book'))!.metadata.resourceVersion,
        JSON.stringify({ generation, labels, annotations, ownerReferences, spec: d.spec }),
        (await services().get(ns, 'viewer-book'))!.metadata.resourceVersion,
      ];
    };
    const before = await versions();
    // Every reconcile ends by setting the gauge: count the ones for this view.
    let reconciles = 0;
    const original = env.availability.set.bind(env.availability);
    env.availability.set = (namespace, name, available) => {
      if (namespace === ns && name === 'book') reconciles++;
      original(namespace, name, available);
    };
    try {
      // An annotation change is an update event for the view: the controller reconciles it again.
      await views().patch(ns, 'book', { metadata: { annotations: { 'example.com/touch': '1' } } }, 'merge');
      await eventually(() => expect(reconciles).toBeGreaterThanOrEqual(1), T);
    } finally {
      env.availability.set = original;
    }
    expect(await versions()).toEqual(before);
    expect((await views().get(ns, 'book'))!.status).toEqual(settled.status);
  });

  it('records events for created children and condition transitions', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-events-');
    await createView(ns, 'book');
    await eventually(async () => {
      const events = (await env.client.resource(Event).list({ namespace: ns })).items.filter(
        (e) => e.involvedObject.name === 'book',
      );
      const lines = events.map((e) => `${e.type} ${e.reason} ${e.message}`);
      expect(lines).toEqual(
        expect.arrayContaining([
          'Normal Created created ConfigMap markdowns-book',
          'Normal Created created Deployment viewer-book',
          'Normal Created created Service viewer-book',
          expect.stringMatching(/^Normal \w+ Available is (True|False)/),
          expect.stringMatching(/^Normal AsExpected Degraded is False/),
        ]),
      );
      expect(events.every((e) => e.involvedObject.kind === 'MarkdownView' && e.involvedObject.uid)).toBe(true);
    }, T);
  });

  it('removes the markdownview_available series when the MarkdownView is deleted', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-metric-');
    await createView(ns, 'book');
    await eventually(() => expect(env.availability.value(ns, 'book')).toBeDefined(), T);
    await views().delete(ns, 'book');
    await eventually(() => expect(env.availability.value(ns, 'book')).toBeUndefined(), T);
    expect(await env.mgr.registry.metrics()).not.toContain(`namespace="${ns}"`);
  });
});

describe('MarkdownView admission webhooks (through the API server)', () => {
  it('mmarkdownview.kb.io defaults spec.viewerImage', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-default-');
    const created = await createView(ns, 'book');
    expect(created.spec.viewerImage).toBe(TEST_VIEWER_IMAGE);
    const custom = await createView(ns, 'custom', { viewerImage: 'example/viewer:1' });
    expect(custom.spec.viewerImage).toBe('example/viewer:1');
    expect(created.spec.replicas).toBe(1); // the schema's default
  });

  it('vmarkdownview.kb.io refuses a missing SUMMARY.md with the exact message, on create and update', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-summary-');
    const error = await refused(createView(ns, 'nosummary', { markdowns: { 'page1.md': '# Page 1\n' } }));
    expect(error.code).toBe(422);
    expect(error.status.message).toBe(
      'admission webhook "vmarkdownview.kb.io" denied the request: MarkdownView.view.kubebuilder.example.com "nosummary" is invalid: spec.markdowns: Required value: markdowns must have SUMMARY.md.',
    );
    const ok = await createView(ns, 'ok');
    const update = await refused(views().update({ ...ok, spec: { ...ok.spec, markdowns: { 'page1.md': 'x' } } }));
    expect(update.status.message).toContain('spec.markdowns: Required value: markdowns must have SUMMARY.md.');
  });

  it('refuses replicas 100 (the schema carries the bounds, so it answers before the webhook)', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-replicas100-');
    const error = await refused(createView(ns, 'big', { replicas: 100 }));
    expect(error.code).toBe(422);
    expect(error.status.message).toContain('spec.replicas: Invalid value: 100');
  });

  it('admits a valid MarkdownView', async () => {
    const ns = await createTestNamespace(env.cp, 'mdv-valid-');
    const created = await createView(ns, 'fine', { replicas: 5 });
    expect(created.metadata.uid).toBeDefined();
  });

  it('the validating webhook reports replicas 100 and a missing SUMMARY.md together, with the exact messages', async () => {
    // The API server's schema check refuses replicas 100 before any validating webhook runs, so
    // both messages at once are checked on the webhook itself, with the AdmissionReview the API
    // server would send.
    const object = newView('default', 'broken', { replicas: 100, markdowns: { 'page1.md': 'x' } });
    const review = await postAdmissionReview('/validate-view-kubebuilder-example-com-v1-markdownview', object);
    expect(review.response).toMatchObject({ allowed: false, status: { code: 422, reason: 'Invalid' } });
    expect(review.response.status.message).toBe(
      'MarkdownView.view.kubebuilder.example.com "broken" is invalid: [spec.replicas: Invalid value: 100: replicas must be in the range of 1 to 5., spec.markdowns: Required value: markdowns must have SUMMARY.md.]',
    );
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the webhook's JSON reply: the tests assert on its shape
function postAdmissionReview(path: string, object: MarkdownViewObject): Promise<any> {
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: { group: 'view.kubebuilder.example.com', version: 'v1', kind: 'MarkdownView' },
      resource: { group: 'view.kubebuilder.example.com', version: 'v1', resource: 'markdownviews' },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation: 'CREATE',
      object,
      oldObject: null,
      dryRun: false,
    },
  });
  const url = new URL(path, env.webhookUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: env.caPem,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
