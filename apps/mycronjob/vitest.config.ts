import { kubeloopVitest } from '../../vitest-preset.ts';

export default kubeloopVitest(import.meta.dirname, 'mycronjob');
