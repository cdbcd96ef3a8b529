/** OpenAPI v3 discovery documents for kubectl (apiserver.md §1.8, §6.10). */
import type { OpenApiModule } from '../types.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';

export { openApiDocument, openApiIndex, documentHash } from './openapi.ts';
export { gvPath, schemaName } from './schema-names.ts';

export const openApiModule: OpenApiModule = { openApiIndex, openApiDocument };
