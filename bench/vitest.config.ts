import { kubeloopVitest } from '../vitest-preset.ts';

// The smoke suite spawns a control plane, a manager and probes as child processes: give it time.
export default kubeloopVitest(import.meta.dirname, 'bench', {
  include: ['**/*.spec.ts'],
  exclude: ['results/**', 'node_modules/**'],
  testTimeout: 300_000,
});
