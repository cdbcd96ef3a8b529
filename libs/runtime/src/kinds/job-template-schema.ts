import { Type } from '@sinclair/typebox';

/**
 * The schema of a batch/v1 JobTemplateSpec inside a custom resource (a CronJob's `jobTemplate`),
 * for kinds that stamp Jobs. Its metadata keeps labels and annotations (controller-gen's bare
 * `type: object` would let the API server prune them); the Job spec needs a `template` and is
 * otherwise kept as written: the API server validates it when the Job is created, with the Job's
 * own messages, instead of the CRD carrying the ~4k lines of PodSpec schema.
 */
export function JobTemplateSchema(
  description = 'The Job to create: its metadata (labels, annotations) and batch/v1 JobSpec.',
) {
  return Type.Object(
    {
      metadata: Type.Optional(
        Type.Object({
          labels: Type.Optional(Type.Record(Type.String(), Type.String())),
          annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
        }),
      ),
      spec: Type.Object(
        { template: Type.Object({}, { 'x-kubernetes-preserve-unknown-fields': true }) },
        {
          'x-kubernetes-preserve-unknown-fields': true,
          description: 'The batch/v1 JobSpec of the Jobs: template (a PodTemplateSpec) and the Job settings.',
        },
      ),
    },
    { description },
  );
}
