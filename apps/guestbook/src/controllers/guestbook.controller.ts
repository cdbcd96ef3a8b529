import { reportStatus } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Guestbook } from '../api/v1/guestbook.ts';
import { guestbookStatus } from '../status/guestbook-status.ts';

/**
 * Reports a Guestbook as reconciled for the generation it saw. Level-based: it is never told
 * why it runs, so it reads the object and acts on what is. It sees only the Guestbooks of the
 * namespace the manager watches (WATCH_NAMESPACE: the manager's cache, and its Role, cover that
 * namespace alone); a Guestbook elsewhere is never reconciled. Every bound of the spec is in the
 * schema, so the API server has refused a bad spec before this runs.
 */
export async function reconcileGuestbook(req: Request, ctx: ReconcileContext): Promise<Result> {
  const guestbook = ctx.cache.reader(Guestbook).get(req.namespace, req.name);
  if (!guestbook || guestbook.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, Guestbook, guestbook, guestbookStatus);
  return done();
}

export const guestbookController = controllerFor(Guestbook).named('guestbook').complete(reconcileGuestbook);
