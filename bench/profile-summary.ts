/**
 * The top of a V8 CPU profile (from `npm run bench -- --profile`, written as
 * bench/results/CPU.*.cpuprofile) as text: self time per function and per package, so
 * docs/benchmarks.md can say what limits a number without opening DevTools.
 *
 *   npx tsx bench/profile-summary.ts bench/results/CPU.….cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function summarize(profile: Profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const where = !file
      ? functionName || '(native)'
      : file.startsWith('node:')
        ? 'node internals'
        : (file.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? file.split('/').slice(0, 2).join('/'));
    area.set(where, (area.get(where) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ what: k, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rank(fn), areas: rank(area) };
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  const s = summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25));
  console.log(`total sampled: ${s.totalMs} ms\n\nby area:`);
  for (const a of s.areas) console.log(`  ${String(a.share).padStart(5)}%  ${String(a.ms).padStart(7)} ms  ${a.what}`);
  console.log('\nby function (self time):');
  for (const f of s.functions)
    console.log(`  ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(7)} ms  ${f.what}`);
}
