// How long the CLI takes to start (issue #6: ≤ 0.3 s for `prestasync --help`), whole process, median of 7.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { figure, median, ROOT } from './support.ts';

export function cliStartBench(runs = 7): void {
  const bin = path.join(ROOT, 'bin', 'prestasync.js');
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, '--help'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`prestasync --help exited ${r.status}`);
    if (i > 0) times.push(performance.now() - t); // the first run warms the disk cache
  }
  const ms = median(times);
  figure({ what: '`prestasync --help`, whole process', value: `${(ms / 1000).toFixed(2)} s (median of ${runs}; min ${(Math.min(...times) / 1000).toFixed(2)} s)`, goal: '≤ 0.3 s', ok: ms <= 300 });
}
