import { reportStatus, setCondition } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Foo } from '../api/v1alpha1/foo.ts';

/**
 * Makes the world match a Foo's spec, then reports it. Level-based: it is never told why
 * it runs, so it reads the object and acts on what is, not on what changed.
 *
 * TODO(user): create or update what the Foo describes (children with a controller
 * reference — syncOwnedChildren or createOrUpdate from @kubeloop/reconcile — declared with
 * `.owns(Kind)` below so their changes wake this controller), and compute Ready from them.
 */
export async function reconcileFoo(req: Request, ctx: ReconcileContext): Promise<Result> {
  const foo = ctx.cache.reader(Foo).get(req.namespace, req.name);
  if (!foo || foo.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, Foo, foo, (current) => ({
    ...current.status,
    observedGeneration: current.metadata.generation,
    conditions: setCondition(current.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'the Foo is reconciled',
      observedGeneration: current.metadata.generation,
    }),
  }));
  return done();
}

export const fooController = controllerFor(Foo).named('foo').complete(reconcileFoo);
