// `npm run bench`: the figures the README quotes, each beside its goal. Not a test: it prints what it
// measures (speed is never asserted in a test). BENCH_LINES, BENCH_BIG_LINES, BENCH_ORDERS scale it down.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliStartBench } from './cli.ts';
import { floorBench } from './floor.ts';
import { ordersBench } from './orders.ts';
import { stockBench } from './stock.ts';
import { figures, out, ROOT, WORK } from './support.ts';

const N = Number(process.env.BENCH_LINES ?? 100_000);
const BIG = Number(process.env.BENCH_BIG_LINES ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
out(`prestasync ${pkg.version} bench — node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}`);
out(`scratch folder ${path.relative(ROOT, WORK)}`);
await fs.mkdir(WORK, { recursive: true });
out('\nCLI'); cliStartBench();
out('\nStock'); await stockBench(N, BIG);
out('\nThe shop\'s floor'); await floorBench();
out('\nOrders'); await ordersBench(ORDERS);

out('\n| figure | measured | goal |\n|---|---|---|');
for (const f of figures) out(`| ${f.what} | ${f.value} | ${f.goal ? `${f.goal} ${f.ok ? '✓' : '✗'}` : ''} |`);
