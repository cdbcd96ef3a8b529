import type { Manager } from '@kubeloop/runtime';
import { controllers } from './manifests.ts';

/**
 * Everything the math manager runs: the Number, Tuple and Fermat controllers. Shared by
 * main.ts, the integration tests, `npm start` and the benchmarks, so all of them run the same
 * thing (as markdown-view's setupMarkdownView).
 */
export function setupMath(mgr: Manager): void {
  for (const controller of controllers) mgr.add(controller);
}
