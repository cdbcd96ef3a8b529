import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Reproduces the kubelet's AtomicWriter, which is how a ConfigMap volume is updated in place:
 * the payload goes into a fresh `..<timestamp>` directory, a `..data_tmp` symlink to it is
 * renamed over `..data` (the one atomic step), then each key is a symlink `key -> ..data/key`,
 * keys no longer present lose their symlink, and the previous timestamped directory is removed.
 */
export class AtomicWriter {
  private generation = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(payload: Record<string, string>): void {
    const previous = this.currentDataDir();
    const stamp = `..2026_01_01_00_00_${String(this.generation++).padStart(2, '0')}.${Math.random().toString(36).slice(2, 11)}`;
    const dataDir = join(this.dir, stamp);
    mkdirSync(dataDir);
    for (const [key, value] of Object.entries(payload)) writeFileSync(join(dataDir, key), value);
    const tmp = join(this.dir, '..data_tmp');
    symlinkSync(stamp, tmp);
    renameSync(tmp, join(this.dir, '..data'));
    for (const key of Object.keys(payload)) {
      try {
        symlinkSync(join('..data', key), join(this.dir, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    for (const entry of readdirSync(this.dir)) {
      if (!entry.startsWith('..') && !(entry in payload)) unlinkSync(join(this.dir, entry));
    }
    if (previous) rmSync(join(this.dir, previous), { recursive: true, force: true });
  }

  private currentDataDir(): string | undefined {
    try {
      return readlinkSync(join(this.dir, '..data'));
    } catch {
      return undefined;
    }
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(process.env['TMPDIR'] ?? '/tmp', prefix));
}
