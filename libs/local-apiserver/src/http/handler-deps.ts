import type { OpenApiModule, TableModule } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';

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
}
