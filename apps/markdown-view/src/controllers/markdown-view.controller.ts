import { findCondition, reportStatus, resultOf, syncOwnedChildren, type Condition } from '@kubeloop/reconcile';
import {
  ConfigMap,
  controllerFor,
  Deployment,
  done,
  Service,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeloop/runtime';
import { MarkdownView } from '../api/v1/markdown-view.ts';
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
import { markdownViewStatus } from '../status/markdown-view-status.ts';

export interface MarkdownViewControllerOptions {
  /** Image for views whose spec.viewerImage is empty (webhooks off or an old object). */
  defaultViewerImage?: string;
  /** The `markdownview_available` gauge; absent when only the permissions are wanted. */
  availability?: AvailabilityMetric;
}

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

    // One child of each kind, in the order a reader would create them: the book, its server,
    // the Service in front.
    const cmName = configMapName(req.name);
    const name = viewerName(req.name);
    const configMaps = await syncOwnedChildren(ctx, view, ConfigMap, [{ name: cmName }], {
      apply: (cm) => applyConfigMap(cm, view),
    });
    const deployments = await syncOwnedChildren(ctx, view, Deployment, [{ name }], {
      apply: (d) => applyDeployment(d, view, viewerImage(view, fallbackImage)),
    });
    const services = await syncOwnedChildren(ctx, view, Service, [{ name }], {
      apply: (s) => applyService(s, view),
    });
    const children = {
      configMap: configMaps.children.get(cmName),
      deployment: deployments.children.get(name),
      service: services.children.get(name),
      refused: new Map([configMaps, deployments, services].flatMap((sync) => sync.invalid.map((p) => [p.name, p]))),
    };

    const { status } = await reportStatus(ctx, MarkdownView, view, (current) => markdownViewStatus(current, children), {
      warning: badNews,
    });
    options.availability?.set(
      req.namespace,
      req.name,
      findCondition(status.conditions, 'Available')?.status === 'True',
    );
    return resultOf(configMaps, deployments, services);
  };
}

/**
 * Which condition changes `kubectl describe mdv` shows as Warnings: the book became degraded,
 * or stopped being available (its first Available=False, while children are being created, is
 * not news).
 */
function badNews(after: Condition, before: Condition | undefined): boolean {
  return (
    (after.type === 'Degraded' && after.status === 'True') ||
    (after.type === 'Available' && after.status === 'False' && before !== undefined)
  );
}

export function markdownViewController(options: MarkdownViewControllerOptions = {}) {
  return controllerFor(MarkdownView)
    .owns(ConfigMap)
    .owns(Deployment)
    .owns(Service)
    .named('markdownview')
    .complete(reconcileMarkdownView(options));
}
