/**
 * Normalisation: what makes two servers' answers comparable although each run has its own
 * names, uids, times and resourceVersions. Every rule is listed in the README ("Normalisation")
 * and each one only ever replaces a value by a token that keeps its identity within the case:
 * the same uid is `<uid#1>` wherever it appears, so "the ownerReference names that object" and
 * "the watch event carries the RV the update returned" are still compared.
 *
 * Tokens are assigned in a key-sorted walk, so the JSON key order of a server never changes them.
 */

import { createHash } from 'node:crypto';
import type { Obj } from '../../src/types.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?(?:Z|[+-]\d{2}:\d{2})$/;
/** A timestamp inside a longer string (an object serialized into a message). */
const TIME_IN_TEXT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?(?:Z|[+-]\d{2}:\d{2})/g;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** Messages that quote resourceVersions (watch expiry, too-large RVs, delete preconditions, storage errors). */
const RV_MESSAGES: RegExp[] = [
  /(too old resource version: )(\d+)( \()(\d+)(\))/g,
  /(Too large resource version: )(\d+)(, current: )(\d+)()/g,
  /(ResourceVersion in the precondition \()(\d+)(\) does not match the ResourceVersion in record \()(\d+)(\))/g,
  /(ResourceVersion: )(\d+)()()()/g,
  // an object serialized into a message (strict-decoding errors of patches)
  /(resourceVersion\\*":\\*")(\d+)()()()/g,
];
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const PORT_KEYS = new Set(['nodePort', 'healthCheckNodePort']);

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sortedKeys(o: Obj): string[] {
  return Object.keys(o).sort();
}

/** An object with identity (so its metadata.resourceVersion is an object RV, not a collection RV). */
function isIdentified(o: Obj): boolean {
  const md = o.metadata;
  return (
    isObj(md) && (typeof md.name === 'string' || typeof md.uid === 'string' || typeof md.generateName === 'string')
  );
}

export class Normalizer {
  private readonly uids = new Map<string, string>();
  private readonly rvs = new Map<string, string>();
  private maxObjectRv = -1n;
  private readonly generated = new Map<string, string>();
  private readonly ips = new Map<string, string>();
  private readonly ports = new Map<number, string>();
  private readonly continues = new Map<string, string>();
  /** generateName prefixes of requests: a name made from one is normalised even inside messages. */
  private readonly prefixes = new Set<string>();
  private literals: [string, string][];

  /** `literals`: run-specific strings and their tokens (namespace, run suffix, server address). */
  constructor(literals: [string, string][]) {
    this.literals = [...literals].filter(([s]) => s).sort((a, b) => b[0].length - a[0].length);
  }

  /** The token of a known object RV, if the value is one. */
  rvToken(rv: string): string | undefined {
    return this.rvs.get(rv);
  }

  // --------------------------------------------------------------------------- registration pass

  private registerRv(rv: unknown): void {
    if (typeof rv !== 'string' || !/^\d+$/.test(rv)) return;
    if (!this.rvs.has(rv)) this.rvs.set(rv, `<rv#${this.rvs.size + 1}>`);
    const n = BigInt(rv);
    if (n > this.maxObjectRv) this.maxObjectRv = n;
  }

  private registerString(s: string): void {
    for (const m of s.match(UUID) ?? []) if (!this.uids.has(m)) this.uids.set(m, `<uid#${this.uids.size + 1}>`);
    for (const p of this.prefixes) {
      const re = new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[${GENERATE_ALPHABET}]{5}(?![a-z0-9])`, 'g');
      for (const m of s.match(re) ?? []) this.registerGenerated(m, p);
    }
  }

  private registerGenerated(name: string, prefix: string): void {
    if (!this.generated.has(name)) this.generated.set(name, `${prefix}<gen#${this.generated.size + 1}>`);
  }

  /** Pass 1: give tokens to identities in a key-sorted walk. `rvs`: register object RVs (false for requests). */
  private register(v: unknown, rvs: boolean, key = ''): void {
    if (typeof v === 'string') {
      this.registerString(v);
      // IPs are allocated (clusterIP, and the IP column of a Service Table row).
      if (IPV4.test(v) && !this.ips.has(v)) this.ips.set(v, `<ip#${this.ips.size + 1}>`);
      return;
    }
    if (typeof v === 'number') {
      if (PORT_KEYS.has(key) && !this.ports.has(v)) this.ports.set(v, `<nodePort#${this.ports.size + 1}>`);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) this.register(x, rvs, key);
      return;
    }
    if (!isObj(v)) return;
    if (isIdentified(v)) {
      const md = v.metadata as Obj;
      if (rvs) this.registerRv(md.resourceVersion);
      const gn = md.generateName;
      const name = md.name;
      if (
        typeof gn === 'string' &&
        gn &&
        typeof name === 'string' &&
        name.startsWith(gn) &&
        name.length === gn.length + 5
      ) {
        this.registerGenerated(name, gn);
      }
    }
    for (const k of sortedKeys(v)) this.register(v[k], rvs, k);
  }

