import { resolve } from 'node:path';
import { kubeloopVitest } from '../../../vitest-preset.ts';

// `nx run cronjob:e2e`: the end-to-end suite against the current kubeconfig's cluster (README,
// "End-to-end tests"). Never part of `npm test`: the project's own vitest.config.ts does not
// include e2e/. Image builds take minutes, hence the long hook timeout.
export default kubeloopVitest(resolve(import.meta.dirname, '..'), 'cronjob-e2e', {
  include: ['e2e/**/*.spec.ts'],
  reporters: ['default'],
  testTimeout: 10 * 60_000,
  hookTimeout: 45 * 60_000,
  fileParallelism: false,
});
