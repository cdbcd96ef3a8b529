import type { Tree } from '@nx/devkit';
import { GeneratorError } from './write-files.ts';

/**
 * kubebuilder's `// +kubebuilder:scaffold:*` markers, kubeloop's spelling: the generators
 * insert wiring (imports, kinds, controllers, webhooks) on the line before a marker, with the
 * marker's indentation, and never touch anything else in the file. A line already present is
 * not added twice. A marker the user removed is an error that says what to add by hand.
 */
export function insertBeforeMarker(tree: Tree, path: string, marker: string, line: string): boolean {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new GeneratorError('NotAnOperator', `${path} does not exist`);
  const tag = `// +kubeloop:scaffold:${marker}`;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === tag);
  if (at < 0)
    throw new GeneratorError(
      'NoMarker',
      `${path} has no "${tag}" line, so the generator cannot wire this in: add\n  ${line}\nthere by hand (or put the marker back where it belongs)`,
    );
  if (lines.some((l) => l.trim() === line.trim())) return false;
  const indent = lines[at]!.match(/^\s*/)![0];
  lines.splice(at, 0, `${indent}${line.trim()}`);
  tree.write(path, lines.join('\n'));
  return true;
}
