// How long the CLI takes to start (issue #6: ≤ 0.3 s for `prestasync --help`), whole process, median of 7:
// the compiled bin as installed (dist/, built first if missing or older than the sources), and for
// comparison the same bin made to run the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { figure, median, out, ROOT } from './support.ts';

const BIN = path.join(ROOT, 'bin', 'prestasync.js');

export function cliStartBench(runs = 7): void {
  const probe = spawnSync(process.execPath, [BIN, '--help'], { env: { ...process.env, PRESTASYNC_DEBUG: '1' }, encoding: 'utf8' });
  if (probe.stderr.includes('tsx')) {
    out(`  ${probe.stderr.trim()}\n  building dist/ first (npm run build)`);
    const b = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.js')], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const compiled = startMs(runs, {});
  figure({ what: '`prestasync --help`, whole process (compiled dist/)', value: seconds(compiled, runs), goal: '≤ 0.3 s', ok: median(compiled) <= 300 });
  const source = startMs(runs, { PRESTASYNC_FROM_SOURCE: '1' });
  figure({ what: '`prestasync --help` from the TypeScript sources (tsx), for comparison', value: seconds(source, runs) });
}

function startMs(runs: number, env: NodeJS.ProcessEnv): number[] {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`prestasync --help exited ${r.status}`);
    if (i > 0) times.push(performance.now() - t); // the first run warms the disk cache
  }
  return times;
}

const seconds = (times: number[], runs: number) => `${(median(times) / 1000).toFixed(2)} s (median of ${runs}; min ${(Math.min(...times) / 1000).toFixed(2)} s)`;
