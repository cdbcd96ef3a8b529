/** Table responses for `kubectl get` (apiserver.md §6.9). */
export { toTable, tableModule, parseIncludeObject } from './table.ts';
export { humanDuration, ageOf } from './columns.ts';
export type { Table, TableRow } from './table.ts';
export type { TableColumnDefinition } from './columns.ts';
export { parseJsonPath, evaluateJsonPath, JsonPathError } from './jsonpath.ts';
