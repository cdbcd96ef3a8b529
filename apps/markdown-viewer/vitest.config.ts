import { kubeloopVitest } from '../../tools/vitest-preset.ts';

export default kubeloopVitest(import.meta.dirname, 'markdown-viewer');
