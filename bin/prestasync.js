#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` or `npm run build`) when it is there and no source
// is newer than it: starting costs no TypeScript compilation. Otherwise — a fresh checkout before its
// build, a source edited since — the TypeScript itself through tsx, never an outdated build.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES, STAMP } from './sources.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const why = whyNotDist();
if (why === undefined) {
  await import('../dist/src/cli/main.js');
} else {
  if (process.env.PRESTASYNC_DEBUG) process.stderr.write(`prestasync : ${why}, exécution des sources TypeScript par tsx (plus lent au démarrage).\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

/** Why dist/ cannot be used, or undefined when it can. */
function whyNotDist() {
  if (process.env.PRESTASYNC_FROM_SOURCE) return 'PRESTASYNC_FROM_SOURCE est défini';
  let built;
  try {
    built = statSync(path.join(root, 'dist', STAMP)).mtimeMs;
  } catch {
    return 'pas de version compilée dans dist/ (npm run build)';
  }
  const newer = SOURCES.map((d) => newerThan(path.join(root, d), built)).find(Boolean);
  return newer ? `${path.relative(root, newer)} est plus récent que dist/ (npm run build)` : undefined;
}

function newerThan(dir, ms) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const n = newerThan(p, ms);
      if (n) return n;
    } else if (statSync(p).mtimeMs > ms) {
      return p;
    }
  }
  return undefined;
}