  // --------------------------------------------------------------------------- replacement pass

  private str(s: string, requestQuery?: Record<string, string[]>): string {
    const t = TIME.exec(s);
    if (t) return t[1] ? `<time.${t[1].length}>` : '<time>';
    let out = s.replace(TIME_IN_TEXT, (_m, frac?: string) => (frac ? `<time.${frac.length}>` : '<time>'));
    for (const [name, token] of this.generated) out = out.split(name).join(token);
    out = out.replace(UUID, (m) => this.uids.get(m) ?? m);
    for (const [lit, token] of this.literals) out = out.split(lit).join(token);
    const literalRvs = new Set(Object.values(requestQuery ?? {}).flat());
    for (const re of RV_MESSAGES) {
      out = out.replace(re, (_m, a: string, n1: string, b: string, n2: string, c: string) => {
        const tok = (n: string) => (n === '' || n === '0' ? n : (this.rvs.get(n) ?? (literalRvs.has(n) ? n : '<rv>')));
        // "current: N" is the server's RV, a collection RV (other clients' writes move it).
        const second = b === ', current: ' ? String(this.collectionRv(n2)) : tok(n2);
        return `${a}${tok(n1)}${b}${second}${c}`;
      });
    }
    return out;
  }

  /**
   * The RV of a list, bookmark or Table: the real server's may include writes of other clients
   * anywhere in the cluster, so it is only compared as "at least every object seen so far"
   * (`<rv:current>`); an older one is the token of the object RV it equals, or `<rv:older>`.
   */
  private collectionRv(rv: unknown): unknown {
    if (typeof rv !== 'string' || !/^\d+$/.test(rv)) return rv;
    if (BigInt(rv) >= this.maxObjectRv) return '<rv:current>';
    return this.rvs.get(rv) ?? '<rv:older>';
  }

  private replace(v: unknown, key: string, parent: Obj | undefined, q?: Record<string, string[]>): unknown {
    if (typeof v === 'string') {
      if (this.ips.has(v)) return this.ips.get(v);
      // Preconditions and the like quote an object's RV outside its metadata.
      if (key === 'resourceVersion' && this.rvs.has(v)) return this.rvs.get(v);
      return this.str(v, q);
    }
    if (typeof v === 'number') return PORT_KEYS.has(key) ? (this.ports.get(v) ?? v) : v;
    if (Array.isArray(v)) return v.map((x) => this.replace(x, key, parent, q));
    if (!isObj(v)) return v;
    const out: Obj = {};
    const identified = isIdentified(v);
    for (const k of Object.keys(v)) {
      // Server-side apply bookkeeping is not kept by local-apiserver (README deviation "no server-side apply").
      if (k === 'managedFields' && key === 'metadata') continue;
      const inMd = v[k];
      if (k === 'metadata' && isObj(inMd)) {
        const md: Obj = {};
        for (const mk of Object.keys(inMd)) {
          const mv = inMd[mk];
          if (mk === 'managedFields') continue;
          if (mk === 'resourceVersion')
            md[mk] = identified ? (typeof mv === 'string' ? (this.rvs.get(mv) ?? mv) : mv) : this.collectionRv(mv);
          else if (mk === 'continue' && typeof mv === 'string') md[mk] = this.continueToken(mv);
          else md[mk] = this.replace(mv, mk, inMd, q);
          if (mk === 'labels' || mk === 'annotations') md[mk] = this.keys(md[mk]);
        }
        out[k] = md;
        continue;
      }
      out[this.key(k)] = this.replace(v[k], k, v, q);
    }
    if (v.kind === 'APIResourceList' && typeof v.groupVersion === 'string' && Array.isArray(v.resources)) {
      const gv = v.groupVersion as string;
      const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
      (v.resources as { group?: string; version?: string; kind: string; storageVersionHash?: unknown }[]).forEach(
        (r, i) => {
          if (typeof r.storageVersionHash !== 'string') return;
          const expected = storageVersionHash(r.group ?? group, r.version ?? version, r.kind);
          if (r.storageVersionHash === expected)
            (out.resources as Obj[])[i]!.storageVersionHash = '<storage-version-hash>';
        },
      );
    }
    if (v.kind === 'Table' && Array.isArray(v.columnDefinitions) && Array.isArray(out.rows)) {
      // Ages ("5s", "3m2s"): a `date` column, or the `Age` string column of built-in Tables.
      const dateCols = (v.columnDefinitions as Obj[])
        .map((c, i) => (c.format === 'date' || c.type === 'date' || c.name === 'Age' ? i : -1))
        .filter((i) => i >= 0);
      for (const row of out.rows as Obj[]) {
        if (!Array.isArray(row.cells)) continue;
        for (const i of dateCols) if (typeof row.cells[i] === 'string') row.cells[i] = '<age>';
      }
    }
    return out;
  }

