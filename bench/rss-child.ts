// Processes the drop folder of a bench configuration in a fresh process from the sources (tsx) and prints
// its peak RSS: the bench measures the compiled `prestasync run` instead; kept to compare the two.
import { loadConfigFile } from '../src/config/load.ts';
import { Engine } from '../src/engine.ts';
import { silentLogger } from '../src/log.ts';
import { PIPELINES } from '../pipelines/registry.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: rss-child.ts CONFIG');
const engine = await Engine.open(loadConfigFile(file, {}), { log: silentLogger(), pipelines: PIPELINES });
const summary = await engine.runOnce();
engine.close();
const statuses = summary.files.map((f) => f.outcome.status).join(',');
process.stdout.write(`files=${statuses} peakRssMb=${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
