export { startApiServer, registerDeploymentSimulation } from './server.ts';
export type { LocalApiServer, LocalApiServerOptions } from './server.ts';
export type { JobSimulationOptions } from './controllers/job-simulation.ts';
export { createConversion } from './conversion/conversion.ts';
export type { ConversionModule, ConversionOptions } from './conversion/conversion.ts';
export { StatusError } from './errors.ts';
export type * from './types.ts';
