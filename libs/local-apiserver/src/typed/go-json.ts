/**
 * A built-in object through its Go struct, as kube-apiserver decodes a request body into the
 * versioned type and encodes it back: fields the struct does not have are dropped (and reported
 * for fieldValidation), a value of the wrong JSON type is Go's `json: cannot unmarshal ...`
 * error, empty values of `omitempty` fields disappear, fields without `omitempty` are always
 * there (a new core Event has `reportingComponent: ""`), fields come in struct order, and times
 * are printed as Go prints them. The structs come from go-types.generated.ts.
 */
import type { Obj } from '../types.ts';
import { GO_STRUCTS, KIND_STRUCTS } from './go-types.generated.ts';
import { GoTimeError, RFC3339, RFC3339_MICRO, formatGoMicroTime, formatGoTime, parseGoTime } from './go-time.ts';

type Row = [json: string, goName: string, type: string, flags: number];

const OMITEMPTY = 1;
const OMITZERO = 2;
const INLINE = 4;

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint: [0, Number.MAX_SAFE_INTEGER],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

export interface GoDecoded {
  /** The object as Go encodes the decoded struct. */
  value: Obj;
  /** Fields the struct does not know, by path (`spec.bogus`, `spec.containers[0].imagee`), in body order. */
  unknownFields: string[];
  /** The error json.Unmarshal would return, if any. */
  error?: string;
  /**
   * The first type mismatch in the words of apimachinery's unstructured converter
   * (runtime.DefaultUnstructuredConverter.FromUnstructured), which decodes a strategic merge
   * patch's result: `cannot restore slice from map`, `cannot convert int64 to string`.
   */
  converterError?: string;
}

const GO_KINDS = new Set([
  'string',
  'bool',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
]);

