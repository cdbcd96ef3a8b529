/**
 * meta.k8s.io/v1 Table responses (§6.9 TBL-1…TBL-5) — what `kubectl get` asks for first.
 * Custom resources get the implicit Name column plus their additionalPrinterColumns (or a
 * default Age column), with `date` cells turned into ages on the server. A few built-ins get
 * the real server's per-type columns; other built-ins get the generic Name/Created At table.
 */
import { badRequest } from '../errors.ts';
import type { KubeObject, PrinterColumn, ResourceType, TableOptions, TableModule } from '../types.ts';
import { evaluateJsonPath, parseJsonPath } from './jsonpath.ts';
import { CREATION_DESCRIPTION, ageOf, nameColumn, type Printer, type TableColumnDefinition } from './columns.ts';
import { builtinPrinter } from './builtin-printers.ts';

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function cellFor(col: PrinterColumn, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (col.type) {
    case 'string':
      return printValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? ageOf(value, now) : null;
    default:
      return null;
  }
}

function customColumns(rt: ResourceType): PrinterColumn[] {
  const cols = rt.crd?.version.additionalPrinterColumns ?? [];
  if (cols.length > 0) return cols;
  return [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATION_DESCRIPTION }];
}

function customPrinter(rt: ResourceType): Printer {
  const cols = customColumns(rt);
  const compiled = cols.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined; // an unparsable path gives empty cells, never a failed GET
    }
  });
  return {
    columns: [
      nameColumn,
      ...cols.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ],
    cells(obj, now) {
      return [
        obj.metadata?.name ?? '',
        ...cols.map((c, i) => {
          const path = compiled[i];
          const found = path ? evaluateJsonPath(path, obj) : [];
          return cellFor(c, found[0], now);
        }),
      ];
    },
  };
}

function printerFor(rt: ResourceType): Printer {
  if (rt.origin === 'custom') return customPrinter(rt);
  return builtinPrinter(rt.group, rt.kind);
}

function partialObjectMetadata(obj: KubeObject): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

/**
 * The `includeObject` query parameter (TBL-2): empty means Metadata; anything else than the
 * three values is the real server's 400.
 */
export function parseIncludeObject(value: string | null | undefined): TableOptions['includeObject'] {
  if (value === undefined || value === null || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(
    `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(value)}: must be 'Metadata', 'Object', 'None', or empty`,
  );
}

/**
 * A Table of `objects` (TBL-1). For a single GET pass the object's resourceVersion as
 * `listMeta.resourceVersion`: the real server copies it from the object.
 */
export function toTable(rt: ResourceType, objects: readonly KubeObject[], opts: TableOptions): Table {
  const now = opts.now ?? new Date();
  const printer = printerFor(rt);
  const metadata: Table['metadata'] = {};
  if (opts.listMeta?.resourceVersion !== undefined) metadata.resourceVersion = opts.listMeta.resourceVersion;
  if (opts.listMeta?.continue) metadata.continue = opts.listMeta.continue;
  if (opts.listMeta?.remainingItemCount !== undefined) metadata.remainingItemCount = opts.listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns,
    rows: objects.map((obj) => ({
      cells: printer.cells(obj, now),
      // The real server marshals a None row's object as null (RawExtension has no omitempty).
      object: opts.includeObject === 'None' ? null : opts.includeObject === 'Object' ? obj : partialObjectMetadata(obj),
    })),
  };
}

export const tableModule: TableModule = { toTable };
