import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertError } from './pki.ts';

/**
 * Writes each file to a temporary name in `dir` and renames it into place, so a process that
 * watches the directory (the webhook server reloading its certificate) never reads a
 * half-written PEM. The files are renamed one after another, not as one transaction: write the
 * key before the certificate when a reader may pair them, or reload on either change and
 * retry on a mismatch (as the webhook server does). Keys are written mode 0600.
 */
export function writeCertDir(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') {
      throw new CertError('BadFileName', `writeCertDir: "${name}" must be a plain file name inside ${dir}`);
    }
    const target = join(dir, name);
    const tmp = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(tmp, content, { mode: /key/i.test(name) ? 0o600 : 0o644 });
    renameSync(tmp, target);
  }
}
