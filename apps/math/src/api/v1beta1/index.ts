export * from './group.ts';
export * from './schema.ts';
export * from './number.ts';
export * from './tuple.ts';
export * from './fermat.ts';
