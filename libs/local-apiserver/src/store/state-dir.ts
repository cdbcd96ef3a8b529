import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../types.ts';
import { objectKey, type ObjectStore, type StoreJournal } from './object-store.ts';

/**
 * A state directory keeps what etcd keeps for a real cluster: every object and the
 * resourceVersion high-water mark, so a restarted server answers as before and its RVs never go
 * backwards (a client resuming a watch from an RV it saw gets its events, or 410 and a relist,
 * never silence).
 *
 * Layout (one server at a time, guarded by `lock`):
 * - `snapshot.jsonl`: a header `{"format","generation","rv"}` and one `{"k":storageKey,"o":object}`
 *   line per object; replaced only whole (write `snapshot.jsonl.tmp`, fsync, rename, fsync dir);
 * - `changes.<generation>.jsonl`: every change committed after that snapshot, one line each,
 *   written (one write(2) per change) before the change is applied in memory or answered.
 *
 * Why this design: a change is on disk (in the kernel's page cache) before any client can see
 * it, so a crashed or killed server (SIGKILL, an exception) loses nothing it acknowledged and
 * never hands out an RV twice. The log is not fsynced per write: that would cost milliseconds
 * per write (etcd pays it), and what it adds — surviving a power cut or kernel crash — does not
 * matter for a development server; the snapshot is fsynced, and a torn last line is dropped. The
 * snapshot is rewritten when the log outgrows it (on write quiescence), at start when the log
 * holds changes, and at stop, so starts replay little. A log of an older generation (a crash
 * between the snapshot's rename and the log's removal) is already in the snapshot and ignored.
 */
export const STATE_FORMAT = 'kubeloop-local-apiserver-state/v1';

/** A snapshot is rewritten once the log holds this much, or twice the snapshot's size. */
const COMPACT_MIN_BYTES = 16 * 1024 * 1024;
/** Quiet time after the last write before a due snapshot is written. */
const QUIESCENCE_MS = 250;

export class StateDirError extends Error {
  readonly code = 'StateDirError';
  constructor(message: string) {
    super(message);
    this.name = 'StateDirError';
  }
}

export interface LoadedState {
  objects: [storageKey: string, obj: KubeObject][];
  /** The highest RV ever handed out from this directory (0 when new). */
  highWaterMark: number;
  /** Whether the directory held any state before (false: new, or emptied with `fresh`). */
  existing: boolean;
}

/** State directories held by this process: a second server on one is refused like another process. */
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of one server: load at start, journal while running, snapshot at stop. */
export class StateDir {
  private generation = 0;
  private logFd: number | undefined;
  private logBytes = 0;
  private snapshotBytes = 0;
  private compactTimer: NodeJS.Timeout | undefined;
  private store: ObjectStore | undefined;
  private locked = false;

  constructor(readonly dir: string) {}

  private get lockPath(): string {
    return join(this.dir, 'lock');
  }

