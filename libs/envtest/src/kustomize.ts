import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidManifestError } from './errors.ts';
import { loadManifests, type ManifestInput } from './manifest-input.ts';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomization(path: string): boolean {
  try {
    return statSync(path).isDirectory() && KUSTOMIZATION_FILES.some((f) => existsSync(join(path, f)));
  } catch {
    return false;
  }
}

/**
 * Renders every kustomization directory in the input with `kubectl kustomize`, so deploy tests
 * apply exactly what `kubectl apply -k deploy/<app>` would. Asynchronous on purpose: the local API
 * server runs in this process and must keep answering while a child runs. kubectl is not
 * installable from the registries here, so its absence is an error that says so.
 */
export async function renderKustomizations(input: ManifestInput): Promise<ManifestInput> {
  if (typeof input === 'string') return isKustomization(input) ? kustomize(input) : input;
  const items = input;
  if (!items.some((i) => typeof i === 'string' && isKustomization(i))) return input;
  const out: object[] = [];
  for (const item of items) {
    if (typeof item === 'string' && isKustomization(item)) out.push(...loadManifests(await kustomize(item)));
    else out.push(...loadManifests([item]));
  }
  return out;
}

async function kustomize(dir: string): Promise<string> {
  const kubectl = process.env.KUBECTL ?? 'kubectl';
  try {
    const { stdout } = await promisify(execFile)(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new InvalidManifestError(
        `${dir} is a kustomization, and rendering it needs kubectl (not found; set KUBECTL to its path)`,
      );
    throw new InvalidManifestError(`kubectl kustomize ${dir} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}
