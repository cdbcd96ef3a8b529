/**
 * Generates libs/local-apiserver/src/typed/go-types.generated.ts: the Go structs behind the
 * built-in kinds local-apiserver serves (field JSON names, Go types, `omitempty`/`omitzero`,
 * inlined embeddings), read from a Kubernetes source tree. local-apiserver decodes and encodes
 * built-in objects through this table as kube-apiserver does through the structs themselves:
 * unknown and duplicate fields for fieldValidation, Go's type errors, dropped empty fields,
 * zero values of fields without omitempty.
 *
 *   npx tsx tools/generate-go-types.ts --k8s-src /work/realk8s/src/kubernetes
 *
 * The tree must be the release local-apiserver models (v1.36); CI never runs this.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'k8s-src': { type: 'string' }, out: { type: 'string' } } });
const src = values['k8s-src'];
if (!src) {
  console.error('usage: npx tsx tools/generate-go-types.ts --k8s-src <kubernetes source tree>');
  process.exit(2);
}
const staging = join(src, 'staging/src');
const out = values.out ?? join(import.meta.dirname, '../libs/local-apiserver/src/typed/go-types.generated.ts');

/** Go import path → package key used in the table. */
const PACKAGES: Record<string, { key: string; files: string[] }> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1': { key: 'meta/v1', files: ['types.go'] },
  'k8s.io/api/core/v1': { key: 'core/v1', files: ['types.go'] },
  'k8s.io/api/apps/v1': { key: 'apps/v1', files: ['types.go'] },
  'k8s.io/api/batch/v1': { key: 'batch/v1', files: ['types.go'] },
  'k8s.io/api/coordination/v1': { key: 'coordination/v1', files: ['types.go'] },
  'k8s.io/api/events/v1': { key: 'events/v1', files: ['types.go'] },
  'k8s.io/api/rbac/v1': { key: 'rbac/v1', files: ['types.go'] },
  'k8s.io/api/admissionregistration/v1': { key: 'admissionregistration/v1', files: ['types.go'] },
  'k8s.io/api/autoscaling/v1': { key: 'autoscaling/v1', files: ['types.go'] },
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1': {
    key: 'apiextensions/v1',
    files: ['types.go', 'types_jsonschema.go'],
  },
};

/** Types with their own JSON encoding: the codec knows them by these names. */
const SPECIAL: Record<string, string> = {
  'meta/v1.Time': 'Time',
  'meta/v1.MicroTime': 'MicroTime',
  'meta/v1.Duration': 'Duration',
  'meta/v1.FieldsV1': 'Any',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'Quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'IntOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'Any',
  'k8s.io/apimachinery/pkg/types.UID': 'string',
  'k8s.io/apimachinery/pkg/types.NamespacedName': 'Any',
  'apiextensions/v1.JSON': 'Any',
  'apiextensions/v1.JSONSchemaPropsOrArray': 'Any',
  'apiextensions/v1.JSONSchemaPropsOrBool': 'Any',
  'apiextensions/v1.JSONSchemaPropsOrStringArray': 'Any',
};

/** The kinds local-apiserver serves (and the Scale of its scale subresources). */
const ROOTS = [
  'core/v1.Namespace',
  'core/v1.ConfigMap',
  'core/v1.Secret',
  'core/v1.Service',
  'core/v1.ServiceAccount',
  'core/v1.Pod',
  'core/v1.Event',
  'apps/v1.Deployment',
  'apps/v1.ReplicaSet',
  'batch/v1.Job',
  'batch/v1.CronJob',
  'coordination/v1.Lease',
  'events/v1.Event',
  'rbac/v1.Role',
  'rbac/v1.RoleBinding',
  'rbac/v1.ClusterRole',
  'rbac/v1.ClusterRoleBinding',
  'admissionregistration/v1.MutatingWebhookConfiguration',
  'admissionregistration/v1.ValidatingWebhookConfiguration',
  'apiextensions/v1.CustomResourceDefinition',
  'autoscaling/v1.Scale',
];

interface Field {
  json: string;
  go: string;
  type: string;
  omitempty: boolean;
  omitzero: boolean;
  inline: boolean;
}
type Decl = { kind: 'struct'; fields: Field[] } | { kind: 'alias'; type: string };