  /** Takes the directory for this server: refused while another live server (here or elsewhere) has it. */
  lock(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (heldHere.has(this.dir))
      throw new StateDirError(`state directory ${this.dir} is in use by another local-apiserver in this process`);
    if (existsSync(this.lockPath)) {
      const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid))
        throw new StateDirError(
          `state directory ${this.dir} is in use by process ${pid}; stop that server or use another --state-dir`,
        );
    }
    writeFileSync(this.lockPath, `${process.pid}\n`, { mode: 0o600 });
    heldHere.add(this.dir);
    this.locked = true;
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    heldHere.delete(this.dir);
    try {
      if (Number(readFileSync(this.lockPath, 'utf8').trim()) === process.pid) unlinkSync(this.lockPath);
    } catch {
      // already gone
    }
  }

  /** Reads the snapshot and replays the log after it; with `fresh`, keeps only the RV. */
  load(fresh = false): LoadedState {
    const objects = new Map<string, Map<string, KubeObject>>();
    let rv = 0;
    let existing = false;
    const snapshotPath = join(this.dir, 'snapshot.jsonl');
    if (existsSync(snapshotPath)) {
      existing = true;
      const lines = readFileSync(snapshotPath, 'utf8').split('\n');
      const header = parseLine(lines[0] ?? '', snapshotPath, 1) as {
        format?: string;
        generation?: number;
        rv?: number;
      };
      if (header.format !== STATE_FORMAT || !Number.isInteger(header.generation) || !Number.isInteger(header.rv))
        throw new StateDirError(
          `${snapshotPath} is not a ${STATE_FORMAT} snapshot; move it away or start with --fresh`,
        );
      this.generation = header.generation!;
      rv = header.rv!;
      for (let i = 1; i < lines.length; i++) {
        if (lines[i] === '') continue;
        const { k, o } = parseLine(lines[i]!, snapshotPath, i + 1) as { k: string; o: KubeObject };
        put(objects, k, o);
      }
    }
    const logPath = this.logPath(this.generation);
    if (existsSync(logPath)) {
      const lines = readFileSync(logPath, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '') continue;
        let rec: { rv?: number; k: string; o?: KubeObject; d?: string; drop?: true };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch {
          // Only the last line can be torn (a crash of the machine mid-write); anything else is damage.
          if (lines.slice(i + 1).every((l) => l === '')) break;
          throw new StateDirError(
            `${logPath} line ${i + 1} is not JSON; the state directory is damaged (start with --fresh to begin empty)`,
          );
        }
        existing = true;
        if (rec.rv !== undefined) rv = Math.max(rv, rec.rv);
        if (rec.o) put(objects, rec.k, rec.o);
        else if (rec.d !== undefined) objects.get(rec.k)?.delete(rec.d);
        else if (rec.drop) objects.delete(rec.k);
      }
    }
    const out: [string, KubeObject][] = [];
    if (!fresh) for (const [k, m] of objects) for (const o of m.values()) out.push([k, o]);
    return { objects: out, highWaterMark: rv, existing: existing && !fresh };
  }

  /**
   * Journals every change of `store` from now on. `snapshotNow` writes a snapshot of the
   * store's current content first (after a load that replayed changes, or a fresh start).
   */
  attach(store: ObjectStore, snapshotNow: boolean): void {
    this.store = store;
    if (snapshotNow || !existsSync(join(this.dir, 'snapshot.jsonl'))) this.snapshot();
    else this.openLog();
    store.journal = this.journal();
  }

  /** Writes the snapshot and closes the log; the store is no longer journaled (writes are refused). */
  close(): void {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (this.store && this.logFd !== undefined) this.snapshot();
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    this.unlock();
  }

  private logPath(generation: number): string {
    return join(this.dir, `changes.${generation}.jsonl`);
  }

  private openLog(): void {
    const path = this.logPath(this.generation);
    this.logFd = openSync(path, 'a', 0o600);
    this.logBytes = statSync(path).size;
    this.snapshotBytes = existsSync(join(this.dir, 'snapshot.jsonl'))
      ? statSync(join(this.dir, 'snapshot.jsonl')).size
      : 0;
  }

  private journal(): StoreJournal {
    const append = (line: string) => {
      if (this.logFd === undefined)
        throw new StateDirError(`local-apiserver is stopped: its state directory ${this.dir} takes no more writes`);
      const bytes = Buffer.from(line);
      writeSync(this.logFd, bytes);
      this.logBytes += bytes.length;
      this.compactWhenDue();
    };
    return {
      put: (k, o, rv) => append(`{"rv":${rv},"k":${JSON.stringify(k)},"o":${JSON.stringify(o)}}\n`),
      remove: (k, namespace, name, rv) =>
        append(`{"rv":${rv},"k":${JSON.stringify(k)},"d":${JSON.stringify(objectKey(namespace, name))}}\n`),
      drop: (k) => append(`{"k":${JSON.stringify(k)},"drop":true}\n`),
    };
  }

  private compactWhenDue(): void {
    const due = Math.max(COMPACT_MIN_BYTES, 2 * this.snapshotBytes);
    if (this.logBytes < due) return;
    if (this.compactTimer) clearTimeout(this.compactTimer);
    // Far past due (writes never pause): snapshot now rather than let the log grow without bound.
    const delay = this.logBytes >= 4 * due ? 0 : QUIESCENCE_MS;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      if (this.logFd !== undefined) this.snapshot();
    }, delay);
    this.compactTimer.unref();
  }

  /** Atomically replaces the snapshot with the store's content, then starts a new log generation. */
  private snapshot(): void {
    const store = this.store!;
    const next = this.generation + 1;
    const tmp = join(this.dir, 'snapshot.jsonl.tmp');
    const fd = openSync(tmp, 'w', 0o600);
    let bytes = 0;
    try {
      let chunk = `${JSON.stringify({ format: STATE_FORMAT, generation: next, rv: store.currentRv })}\n`;
      for (const [k, o] of store.entries()) {
        chunk += `{"k":${JSON.stringify(k)},"o":${JSON.stringify(o)}}\n`;
        if (chunk.length > 1 << 20) {
          bytes += writeSync(fd, chunk);
          chunk = '';
        }
      }
      bytes += writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, 'snapshot.jsonl'));
    syncDir(this.dir);
    const old = this.generation;
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.generation = next;
    this.logFd = openSync(this.logPath(next), 'a', 0o600);
    this.logBytes = 0;
    this.snapshotBytes = bytes;
    for (const f of readdirSync(this.dir)) {
      const m = /^changes\.(\d+)\.jsonl$/.exec(f);
      if (m && Number(m[1]) <= old) unlinkSync(join(this.dir, f));
    }
  }
}

function put(objects: Map<string, Map<string, KubeObject>>, k: string, o: KubeObject): void {
  let m = objects.get(k);
  if (!m) objects.set(k, (m = new Map<string, KubeObject>()));
  m.set(objectKey(o.metadata?.namespace ?? '', o.metadata?.name ?? ''), o);
}

function parseLine(line: string, file: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new StateDirError(`${file} line ${n} is not JSON; the state directory is damaged (start with --fresh)`);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}
