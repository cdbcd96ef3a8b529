import type { OpenApiModule, TableModule } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import type { GuardOptions } from './request-guard.ts';

export interface HandlerModules {
  openapi?: OpenApiModule;
  table?: TableModule;
}

export interface HandlerDeps {
  engine: ApiEngine;
  modules: HandlerModules;
  serverAddress: () => string;
  logger?: (line: object) => void;
  /** Live watch stoppers, so stop() can cut every stream. */
  watches: Set<() => void>;
  /** Who may ask: the token, and the Host names that address this listener. */
  guard: GuardOptions;
  /**
   * How long a read from a resourceVersion the server has not reached waits for it before the
   * 504 ResourceVersionTooLarge (GET-3).
   */
  futureRvWaitMs: number;
}
