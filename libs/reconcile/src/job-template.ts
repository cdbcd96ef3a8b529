import type { Job, JobTemplateSpec } from '@kubeloop/runtime';

/**
 * Fills a Job that does not exist yet from a JobTemplateSpec, as a CronJob does: the template's
 * labels and annotations (plus `annotations`, e.g. when it was scheduled) and a copy of its spec.
 * Leaves a Job that exists (it has a uid) alone: a Job's template is immutable, and a Job made
 * for an earlier run stays as it was made. Use it as syncOwnedChildren's `apply`.
 */
export function applyJobTemplate(job: Job, template: JobTemplateSpec, annotations: Record<string, string> = {}): void {
  if (job.metadata.uid) return;
  const labels = { ...template.metadata?.labels, ...job.metadata.labels };
  if (Object.keys(labels).length) job.metadata.labels = labels;
  const all = { ...template.metadata?.annotations, ...annotations };
  if (Object.keys(all).length) job.metadata.annotations = all;
  job.spec = structuredClone(template.spec ?? {}) as NonNullable<Job['spec']>;
}
