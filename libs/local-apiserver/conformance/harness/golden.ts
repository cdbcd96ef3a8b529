import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A request as the golden file shows it (normalised: tokens instead of run-specific values). */
export interface RecordedRequest {
  method: string;
  path: string;
  query?: Record<string, string[]>;
  contentType?: string;
  accept?: string;
  body?: unknown;
}

/** A normalised answer: what the replay compares. */
export interface Answer {
  status: number;
  contentType?: string;
  warnings?: string[];
  /** JSON body. */
  body?: unknown;
  /** Any other body, as text (or `<binary N bytes>`). */
  text?: string;
  /** Watch steps: the events read, and why the read stopped. */
  events?: unknown[];
  end?: 'count' | 'closed' | 'timeout';
}

export interface RecordedStep {
  /** Read-from-watch steps have no request of their own. */
  request?: RecordedRequest;
  read?: string;
  answer: Answer;
}

export interface RecordedCase {
  title: string;
  steps: RecordedStep[];
}

export interface GoldenFile {
  /** `/version` gitVersion of the server the answers came from. */
  recordedFrom: string;
  cases: Record<string, RecordedCase>;
}

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');

export function goldenPath(file: string): string {
  return join(GOLDEN_DIR, `${file}.json`);
}

export function readGolden(file: string): GoldenFile | undefined {
  const p = goldenPath(file);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as GoldenFile) : undefined;
}

export function writeGolden(file: string, g: GoldenFile): void {
  const p = goldenPath(file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, `${JSON.stringify(g, null, 2)}\n`);
}
