/**
 * Field errors in the API server's own format (apimachinery's field.Error), so a webhook or a
 * status message reads exactly like the server's validation: `spec.replicas: Invalid value:
 * 100: replicas must be in the range of 1 to 5.` Users and kubectl already know how to read it.
 */

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indexes: `spec.markdowns[0]`, `metadata.labels[app]`. */
  field: string;
  value?: unknown;
  detail: string;
}

const LABEL: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
};

/** Types whose message omits the value, as in apimachinery's ErrorBody. */
const OMIT_VALUE = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong']);

function renderValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** `Invalid value: 100: detail` — the part after the field path (a Status cause's message). */
export function fieldErrorBody(e: FieldError): string {
  let s = LABEL[e.type];
  if (!OMIT_VALUE.has(e.type)) s += `: ${renderValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

export function fieldRequired(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function fieldForbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

export function fieldNotSupported(field: string, value: unknown, supported: string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
  };
}

export function fieldDuplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, value, detail: '' };
}

export function fieldTooLong(field: string, maxLength: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `may not be more than ${maxLength} bytes` };
}

/** apimachinery's aggregate: one error as is, several as `[a, b]`. */
export function aggregateFieldErrors(errs: FieldError[]): string {
  const msgs = errs.map(formatFieldError);
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface InvalidStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: 'Invalid';
  details: { name: string; group: string; kind: string; causes: StatusCause[] };
  code: 422;
}

/** The kind as the API server names it in Invalid errors: `Kind.group`, or `Kind` for the core group. */
interface KindLike {
  kind: string;
  group: string;
}

/**
 * The 422 Status the API server (and a kubebuilder webhook returning apierrors.NewInvalid)
 * sends for invalid objects: `Tuple.math.example.com "t1" is invalid: [a, b]`.
 */
export function invalidStatus(kind: KindLike, name: string, errs: FieldError[]): InvalidStatus {
  const qualified = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${qualified} "${name}" is invalid: ${aggregateFieldErrors(errs)}`,
    reason: 'Invalid',
    details: {
      name,
      group: kind.group,
      kind: kind.kind,
      causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
    },
    code: 422,
  };
}
