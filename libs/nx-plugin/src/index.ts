/**
 * `@kubeloop/nx`: kubebuilder's workflow as an Nx plugin. Registered in nx.json `plugins`, it
 * gives every operator app its targets (plugin/operator-targets.ts); its generators
 * (generators.json) scaffold operators, APIs and webhooks.
 */
export {
  createNodes,
  createNodes as createNodesV2,
  operatorTargets,
  OPERATOR_GLOB,
} from './plugin/operator-targets.ts';
export { operatorGenerator, type OperatorGeneratorSchema } from './generators/operator/operator.ts';
export { apiGenerator, type ApiGeneratorSchema } from './generators/api/api.ts';
export { webhookGenerator, type WebhookGeneratorSchema } from './generators/webhook/webhook.ts';
export { GeneratorError } from './generators/shared/write-files.ts';
