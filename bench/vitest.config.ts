import { kubeloopVitest } from '../vitest-preset.ts';

// The smoke suite spawns a control plane, a manager and probes as child processes: give it time.
// Its math scenarios took over 300 s at load average ~19 on 2 cores (2026-12-07; the foo test
// beside them 126 s), so each test gets 600 s: a bound, not a wait.
export default kubeloopVitest(import.meta.dirname, 'bench', {
  include: ['**/*.spec.ts'],
  exclude: ['results/**', 'node_modules/**'],
  testTimeout: 600_000,
});
