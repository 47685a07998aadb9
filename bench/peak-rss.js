// Preloaded by the bench (`node --import ./bench/peak-rss.js …`) into a process it measures: prints that
// process's peak RSS as it exits. Plain JavaScript, so that measuring costs the process nothing to compile.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `peakRssMb=${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
});
