import {
  AlreadyOwnedError,
  createOrUpdate,
  findCondition,
  setControllerReference,
  updateStatusIfChanged,
  type Condition,
} from '@kubeloop/reconcile';
import {
  ConfigMap,
  controllerFor,
  Deployment,
  done,
  requeueAfter,
  Service,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeloop/runtime';
import { MarkdownView, type MarkdownViewObject } from '../api/v1/markdown-view.ts';
import {
  applyConfigMap,
  applyDeployment,
  applyService,
  configMapName,
  DEFAULT_VIEWER_IMAGE,
  viewerImage,
  viewerName,
} from '../desired/viewer.ts';
import type { AvailabilityMetric } from '../metrics/availability.ts';
import { markdownViewStatus, type ViewerChildren } from '../status/markdown-view-status.ts';

export interface MarkdownViewControllerOptions {
  /** Image for views whose spec.viewerImage is empty (webhooks off or an old object). */
  defaultViewerImage?: string;
  /** The `markdownview_available` gauge; absent when only the permissions are wanted. */
  availability?: AvailabilityMetric;
}

/** While a child's name is taken by an object someone else controls, look again this often. */
const CONFLICT_RETRY_MS = 30_000;

/**
 * Keeps a MarkdownView's three children (ConfigMap `markdowns-<name>`, Deployment and Service
 * `viewer-<name>`) as the spec says and reports what exists in status. Children carry a
 * controller ownerReference, so the garbage collector removes them with the view, and their own
 * changes requeue the view (`owns`): a deleted child is recreated, an edited one put back.
 */
export function reconcileMarkdownView(options: MarkdownViewControllerOptions = {}) {
  const fallbackImage = options.defaultViewerImage ?? DEFAULT_VIEWER_IMAGE;
  return async function reconcile(req: Request, ctx: ReconcileContext): Promise<Result> {
    const view = ctx.cache.reader(MarkdownView).get(req.namespace, req.name);
    if (!view) {
      // Gone: the gauge must not keep reporting a book that no longer exists.
      options.availability?.remove(req.namespace, req.name);
      return done();
    }
    if (view.metadata.deletionTimestamp) return done();

    const children: ViewerChildren = { configMap: undefined, deployment: undefined, service: undefined };
    let conflicts = 0;
    const ensure = async <T extends { metadata: { name?: string } }>(
      kindName: string,
      name: string,
      write: () => Promise<{ result: 'created' | 'updated' | 'unchanged'; object: T }>,
    ): Promise<T | undefined> => {
      try {
        const { result, object } = await write();
        if (result !== 'unchanged') {
          ctx.events.normal(view, result === 'created' ? 'Created' : 'Updated', `${result} ${kindName} ${name}`);
          ctx.log.info({ child: `${kindName}/${name}`, result }, `${result} ${kindName}`);
        }
        return object;
      } catch (error) {
        if (!(error instanceof AlreadyOwnedError)) throw error;
        conflicts++;
        ctx.events.warning(view, 'ChildConflict', error.message);
        return undefined;
      }
    };

    const cmName = configMapName(req.name);
    children.configMap = await ensure('ConfigMap', cmName, () =>
      createOrUpdate(ctx, ConfigMap, { namespace: req.namespace, name: cmName }, (cm) => {
        setControllerReference(view, cm);
        applyConfigMap(cm, view);
      }),
    );
    const name = viewerName(req.name);
    children.deployment = await ensure('Deployment', name, () =>
      createOrUpdate(ctx, Deployment, { namespace: req.namespace, name }, (d) => {
        setControllerReference(view, d);
        applyDeployment(d, view, viewerImage(view, fallbackImage));
      }),
    );
    children.service = await ensure('Service', name, () =>
      createOrUpdate(ctx, Service, { namespace: req.namespace, name }, (s) => {
        setControllerReference(view, s);
        applyService(s, view);
      }),
    );

    const status = markdownViewStatus(view, children);
    const written = await updateStatusIfChanged(ctx, MarkdownView, view, status);
    if (written) recordTransitions(ctx, view, status.conditions ?? []);
    options.availability?.set(
      req.namespace,
      req.name,
      findCondition(status.conditions, 'Available')?.status === 'True',
    );
    return conflicts > 0 ? requeueAfter(CONFLICT_RETRY_MS) : done();
  };
}

/**
 * One event per condition whose status changed, including its first appearance, so
 * `kubectl describe mdv` tells when the book became available or degraded. Emitted after the
 * status write: a failed write emits nothing, and the retry decides again.
 */
function recordTransitions(ctx: ReconcileContext, view: MarkdownViewObject, after: readonly Condition[]): void {
  for (const condition of after) {
    const before = findCondition(view.status?.conditions as Condition[] | undefined, condition.type);
    if (before?.status === condition.status) continue;
    const bad =
      (condition.type === 'Degraded' && condition.status === 'True') ||
      (condition.type === 'Available' && condition.status === 'False' && before !== undefined);
    const message = `${condition.type} is ${condition.status}${condition.message ? `: ${condition.message}` : ''}`;
    if (bad) ctx.events.warning(view, condition.reason, message);
    else ctx.events.normal(view, condition.reason, message);
  }
}

export function markdownViewController(options: MarkdownViewControllerOptions = {}) {
  return controllerFor(MarkdownView)
    .owns(ConfigMap)
    .owns(Deployment)
    .owns(Service)
    .named('markdownview')
    .complete(reconcileMarkdownView(options));
}
