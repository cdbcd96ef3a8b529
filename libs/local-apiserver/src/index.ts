export { startApiServer, registerDeploymentSimulation } from './server.ts';
export type { LocalApiServer, LocalApiServerOptions } from './server.ts';
export { StatusError } from './errors.ts';
export type * from './types.ts';