/** The reflect kind of a decoded JSON value in Go's unstructured form. */
function unstructuredKind(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** converter.go's fromUnstructured errors for a value that does not fit the field's type. */
function converterMismatch(v: unknown, type: string): string | undefined {
  const src = unstructuredKind(v);
  if (type.startsWith('[]') || type === 'bytes') return `cannot restore slice from ${src}`;
  if (type.startsWith('map[')) return `cannot restore map from ${src}`;
  if (GO_STRUCTS[type]) return `cannot restore struct from: ${src}`;
  if (!GO_KINDS.has(type)) return undefined;
  // Go's reflect conversions between the JSON groups: integers convert to anything numeric and
  // to string (as a rune), floats to numbers; the converter refuses what is not the same group.
  const numeric = type !== 'string' && type !== 'bool';
  if (src === 'int64' && (numeric || type === 'string')) return `cannot convert int64 to ${type}`;
  if (src === 'float64' && numeric) return `cannot convert float64 to ${type}`;
  return `unrecognized type: ${type}`;
}

/** The Go struct of a built-in kind (`apps/Deployment` → `apps/v1.Deployment`). */
export function structOfKind(group: string, kind: string): string | undefined {
  return KIND_STRUCTS[`${group}/${kind}`];
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Go's reflect type name in messages: `v1.Container`, `[]v1.Container`, `map[string]string`. */
function goTypeName(type: string): string {
  if (type.startsWith('*')) return goTypeName(type.slice(1));
  if (type.startsWith('[]')) return `[]${goTypeName(type.slice(2))}`;
  const m = /^map\[([^\]]+)\](.*)$/.exec(type);
  if (m) return `map[${goTypeName(m[1]!)}]${goTypeName(m[2]!)}`;
  const special: Record<string, string> = {
    bytes: '[]uint8',
    Time: 'v1.Time',
    MicroTime: 'v1.MicroTime',
    Duration: 'v1.Duration',
    Quantity: 'resource.Quantity',
    IntOrString: 'intstr.IntOrString',
    Any: 'interface {}',
  };
  if (special[type]) return special[type]!;
  const dot = type.lastIndexOf('.');
  return dot > 0 ? `${type.slice(0, dot).split('/').pop()}.${type.slice(dot + 1)}` : type;
}

function jsonKind(v: unknown, type: string): string {
  if (typeof v === 'number') {
    const range = INT_RANGES[type];
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) return `number ${v}`;
    return 'number';
  }
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

class Decoder {
  readonly unknownFields: string[] = [];
  /** The first UnmarshalTypeError; a custom unmarshaler's error (times, quantities) wins over it. */
  typeError?: string;
  converterError?: string;
  abortError?: string;

  /** `typePath`: JSON names without indices (Go's UnmarshalTypeError.Field); `structName`: innermost struct. */
  constructor() {}

  private mismatch(v: unknown, type: string, structName: string, typePath: string): void {
    if (this.typeError) return;
    this.converterError = converterMismatch(v, type.replace(/^\*/, ''));
    const value = jsonKind(v, type.replace(/^\*/, ''));
    this.typeError = structName
      ? `json: cannot unmarshal ${value} into Go struct field ${structName}.${typePath} of type ${goTypeName(type)}`
      : `json: cannot unmarshal ${value} into Go value of type ${goTypeName(type)}`;
  }

  private abort(message: string): void {
    this.abortError ??= message;
  }

  /** A field value: returns what Go encodes for it (null for nil pointers, slices, maps, zero times). */
  value(v: unknown, type: string, path: string, structName: string, typePath: string): unknown {
    if (type === 'Any') return v;
    if (type.startsWith('*')) return v === null ? null : this.value(v, type.slice(1), path, structName, typePath);
    if (type.startsWith('[]')) {
      if (v === null) return null;
      if (!Array.isArray(v)) {
        this.mismatch(v, type, structName, typePath);
        return null;
      }
      return v.map((x, i) => this.value(x, type.slice(2), `${path}[${i}]`, structName, typePath));
    }
    const map = /^map\[([^\]]+)\](.*)$/.exec(type);
    if (map) {
      if (v === null) return null;
      if (!isObj(v)) {
        this.mismatch(v, type, structName, typePath);
        return null;
      }
      const out: Obj = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.value(x, map[2]!, `${path}[${k}]`, structName, typePath);
      return out;
    }
    if (GO_STRUCTS[type]) {
      if (v === null) return this.struct({}, type, path);
      if (!isObj(v)) {
        this.mismatch(v, type, structName, typePath);
        return this.struct({}, type, path);
      }
      return this.struct(v, type, path, typePath);
    }
    return this.scalar(v, type, structName, typePath);
  }

  private scalar(v: unknown, type: string, structName: string, typePath: string): unknown {
    if (v === null) return zeroOf(type);
    switch (type) {
      case 'string':
        if (typeof v === 'string') return v;
        break;
      case 'bool':
        if (typeof v === 'boolean') return v;
        break;
      case 'float32':
      case 'float64':
        if (typeof v === 'number') return v;
        break;
      case 'bytes':
        if (typeof v === 'string') {
          const bad = base64Error(v);
          if (bad) this.abort(bad);
          return v;
        }
        break;
      case 'Time':
      case 'MicroTime':
        if (typeof v !== 'string') {
          this.abort(`json: cannot unmarshal ${jsonKind(v, 'string')} into Go value of type string`);
          return null;
        }
        try {
          const micros = parseGoTime(v, type === 'Time' ? RFC3339 : RFC3339_MICRO);
          return type === 'Time' ? formatGoTime(micros) : formatGoMicroTime(micros);
        } catch (e) {
          if (!(e instanceof GoTimeError)) throw e;
          this.abort(e.message);
          return null;
        }
      case 'Duration':
        if (typeof v === 'string') return v;
        break;
      case 'Quantity':
        if (typeof v === 'number') return String(v);
        if (typeof v === 'string') {
          if (!QUANTITY.test(v.trim()))
            this.abort("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
          return v;
        }
        break;
      case 'IntOrString':
        if (typeof v === 'string') return v;
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        break;
      default: {
        const range = INT_RANGES[type];
        if (range && typeof v === 'number' && Number.isInteger(v) && v >= range[0] && v <= range[1]) return v;
      }
    }
    this.mismatch(v, type, structName, typePath);
    return zeroOf(type);
  }

  /** A struct: its known fields in Go order (inlined embeddings flattened); unknown ones reported. */
  struct(v: Obj, type: string, path: string, typePath = ''): Obj {
    const rows = flatRows(type);
    const byJson = new Map<string, [Row, string]>();
    for (const r of rows) byJson.set(r[0][0], r);
    const structShort = type.slice(type.lastIndexOf('.') + 1);
    const present = new Map<string, unknown>();
    for (const [k, x] of Object.entries(v)) {
      const row = byJson.get(k);
      const childPath = path ? `${path}.${k}` : k;
      if (!row) {
        this.unknownFields.push(childPath);
        continue;
      }
      const [[, , ftype], owner] = row;
      const ownerShort = owner.slice(owner.lastIndexOf('.') + 1);
      present.set(k, this.value(x, ftype, childPath, ownerShort || structShort, typePath ? `${typePath}.${k}` : k));
    }
    const out: Obj = {};
    for (const [[json, , ftype, flags]] of rows) {
      let val = present.has(json) ? present.get(json) : zeroOf(ftype);
      if (flags & OMITZERO && isZero(val, ftype)) continue;
      if (flags & OMITEMPTY && isEmpty(val, ftype)) continue;
      // Objects go through etcd as protobuf, where an empty list or map is no list at all: a
      // field without omitempty reads back null (a Role created with rules: [] answers rules: null).
      if ((ftype.startsWith('[]') || ftype.startsWith('map[')) && isEmpty(val, ftype)) val = null;
      out[json] = val;
    }
    return out;
  }
}

/** A struct's rows with inlined embedded structs flattened; each with the struct that declares it. */
function flatRows(type: string): [Row, string][] {
  const cached = FLAT.get(type);
  if (cached) return cached;
  const out: [Row, string][] = [];
  for (const row of (GO_STRUCTS[type] ?? []) as Row[]) {
    if (row[3] & INLINE) out.push(...flatRows(row[2]));
    else out.push([row, type]);
  }
  FLAT.set(type, out);
  return out;
}
const FLAT = new Map<string, [Row, string][]>();

function zeroOf(type: string): unknown {
  if (type.startsWith('*') || type.startsWith('[]') || type.startsWith('map[')) return null;
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
    case 'Time':
    case 'MicroTime':
    case 'Any':
      return null;
    case 'Duration':
      return '0s';
    case 'Quantity':
      return '0';
    case 'IntOrString':
      return 0;
  }
  if (GO_STRUCTS[type]) return new Decoder().struct({}, type, '');
  return 0;
}

