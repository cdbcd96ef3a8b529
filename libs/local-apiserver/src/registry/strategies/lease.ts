import type { Strategy } from '../strategy.ts';
import { noGeneration } from './shared.ts';

export const leaseStrategy: Strategy = { ...noGeneration };
