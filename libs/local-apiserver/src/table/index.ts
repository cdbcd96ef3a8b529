/** Table responses for `kubectl get` (apiserver.md §6.9). */
export { toTable, tableModule, parseIncludeObject, humanDuration, ageOf } from './table.ts';
export type { Table, TableRow, TableColumnDefinition } from './table.ts';
export { parseJsonPath, evaluateJsonPath, JsonPathError } from './jsonpath.ts';
