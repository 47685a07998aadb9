// Named crash points: a test sets PRESTASYNC_CRASH_AT=<name>[:<n>] in a child's environment and the child
// kills itself (SIGKILL, like kill -9) the n-th time (default the first) it reaches that step. Crash tests
// choose their kill point by progress this way, never by a timer, so each trial lands where it says
// whatever the machine's speed (issue #6). Unset — always in production — each call is one comparison.
const spec = process.env.PRESTASYNC_CRASH_AT;
const [wanted, nth] = spec ? [spec.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(spec)?.[1] ?? 1)] : [undefined, 0];
let seen = 0;

export function crashPoint(name: string): void {
  if (wanted === undefined || name !== wanted) return;
  seen++;
  if (seen === nth) process.kill(process.pid, 'SIGKILL');
}
