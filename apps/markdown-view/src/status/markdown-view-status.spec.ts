import type { ConfigMap, Deployment, Service } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { sampleView } from '../test-fixtures.test-helpers.ts';
import { markdownViewStatus, type ViewerChildren } from './markdown-view-status.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');
const cm: ConfigMap = { metadata: { name: 'markdowns-book', namespace: 'docs' } };
const svc: Service = { metadata: { name: 'viewer-book', namespace: 'docs' } };
const deployment = (status: Deployment['status'], generation = 1): Deployment => ({
  metadata: { name: 'viewer-book', namespace: 'docs', generation },
  status,
});
const all = (d: Deployment | undefined): ViewerChildren => ({ configMap: cm, deployment: d, service: svc });
const condition = (status: ReturnType<typeof markdownViewStatus>, type: string) =>
  status.conditions!.find((c) => c.type === type)!;

describe('markdownViewStatus', () => {
  it('is not Available before the Deployment has an available pod', () => {
    const s = markdownViewStatus(
      sampleView(),
      all(deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0 })),
      T0,
    );
    expect(condition(s, 'Available')).toMatchObject({
      status: 'False',
      reason: 'DeploymentUnavailable',
      observedGeneration: 2,
    });
    expect(condition(s, 'Progressing')).toMatchObject({ status: 'True', reason: 'RollingOut' });
    expect(condition(s, 'Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected', message: '' });
    expect(s).toMatchObject({ replicas: 2, availableReplicas: 0, observedGeneration: 2 });
  });

  it('is Available with one available pod and done progressing when all are', () => {
    const partly = markdownViewStatus(
      sampleView(),
      all(deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 })),
      T0,
    );
    expect(condition(partly, 'Available')).toMatchObject({
      status: 'True',
      reason: 'DeploymentAvailable',
      message: '1 of 2 viewer pods available',
    });
    expect(condition(partly, 'Progressing').status).toBe('True');
    const done = markdownViewStatus(
      sampleView(),
      all(deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })),
      T0,
    );
    expect(condition(done, 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutComplete' });
  });

  it('names a missing child in Degraded and Available', () => {
    const s = markdownViewStatus(sampleView(), { configMap: cm, deployment: undefined, service: svc }, T0);
    expect(condition(s, 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'DeploymentMissing',
      message: 'Deployment not found: viewer-book',
    });
    expect(condition(s, 'Available')).toMatchObject({ status: 'False', reason: 'DeploymentMissing' });
    expect(condition(s, 'Progressing')).toMatchObject({ status: 'True', reason: 'CreatingChildren' });
  });

  it('treats a child being deleted as missing and lists several', () => {
    const terminating: Service = { metadata: { ...svc.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const s = markdownViewStatus(
      sampleView(),
      { configMap: undefined, deployment: deployment({}), service: terminating },
      T0,
    );
    expect(condition(s, 'Degraded').reason).toBe('ConfigMapMissing');
    expect(condition(s, 'Degraded').message).toBe(
      'ConfigMap not found: markdowns-book; Service viewer-book is being deleted; it is recreated once it is gone',
    );
  });

  it('reports a failing rollout as Degraded', () => {
    const d = deployment({
      observedGeneration: 1,
      replicas: 2,
      availableReplicas: 0,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "viewer-book-1" has timed out progressing.',
        },
      ],
    });
    const s = markdownViewStatus(sampleView(), all(d), T0);
    expect(condition(s, 'Degraded')).toMatchObject({ status: 'True', reason: 'DeploymentProgressDeadlineExceeded' });
    expect(condition(s, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'DeploymentProgressDeadlineExceeded',
    });
  });

  it('counts a rollout of an older Deployment generation as still progressing', () => {
    const s = markdownViewStatus(
      sampleView(),
      all(deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, 2)),
      T0,
    );
    expect(condition(s, 'Progressing').status).toBe('True');
  });

  it('keeps lastTransitionTime unless a status flips, so an unchanged world gives an identical status', () => {
    const ready = all(deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }));
    const first = markdownViewStatus(sampleView(), ready, T0);
    const view = { ...sampleView(), status: first };
    expect(markdownViewStatus(view, ready, T1)).toEqual(first);
    const lost = markdownViewStatus(view, { ...ready, deployment: undefined }, T1);
    expect(condition(lost, 'Available').lastTransitionTime).toBe('2026-01-01T00:05:00Z');
    expect(condition(lost, 'Degraded').lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('a child the API server refuses is named with its words: Degraded, not Progressing (only a spec change helps)', () => {
    const message =
      'Service "viewer-book" is invalid: metadata.name: Invalid value: "viewer-book": must be no more than 63 characters';
    const s = markdownViewStatus(
      sampleView(),
      {
        configMap: cm,
        deployment: deployment({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
        service: undefined,
        refused: new Map([['viewer-book', { name: 'viewer-book', verb: 'create' as const, message }]]),
      },
      T0,
    );
    const expected = {
      status: 'False',
      reason: 'FailedCreate',
      message: `cannot create Service viewer-book: ${message}`,
    };
    expect(condition(s, 'Available')).toMatchObject(expected);
    expect(condition(s, 'Progressing')).toMatchObject(expected);
    expect(condition(s, 'Degraded')).toMatchObject({ ...expected, status: 'True' });
  });
});