const decls = new Map<string, Decl>();

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function parseFile(pkgPath: string, file: string): void {
  const { key } = PACKAGES[pkgPath]!;
  const text = stripComments(readFileSync(join(staging, pkgPath, file), 'utf8'));
  const imports = new Map<string, string>();
  const importBlock = /import\s*\(([\s\S]*?)\)/.exec(text)?.[1] ?? '';
  for (const line of importBlock.split('\n')) {
    const m = /^\s*(\w+)?\s*"([^"]+)"/.exec(line);
    if (!m) continue;
    const path = m[2]!;
    imports.set(m[1] ?? path.split('/').pop()!, path);
  }
  const qualify = (t: string): string => {
    const m = /^(\[\]|\*|map\[([^\]]+)\])(.*)$/.exec(t);
    if (m) {
      if (m[1] === '[]') return `[]${qualify(m[3]!)}`;
      if (m[1] === '*') return `*${qualify(m[3]!)}`;
      return `map[${qualify(m[2]!)}]${qualify(m[3]!)}`;
    }
    if (
      /^(string|bool|byte|int|int8|int16|int32|int64|uint|uint8|uint16|uint32|uint64|float32|float64|interface\{\})$/.test(
        t,
      )
    )
      return t;
    const dot = t.indexOf('.');
    if (dot > 0) {
      const path = imports.get(t.slice(0, dot));
      const pkg = path && PACKAGES[path] ? PACKAGES[path]!.key : path;
      return `${pkg}.${t.slice(dot + 1)}`;
    }
    return `${key}.${t}`;
  };
  const typeRe = /^type\s+(\w+)\s+(struct\s*\{|[^\n]+)/gm;
  let m: RegExpExecArray | null;
  while ((m = typeRe.exec(text))) {
    const name = `${key}.${m[1]}`;
    if (!m[2]!.startsWith('struct')) {
      decls.set(name, { kind: 'alias', type: qualify(m[2]!.trim().replace(/^=\s*/, '')) });
      continue;
    }
    // The struct body up to its matching brace.
    let depth = 1;
    let i = typeRe.lastIndex;
    const start = i;
    while (depth > 0 && i < text.length) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    const body = text.slice(start, i - 1);
    const fields: Field[] = [];
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const tag = /`([^`]*)`/.exec(line)?.[1] ?? '';
      const jsonTag = /json:"([^"]*)"/.exec(tag)?.[1];
      const decl = line.replace(/`[^`]*`/, '').trim();
      const parts = decl.split(/\s+/);
      let goName: string;
      let type: string;
      let embedded = false;
      if (parts.length === 1) {
        embedded = true;
        type = parts[0]!;
        goName = type.replace(/^\*/, '').split('.').pop()!;
      } else {
        goName = parts[0]!;
        type = parts.slice(1).join('');
      }
      if (jsonTag === '-') continue;
      const [jsonName = '', ...opts] = (jsonTag ?? '').split(',');
      const inline = opts.includes('inline') || (embedded && !jsonName);
      fields.push({
        json: jsonName || (inline ? '' : goName),
        go: goName,
        type: qualify(type),
        omitempty: opts.includes('omitempty'),
        omitzero: opts.includes('omitzero'),
        inline,
      });
    }
    decls.set(name, { kind: 'struct', fields });
  }
}

for (const [pkgPath, { files }] of Object.entries(PACKAGES)) for (const f of files) parseFile(pkgPath, f);

/** Resolves a type to what the table holds: a special, a builtin scalar, a composite or a struct name. */
function resolve(t: string): string {
  if (SPECIAL[t]) return SPECIAL[t]!;
  const m = /^(\[\]|\*|map\[([^\]]+)\])(.*)$/.exec(t);
  if (m) {
    if (m[1] === '[]') return m[3] === 'byte' ? 'bytes' : `[]${resolve(m[3]!)}`;
    if (m[1] === '*') return `*${resolve(m[3]!)}`;
    return `map[${resolve(m[2]!)}]${resolve(m[3]!)}`;
  }
  const d = decls.get(t);
  if (!d) {
    if (/^(string|bool|int|int32|int64|uint|uint32|uint64|float32|float64|byte)$/.test(t)) return t;
    if (t === 'interface{}') return 'Any';
    throw new Error(`unknown type ${t}`);
  }
  if (d.kind === 'alias') return resolve(d.type);
  return t;
}

const table: Record<string, [string, string, string, number][]> = {};
const queue = [...ROOTS];
while (queue.length) {
  const name = queue.shift()!;
  if (table[name]) continue;
  const d = decls.get(name);
  if (!d || d.kind !== 'struct') throw new Error(`root/struct ${name} not found`);
  const rows: [string, string, string, number][] = [];
  table[name] = rows;
  for (const f of d.fields) {
    const type = resolve(f.type);
    // flags: 1 omitempty, 2 omitzero, 4 inline
    rows.push([f.json, f.go, type, (f.omitempty ? 1 : 0) | (f.omitzero ? 2 : 0) | (f.inline ? 4 : 0)]);
    for (const ref of type.match(/[\w./-]+\/v1\.\w+/g) ?? []) if (!table[ref]) queue.push(ref);
  }
}

const header = `// Generated by tools/generate-go-types.ts from the Kubernetes source tree (v1.36); do not edit.
// Per Go struct: [json name, Go field name, type, flags (1 omitempty, 2 omitzero, 4 inline)].
// Types: Go scalars, bytes ([]byte, base64), Time, MicroTime, Duration, Quantity, IntOrString,
// Any (free JSON), []T, *T, map[K]V, or another struct of this table by name.
`;
const body = Object.keys(table)
  .sort()
  .map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table[k])},`)
  .join('\n');
writeFileSync(
  out,
  `${header}export const GO_STRUCTS: Record<string, [string, string, string, number][]> = {\n${body}\n};\n\n/** The Go struct of each served kind, by \`group/Kind\`. */\nexport const KIND_STRUCTS: Record<string, string> = ${JSON.stringify(
    Object.fromEntries(
      ROOTS.map((r) => {
        const [pkg, kind] = r.split('.') as [string, string];
        const group = {
          core: '',
          apps: 'apps',
          batch: 'batch',
          coordination: 'coordination.k8s.io',
          events: 'events.k8s.io',
          rbac: 'rbac.authorization.k8s.io',
          admissionregistration: 'admissionregistration.k8s.io',
          autoscaling: 'autoscaling',
          apiextensions: 'apiextensions.k8s.io',
        }[pkg.split('/')[0]!];
        return [`${group}/${kind}`, r];
      }),
    ),
    null,
    2,
  )};\n`,
);
console.log(`wrote ${Object.keys(table).length} structs to ${out}`);
