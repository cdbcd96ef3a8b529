// --- kinds, client, cache, events, manifests, logging
export * from './kinds/kind.ts';
export * from './kinds/builtin.ts';
export { crdFor, structuralSchema, type CrdOptions } from './kinds/crd.ts';
export { JobTemplateSchema } from './kinds/job-template-schema.ts';
export { ConditionSchema, Conditions, ObservedGeneration } from './kinds/condition-schema.ts';
export * from './client/errors.ts';
export {
  Client,
  ResourceClient,
  type ClientOptions,
  type ListOptions,
  type ObjectList,
  type WatchOptions,
  type DeleteOptions,
  type WriteOptions,
  type PatchType,
} from './client/client.ts';
export { KubeConfigError, type TransportOptions } from './client/transport.ts';
export { type WatchEvent } from './client/watch.ts';
export { MalformedStreamError } from './client/json-lines.ts';
export { Backoff, sleep, type BackoffOptions } from './client/backoff.ts';
export { Cache, type Reader, type CacheOptions, type InformerForOptions } from './cache/cache.ts';
export {
  Informer,
  WatchStalledError,
  type EventHandler,
  type InformerOptions,
  type InformerScope,
} from './cache/informer.ts';
export { OWNER_UID_INDEX, IndexNotFoundError, IndexConflictError, keyOf, type IndexFunc } from './cache/store.ts';
export { parseLabelSelector, labelSelectorMatcher, InvalidSelectorError } from './cache/selector.ts';
export { stripBulkyFields, deepFreeze, type Transform } from './cache/transform.ts';
export { EventRecorder, type EventRecorderOptions } from './events/recorder.ts';
export { mergeRules, clusterRole, role, type PolicyRule } from './manifests/rbac.ts';
export {
  crdYaml,
  roleFromRules,
  toYaml,
  generatedHeader,
  manifestsYaml,
  type ManifestOptions,
  type RoleOptions,
} from './manifests/yaml.ts';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './logging.ts';
// --- queue, controller, metrics, webhook, field errors, leader election, manager
export * from './queue/index.ts';
export * from './controller/index.ts';
export { RuntimeMetrics, createRegistry, type ReconcileResultLabel } from './metrics/metrics.ts';
export * from './webhook/index.ts';
export * from './errors/index.ts';
export * from './leader/index.ts';
export * from './manager/index.ts';
