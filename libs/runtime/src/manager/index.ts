export { Manager, ManagerError, type ManagerOptions, type Runnable, type ServingAddresses } from './manager.ts';
export { managerOptionsFrom, managerUsage, FlagError } from './options.ts';
export { runManager, type RunManagerOptions } from './run-manager.ts';
export { parseBindAddress, BindAddressError } from './http.ts';
export { startLocalManager, type LocalManager, type LocalManagerOptions } from './local-manager.ts';