/** encoding/json's omitempty: false, 0, "", nil, empty slices and maps; never a struct value. */
function isEmpty(v: unknown, type: string): boolean {
  if (type.startsWith('*')) return v === null || v === undefined;
  if (type.startsWith('[]') || type === 'bytes')
    return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '';
  if (type.startsWith('map[')) return v === null || v === undefined || (isObj(v) && Object.keys(v).length === 0);
  switch (type) {
    case 'string':
      return v === '';
    case 'bool':
      return v === false;
    case 'Any':
      return v === null || v === undefined;
    case 'Time':
    case 'MicroTime':
    case 'Duration':
    case 'Quantity':
    case 'IntOrString':
      return false;
  }
  if (GO_STRUCTS[type]) return false;
  return v === 0;
}

/** omitzero: the zero value (a zero Time is null here). */
function isZero(v: unknown, type: string): boolean {
  if (v === null || v === undefined) return true;
  if (GO_STRUCTS[type]) return JSON.stringify(v) === JSON.stringify(zeroOf(type));
  return v === zeroOf(type);
}

function base64Error(s: string): string | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  const pad = clean.indexOf('=');
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  return undefined;
}

/** Decodes a request object into its kind's Go struct and encodes it back, as kube-apiserver does. */
export function goRoundTrip(obj: Obj, structName: string): GoDecoded {
  const d = new Decoder();
  const value = d.struct(obj, structName, '');
  const error = d.abortError ?? d.typeError;
  const converterError = d.abortError ? undefined : d.converterError;
  return {
    value,
    unknownFields: d.unknownFields,
    ...(error ? { error } : {}),
    ...(converterError ? { converterError } : {}),
  };
}

/** Encodes an object the server itself built (defaults, status) as Go would: same rules, no reports. */
export function goEncode(obj: Obj, structName: string): Obj {
  return new Decoder().struct(obj, structName, '');
}
