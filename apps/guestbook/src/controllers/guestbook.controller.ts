import { reportStatus, setCondition } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Guestbook } from '../api/v1/guestbook.ts';

/**
 * Makes the world match a Guestbook's spec, then reports it. Level-based: it is never told why
 * it runs, so it reads the object and acts on what is, not on what changed.
 *
 * TODO(user): create or update what the Guestbook describes (children with a controller
 * reference — syncOwnedChildren or createOrUpdate from @kubeloop/reconcile — declared with
 * `.owns(Kind)` below so their changes wake this controller), and compute Ready from them.
 */
export async function reconcileGuestbook(req: Request, ctx: ReconcileContext): Promise<Result> {
  const guestbook = ctx.cache.reader(Guestbook).get(req.namespace, req.name);
  if (!guestbook || guestbook.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, Guestbook, guestbook, (current) => ({
    ...current.status,
    observedGeneration: current.metadata.generation,
    conditions: setCondition(current.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'the Guestbook is reconciled',
      observedGeneration: current.metadata.generation,
    }),
  }));
  return done();
}

export const guestbookController = controllerFor(Guestbook).named('guestbook').complete(reconcileGuestbook);
