import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LagSummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  samples: number;
}

/**
 * Event-loop lag over a window, from Node's own sampler (`monitorEventLoopDelay`): how late a
 * timer scheduled every `resolutionMs` fired. A giant synchronous JSON.parse or a handler loop
 * over 100,000 objects shows up here as a long tail.
 */
export class LagMonitor {
  private h: IntervalHistogram;
  constructor(resolutionMs = 5) {
    this.h = monitorEventLoopDelay({ resolution: resolutionMs });
  }
  start(): this {
    this.h.reset();
    this.h.enable();
    return this;
  }
  stop(): LagSummary {
    this.h.disable();
    return this.summary();
  }
  summary(): LagSummary {
    const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
    const n = this.h.count;
    return {
      // No sample (a window shorter than the resolution) is "unknown", not "no lag".
      p50Ms: n ? ms(this.h.percentile(50)) : NaN,
      p99Ms: n ? ms(this.h.percentile(99)) : NaN,
      maxMs: n ? ms(this.h.max) : NaN,
      meanMs: n ? ms(this.h.mean) : NaN,
      samples: n,
    };
  }
}
