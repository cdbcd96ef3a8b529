import type { Strategy } from '../strategy.ts';
import { noGeneration } from './shared.ts';

export const serviceAccountStrategy: Strategy = { ...noGeneration, returnDeletedObject: true };
