import { generateFiles, type Tree } from '@nx/devkit';

export class GeneratorError extends Error {
  constructor(
    readonly code: 'WouldOverwrite' | 'NotAnOperator' | 'NoSuchKind' | 'BadName' | 'NoMarker',
    message: string,
  ) {
    super(message);
    this.name = 'GeneratorError';
  }
}

/**
 * Renders a template folder (generateFiles: EJS, `__name__` in paths, `.template` dropped) but
 * refuses to replace a file that exists with other content unless `force` is set: a generator
 * never overwrites user code silently. The error names every such file. Files that already hold
 * exactly the rendered content are left alone, so running a generator twice is harmless.
 */
export function writeNewFiles(
  tree: Tree,
  srcFolder: string,
  target: string,
  substitutions: Record<string, unknown>,
  force: boolean,
): string[] {
  const planned = renderFiles(srcFolder, target, substitutions);
  const conflicts = [...planned].filter(([path, content]) => {
    const existing = tree.read(path);
    return existing !== null && !existing.equals(Buffer.from(content));
  });
  if (conflicts.length > 0 && !force) {
    throw new GeneratorError(
      'WouldOverwrite',
      `refusing to overwrite ${conflicts.map(([p]) => p).join(', ')}: ${conflicts.length === 1 ? 'it exists' : 'they exist'} with other content (your code?). Move ${conflicts.length === 1 ? 'it' : 'them'} away, or run again with --force to replace ${conflicts.length === 1 ? 'it' : 'them'}.`,
    );
  }
  const written: string[] = [];
  for (const [path, content] of planned) {
    const existing = tree.read(path);
    if (existing !== null && existing.equals(Buffer.from(content))) continue;
    tree.write(path, content);
    written.push(path);
  }
  return written;
}

/** What generateFiles would write, path → content, without touching any tree. */
export function renderFiles(
  srcFolder: string,
  target: string,
  substitutions: Record<string, unknown>,
): Map<string, string | Buffer> {
  const planned = new Map<string, string | Buffer>();
  const recorder = {
    root: '/',
    exists: () => false,
    write: (path: string, content: string | Buffer) => planned.set(path, content),
  } as unknown as Tree;
  generateFiles(recorder, srcFolder, target, substitutions);
  return planned;
}
