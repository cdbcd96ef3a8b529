import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { StartError } from './errors.ts';

/**
 * The files a kustomization lists under `resources`, in order — what `kubectl apply -k` would
 * apply for a plain tree like deploy/<app>/samples (no patches, generators or bases: those
 * would need kustomize itself, and are refused rather than silently skipped).
 */
export function kustomizationResources(dir: string): string[] {
  const file = join(dir, 'kustomization.yaml');
  const doc = parse(readFileSync(file, 'utf8')) as { resources?: unknown } & Record<string, unknown>;
  const unsupported = Object.keys(doc ?? {}).filter(
    (k) => !['apiVersion', 'kind', 'resources', 'namespace'].includes(k),
  );
  if (unsupported.length > 0) {
    throw new StartError(
      'UnsupportedKustomization',
      `${file}: npm start applies plain resource lists only, not ${unsupported.join(', ')}`,
    );
  }
  const resources = Array.isArray(doc?.resources) ? (doc.resources as unknown[]) : [];
  return resources.map((r) => {
    const path = join(dirname(file), String(r));
    if (!statSync(path).isFile())
      throw new StartError('UnsupportedKustomization', `${file}: resource ${String(r)} is not a file`);
    return path;
  });
}
