export * from './field-errors.ts';
