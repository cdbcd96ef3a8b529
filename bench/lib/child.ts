import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benchmark pieces that must not share an event loop — the API server, the manager, the write
 * floor client, the memory probe — run as child processes that answer RPCs over Node's IPC
 * channel. Children load TypeScript through tsx and the libs from source (`@kubeloop/source`),
 * exactly as `npm run bench` does.
 */

export class ChildError extends Error {
  readonly code = 'BenchChild';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChildError';
  }
}

interface RpcRequest {
  rpc: number;
  method: string;
  params: unknown;
}
interface RpcReply {
  rpc: number;
  result?: unknown;
  error?: { message: string; code?: string; stack?: string };
}
interface EventMessage {
  event: string;
  data: unknown;
}

export interface ChildOptions {
  /** Shown in errors. */
  name: string;
  /** Extra node flags: `--expose-gc`, `--cpu-prof`, `--max-old-space-size=…`. */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

const tsxLoader = import.meta.resolve('tsx');

export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }
  >();
  private readonly eventHandlers = new Map<string, Set<(data: unknown) => void>>();
  private exitCode: number | null | undefined;

  constructor(
    script: string | URL,
    private readonly opts: ChildOptions,
  ) {
    const path = typeof script === 'string' ? script : fileURLToPath(script);
    this.process = fork(path, opts.args ?? [], {
      execArgv: ['--conditions=@kubeloop/source', '--import', tsxLoader, ...(opts.nodeFlags ?? [])],
      env: { ...process.env, ...opts.env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (m: RpcReply | EventMessage) => {
      if ('rpc' in m) {
        const w = this.waiting.get(m.rpc);
        if (!w) return;
        this.waiting.delete(m.rpc);
        if (m.error) {
          const err = new ChildError(`${this.opts.name}.${w.method}: ${m.error.message}`);
          if (m.error.stack) err.stack = `${err.stack}\n--- in child ---\n${m.error.stack}`;
          w.reject(err);
        } else w.resolve(m.result);
      } else if ('event' in m) {
        for (const fn of this.eventHandlers.get(m.event) ?? []) fn(m.data);
      }
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exitCode = code;
        for (const w of this.waiting.values()) {
          w.reject(new ChildError(`${this.opts.name} exited (code ${code}, signal ${signal}) during ${w.method}`));
        }
        this.waiting.clear();
        resolve(code);
      });
    });
  }

  call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    if (this.exitCode !== undefined)
      return Promise.reject(new ChildError(`${this.opts.name} has exited; cannot call ${method}`));
    const rpc = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(rpc, { resolve: resolve as (v: unknown) => void, reject, method });
      this.process.send({ rpc, method, params } satisfies RpcRequest);
    });
  }

  on<T = unknown>(event: string, fn: (data: T) => void): () => void {
    let set = this.eventHandlers.get(event);
    if (!set) this.eventHandlers.set(event, (set = new Set()));
    set.add(fn as (data: unknown) => void);
    return () => set.delete(fn as (data: unknown) => void);
  }

  /** Asks the child to finish (`shutdown` RPC), then waits for it to exit; kills it after `graceMs`. */
  async close(graceMs = 20_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      await this.call('shutdown').catch(() => undefined);
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * RPC methods by name. Each declares the params its caller sends; they arrive over IPC unchecked
 * (`never` lets a handler name any params type, and is the one cast at the call below).
 */
export type Handlers = Record<string, (params: never) => unknown>;

/**
 * The child side: answers RPCs with `handlers`, and exits after the `shutdown` handler (which
 * every child gets; pass your own to clean up first). Returns `emit` for events to the parent.
 */
export function serve(handlers: Handlers): { emit: (event: string, data: unknown) => void } {
  if (!process.send) throw new ChildError('this script is a benchmark child process: start it through bench/run.ts');
  const send = process.send.bind(process);
  const answer = async (m: RpcRequest) => {
    try {
      const handler = handlers[m.method];
      if (!handler && m.method !== 'shutdown') throw new ChildError(`no RPC method "${m.method}"`);
      const result = handler ? await handler(m.params as never) : undefined;
      send({ rpc: m.rpc, result } satisfies RpcReply);
      if (m.method === 'shutdown') {
        process.disconnect();
        // Let the reply flush, then leave even if a stray handle (a socket in keep-alive) would keep us alive.
        setImmediate(() => process.exit(0));
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      send({
        rpc: m.rpc,
        error: { message: e?.message ?? String(err), code: e?.code, stack: e?.stack },
      } satisfies RpcReply);
    }
  };
  process.on('message', (m: RpcRequest) => {
    if (!m || typeof m.rpc !== 'number') return;
    // answer() replies with every handler error; only the reply itself can fail (the channel
    // closed: the parent is gone, and 'disconnect' below ends this process).
    answer(m).catch((err: unknown) => console.error(`bench child: could not answer ${m.method}:`, err));
  });
  // The parent died: nothing will ever ask us to stop.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
  return { emit: (event, data) => send({ event, data } satisfies EventMessage) };
}