  /** Map keys hold run-specific names too (a label key naming the run). */
  private key(k: string): string {
    let out = k;
    for (const [lit, token] of this.literals) out = out.split(lit).join(token);
    return out;
  }

  private keys(v: unknown): unknown {
    if (!isObj(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.key(k), x]));
  }

  continueToken(tok: string): string {
    if (!tok) return tok;
    if (!this.continues.has(tok)) this.continues.set(tok, `<continue#${this.continues.size + 1}>`);
    return this.continues.get(tok)!;
  }

  /**
   * An answer (status, headers, body or watch events). `requestQuery`: RVs the request quoted
   * literally stay literal in messages that repeat them.
   */
  answer(v: unknown, requestQuery: Record<string, string[]> = {}): unknown {
    this.register(v, true);
    return this.replace(v, '', undefined, requestQuery);
  }

  /** Strings of headers (Warning texts). */
  text(s: string): string {
    this.registerString(s);
    return this.str(s);
  }

  /** A request as sent: known RVs, uids, continue tokens and names become their tokens. */
  request(req: { path: string; query: Record<string, string[]>; body: unknown }): {
    path: string;
    query: Record<string, string[]>;
    body: unknown;
  } {
    const md = isObj(req.body) && isObj(req.body.metadata) ? req.body.metadata : undefined;
    if (md && typeof md.generateName === 'string' && md.generateName && !md.name) this.prefixes.add(md.generateName);
    this.register(req.body, false);
    const query: Record<string, string[]> = {};
    for (const [k, vs] of Object.entries(req.query)) {
      query[k] = vs.map((v) => {
        if (k === 'continue') return this.continueToken(v);
        if (k === 'resourceVersion') return this.rvs.get(v) ?? v;
        this.registerString(v);
        return this.str(v);
      });
    }
    return { path: this.str(req.path), query, body: this.replace(req.body, '', undefined) };
  }
}

/**
 * kube-apiserver's discovery.StorageVersionHash of a resource stored as the version it serves:
 * the first 8 bytes of sha256("group/version/kind"), base64 (group "" for the legacy group). Such
 * a hash is compared as "the right one for what it names" (for a CRD of this run the group itself
 * is run-specific); one of another storage version (CRDs, events.k8s.io Events) stays literal.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  const gvk = `${group}/${version}/${kind}`;
  return createHash('sha256').update(gvk).digest().subarray(0, 8).toString('base64');
}

/** `application/json;as=Table;g=meta.k8s.io;v=v1`: lower case, no spaces, parameters sorted. */
export function normalizeContentType(ct: string | undefined): string | undefined {
  if (!ct) return undefined;
  const [type, ...params] = ct.split(';').map((s) => s.trim().replace(/\s+/g, ''));
  return [type!.toLowerCase(), ...params.filter(Boolean).sort()].join(';');
}

/** `299 - "unknown field \"x\""` → `unknown field "x"` (the agent part is always `-`). */
export function warningText(h: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(h);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : h;
}
