/**
 * `nx run <app>:serve` — runs an app's main.ts on this machine (kubebuilder's `make run`):
 *
 *   node --import tsx --conditions=@kubeloop/source tools/serve.ts apps/<app>/src/main.ts [flags]
 *
 * The entry runs in this very process (no extra child), with `flags` as its argv. Two things
 * make local runs behave:
 *
 * - It stops when whoever started it is gone. Nx runs a task in its own session, so neither a
 *   terminal's Ctrl-C nor a SIGTERM reaches the manager directly; and `npx nx …` (npm exec →
 *   sh → nx) does not pass a SIGTERM on: npm exits, nx and the manager are orphaned and keep
 *   running. So the chain of processes above this one is recorded at start and polled; when one
 *   of them has exited, this process gets SIGTERM and the manager drains and exits as it does
 *   in a pod.
 * - Ports are the caller's business: the inferred serve targets (libs/nx-plugin) pass
 *   `--metrics-bind-address=0 --health-probe-bind-address=:0` (metrics off, as kubebuilder's
 *   `make run`; probes on a free port, logged), so two managers run side by side; flags given
 *   after `--` win.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Ancestor {
  pid: number;
  /** What identifies this process among later ones with the same pid (Linux: start time). */
  start?: string;
  command: string;
}

const hasProc = existsSync('/proc/self/stat');

/** [ppid, start time] of a process from /proc (Linux), else from ps. */
function parentOf(pid: number): { ppid: number; start?: string; command: string } | undefined {
  try {
    if (hasProc) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command (field 2) is in parentheses and may hold spaces: split after its closing one.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      return { ppid: Number(fields[1]), start: fields[19], command: stat.slice(stat.indexOf('(') + 1, close) };
    }
    const out = execFileSync('ps', ['-o', 'ppid=,lstart=,comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const m = /^(\d+)\s+(.{24})\s+(.*)$/.exec(out);
    return m ? { ppid: Number(m[1]), start: m[2], command: m[3]! } : undefined;
  } catch {
    return undefined;
  }
}

/** The processes above `pid`, nearest first, up to (not including) pid 1. */
export function ancestorsOf(pid: number): Ancestor[] {
  const out: Ancestor[] = [];
  let current = parentOf(pid);
  while (current && current.ppid > 1 && out.length < 64) {
    const info = parentOf(current.ppid);
    if (!info) break;
    out.push({ pid: current.ppid, start: info.start, command: info.command });
    current = info;
  }
  return out;
}

/** Whether the recorded process still runs (and is the same one, where that can be told). */
export function isAlive(a: Ancestor): boolean {
  try {
    process.kill(a.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (a.start === undefined) return true;
  return parentOf(a.pid)?.start === a.start;
}

/**
 * Calls `onGone` once, with the first recorded ancestor that exited, polling every
 * `intervalMs`; the timer never keeps the process alive. Returns a function that stops watching.
 */
export function watchAncestors(ancestors: Ancestor[], onGone: (a: Ancestor) => void, intervalMs = 500): () => void {
  const timer = setInterval(() => {
    const gone = ancestors.find((a) => !isAlive(a));
    if (gone) {
      clearInterval(timer);
      onGone(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const [entry, ...flags] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node --import tsx tools/serve.ts <apps/<app>/src/main.ts> [flags]');
    process.exit(2);
  }
  watchAncestors(ancestorsOf(process.pid), (a) => {
    console.error(`serve: ${a.command} (pid ${a.pid}), which started this run, has exited; stopping (SIGTERM)`);
    process.kill(process.pid, 'SIGTERM');
  });
  // The entry reads its flags from process.argv as when run directly: node <entry> [flags].
  process.argv.splice(1, process.argv.length - 1, resolve(entry), ...flags);
  await import(pathToFileURL(resolve(entry)).href);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
