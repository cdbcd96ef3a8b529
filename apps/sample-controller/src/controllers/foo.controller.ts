import { reportStatus, resultOf, syncOwnedChildren } from '@kubeloop/reconcile';
import { controllerFor, Deployment, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Foo } from '../api/v1alpha1/foo.ts';
import { applyDeployment, deploymentMatches, desiredDeployments } from '../desired/deployment.ts';
import { fooStatus } from '../status/foo-status.ts';

/** Upstream's event reasons and messages (kubernetes/sample-controller controller.go). */
export const SUCCESS_SYNCED = 'Synced';
export const MESSAGE_RESOURCE_SYNCED = 'Foo synced successfully';
export const ERR_RESOURCE_EXISTS = 'ErrResourceExists';
export const messageResourceExists = (name: string) => `Resource "${name}" already exists and is not managed by Foo`;

/**
 * Upstream sample-controller's sync, writing only what changed: a Foo gets the Deployment
 * `spec.deploymentName` (created as newDeployment, controlled by the Foo, so the garbage
 * collector removes it with the Foo), whose replicas are put back when they drift; a Deployment
 * of that name the Foo does not control is left alone with upstream's Warning; the Foo's
 * `status.availableReplicas` mirrors the Deployment's. Where upstream writes every sync (status
 * always, a whole-Deployment Update on any replicas change, the Synced event each time, also on
 * the 30 s resync), this writes a field only when it differs and records Synced only when the
 * sync wrote something: a settled Foo costs no request. A Deployment no longer named by the Foo
 * stays, as upstream leaves it.
 */
export async function reconcileFoo(req: Request, ctx: ReconcileContext): Promise<Result> {
  const foo = ctx.cache.reader(Foo).get(req.namespace, req.name);
  if (!foo || foo.metadata.deletionTimestamp) return done(); // its Deployment goes with it (GC)
  const desired = desiredDeployments(foo);
  if (desired.length === 0) {
    // Upstream absorbs this: the next edit of the Foo wakes the controller again.
    ctx.log.info({ foo: req.name }, 'Deployment name missing from object reference');
    return done();
  }
  const deployments = await syncOwnedChildren(ctx, foo, Deployment, desired, {
    apply: applyDeployment,
    matches: deploymentMatches,
    prune: false,
    adopt: false,
    conflictEvent: (name) => ({ reason: ERR_RESOURCE_EXISTS, message: messageResourceExists(name) }),
  });
  const deployment = deployments.children.get(desired[0]!.name);
  if (!deployment) return resultOf(deployments); // someone else's: no status, as upstream
  const { written } = await reportStatus(ctx, Foo, foo, () => fooStatus(deployment));
  if (written || deployments.created.length > 0 || deployments.updated.length > 0)
    ctx.events.normal(foo, SUCCESS_SYNCED, MESSAGE_RESOURCE_SYNCED);
  return resultOf(deployments);
}

/**
 * Reconciles are two requests at most (the Deployment write, the status write), waiting on the
 * server rather than the CPU: 16 workers keep as many writes in flight as a user's `kubectl
 * apply` of many Foos sends (upstream runs 2 workers behind client-go's 5 QPS/10 burst limit).
 */
export const fooController = controllerFor(Foo)
  .owns(Deployment)
  .named('foo')
  .withConcurrency(16)
  .complete(reconcileFoo);
