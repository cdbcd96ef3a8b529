#!/usr/bin/env node
// Runs the local-apiserver CLI from its TypeScript sources through tsx (no build needed). The
// workspace libs it imports (@kubeloop/certs) must load from their sources too — the
// `@kubeloop/source` export condition — or a fresh clone, whose libs have no dist/ yet, fails
// with ERR_MODULE_NOT_FOUND. Hooks run last-registered first: the condition is added before tsx
// resolves.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register(
  `data:text/javascript,${encodeURIComponent(
    "export function resolve(specifier, context, next) { return next(specifier, context.conditions.includes('@kubeloop/source') ? context : { ...context, conditions: [...context.conditions, '@kubeloop/source'] }); }",
  )}`,
);
await import('../src/cli.ts');
