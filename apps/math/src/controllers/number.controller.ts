import { reportStatus } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { NumberKind } from '../api/v1beta1/number.ts';
import { numberStatus } from '../status/number-status.ts';

/**
 * A Number has no children: its status (FizzBuzz, squareness) follows from its spec alone. The
 * Tuple that owns it learns of the new status through its `owns(Number)` watch.
 */
export async function reconcileNumber(req: Request, ctx: ReconcileContext): Promise<Result> {
  const number = ctx.cache.reader(NumberKind).get(req.namespace, req.name);
  if (!number || number.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, NumberKind, number, (current) => numberStatus(current));
  return done();
}

export const numberController = controllerFor(NumberKind).named('number').withConcurrency(4).complete(reconcileNumber);
