// `npm run bench`: the figures the README quotes, each beside its goal. Not a test: it prints what it
// measures (speed is never asserted in a test). BENCH_LINES, BENCH_BIG_LINES, BENCH_ORDERS, BENCH_ARTICLES
// scale it down; BENCH_ONLY=catalog (or cli, stock, floor, orders) runs one part.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogBench } from './catalog.ts';
import { cliStartBench } from './cli.ts';
import { floorBench } from './floor.ts';
import { ordersBench } from './orders.ts';
import { stockBench } from './stock.ts';
import { figures, out, ROOT, WORK } from './support.ts';

const N = Number(process.env.BENCH_LINES ?? 100_000);
const BIG = Number(process.env.BENCH_BIG_LINES ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
out(`prestasync ${pkg.version} bench — node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}`);
out(`scratch folder ${path.relative(ROOT, WORK)}`);
await fs.mkdir(WORK, { recursive: true });
const only = process.env.BENCH_ONLY;
const part = (name: string) => only === undefined || only === name;
if (part('cli')) { out('\nCLI'); cliStartBench(); }
if (part('stock')) { out('\nStock'); await stockBench(N, BIG); }
if (part('floor')) { out('\nThe shop\'s floor'); await floorBench(); }
if (part('orders')) { out('\nOrders'); await ordersBench(ORDERS); }
if (part('catalog')) { out('\nCatalogue'); await catalogBench(ARTICLES, 2000); }

out('\n| figure | measured | goal |\n|---|---|---|');
for (const f of figures) out(`| ${f.what} | ${f.value} | ${f.goal ? `${f.goal} ${f.ok ? '✓' : '✗'}` : ''} |`);
