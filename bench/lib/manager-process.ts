import { Child } from './child.ts';
import type { MeterSnapshot, RequestEvent } from './request-meter.ts';
import type { LagSummary } from './lag.ts';
import type { MemorySample } from './memory.ts';

export interface Progress {
  reconciles: Record<string, number>;
  errors: Record<string, number>;
  depth: number;
  active: number;
  synced: boolean;
}

/** The parent's handle on a manager.child.ts process. */
export class ManagerProcess {
  private constructor(readonly child: Child) {}

  /**
   * `profile` writes a V8 CPU profile of the manager to `<profileDir>/` at exit (open it in
   * Chrome DevTools or speedscope); `gc` exposes global.gc for memory measurements.
   */
  static async start(
    kubeconfigPath: string,
    opts: { profileDir?: string; gc?: boolean } = {},
  ): Promise<ManagerProcess> {
    const flags = [
      ...(opts.gc ? ['--expose-gc'] : []),
      ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : []),
    ];
    const child = new Child(new URL('./manager.child.ts', import.meta.url), {
      name: 'manager',
      nodeFlags: flags,
      args: [kubeconfigPath],
    });
    return new ManagerProcess(child);
  }

  async run(opts: { namespace?: string; app?: 'math' | 'sample-controller' } = {}): Promise<void> {
    await this.child.call('start', opts);
  }

  waitIdle(params: {
    minReconciles?: Record<string, number>;
    quietMs?: number;
    timeoutMs?: number;
  }): Promise<Progress & { secondsSinceStart: number }> {
    return this.child.call('waitIdle', params);
  }

  snapshot(): Promise<{
    requests: MeterSnapshot;
    progress: Progress;
    lag: LagSummary;
    memory: NodeJS.MemoryUsage;
    maxRssBytes: number;
    /** CPU seconds (user + system) the manager process used since the last resetMeter. */
    cpuSeconds: number;
  }> {
    return this.child.call('snapshot');
  }

  resetMeter(): Promise<void> {
    return this.child.call('resetMeter');
  }

  memory(): Promise<MemorySample> {
    return this.child.call('memory');
  }

  async onWrites(resources: string[], fn: (e: RequestEvent) => void): Promise<void> {
    this.child.on<RequestEvent>('write', fn);
    await this.child.call('watchWrites', { resources });
  }

  stop(): Promise<void> {
    return this.child.close(30_000);
  }
}

/** Profiles land beside the results as CPU.*.cpuprofile (git-ignored: bench/results/*.cpuprofile). */
export function profileDir(resultsDir: string): string {
  return resultsDir;
}
