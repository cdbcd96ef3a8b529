import type { KubeObject } from '../types.ts';
import type { Strategy } from '../registry/strategy.ts';
import { stableEqual } from './object-values.ts';

/** metadata.generation on update, as the type's strategy says it moves (OBJ-5, DEP-3). */
export function bumpGeneration(strategy: Strategy, obj: KubeObject, old: KubeObject): void {
  const oldGen = old.metadata?.generation;
  if (strategy.generation === 'none') {
    if (oldGen === undefined) delete obj.metadata!.generation;
    else obj.metadata!.generation = oldGen;
    return;
  }
  const base = oldGen ?? 1;
  let changed: boolean;
  if (strategy.generation === 'nonMetadata') {
    const strip = (o: KubeObject) => {
      const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    };
    changed = !stableEqual(strip(obj), strip(old));
  } else {
    changed = !stableEqual(obj.spec, old.spec);
    if (
      strategy.generation === 'specAndAnnotations' &&
      !stableEqual(obj.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})
    )
      changed = true;
  }
  obj.metadata!.generation = changed ? base + 1 : base;
}
