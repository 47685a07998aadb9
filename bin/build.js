#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds it): the CLI compiled to dist/ so that it starts
// without compiling TypeScript (issue #6). Built beside dist/ then swapped in, so that an interrupted build
// never leaves a half dist/ for the bin to run; data files the code reads next to itself are copied along.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES, STAMP } from './sources.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const next = path.join(root, '.dist-next');
// A source saved while tsc runs must make the build look stale, not fresh: the stamp carries the start time.
const started = new Date();

rmSync(next, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.stderr.write('prestasync : la compilation a échoué (voir ci-dessus), dist/ est laissé tel quel.\n');
  process.exit(r.status ?? 1);
}

// JSON, YAML…: read at run time through paths relative to their module (src/sandbox/data,
// src/prestashop/reference, config/profiles).
for (const dir of SOURCES) {
  const from = path.join(root, dir);
  if (!existsSync(from)) continue;
  cpSync(from, path.join(next, dir), { recursive: true, filter: (f) => !f.endsWith('.ts') });
}
removeEmptyDirs(next);

const stamp = path.join(next, STAMP);
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
rmSync(out, { recursive: true, force: true });
renameSync(next, out);

function removeEmptyDirs(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeEmptyDirs(path.join(dir, e.name));
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
