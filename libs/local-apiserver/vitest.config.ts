import { kubeloopVitest } from '../../vitest-preset.ts';

export default kubeloopVitest(import.meta.dirname, 'local-apiserver', {
  // conformance/replay.spec.ts: the differential suite against golden answers of kube-apiserver.
  include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'conformance/**/*.spec.ts'],
});
