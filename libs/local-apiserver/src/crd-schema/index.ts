/**
 * CRD schemas: structural checks on CRDs, and pruning, defaulting and validation of custom
 * resources with the real server's messages (apiserver.md §6.3–6.5).
 */
import type { CrdSchemaModule, FieldError, KubeObject } from '../types.ts';
import { compileSchema } from './compile.ts';
import { validateCrd } from './structural.ts';

export { compileSchema } from './compile.ts';
export { validateCrd, schemaErrors } from './structural.ts';
export { validateValue, deepEqual } from './validate.ts';
export { pruneResource, OBJECT_META_FIELDS } from './prune.ts';
export { defaultResource } from './defaults.ts';
export { goFloat, goNumber, goQuote, goJson } from './go-format.ts';

export function validateStructural(crd: KubeObject, old?: KubeObject): FieldError[] {
  return validateCrd(crd, old);
}

export const crdSchemaModule: CrdSchemaModule = { compileSchema, validateStructural };
