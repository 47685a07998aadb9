#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` builds it): the CLI bundled into dist/ by esbuild so that
// it starts without compiling TypeScript nor resolving and reading some 500 module files one by one (issue
// #6: most of the CLI's start was module loading). Built beside dist/ then swapped in, so that an
// interrupted build never leaves a half dist/ for the bin to run; data files the code reads next to itself
// are copied along. Type errors are `npm run typecheck`'s business, not the build's.
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { SOURCES, STAMP } from './sources.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
const next = path.join(root, '.dist-next');
// Every output file (the entry and its chunks) lands in this folder of dist/.
const OUT_DIR = 'src/cli';
// A source saved while the build runs must make the build look stale, not fresh: the stamp carries the start.
const started = new Date();

/** A module that finds its data through `import.meta.url` (src/sandbox/data, src/prestashop/reference,
 *  config/profiles) must keep finding it where the build copies it, although its code now lives in a chunk
 *  of OUT_DIR: its `import.meta.url` becomes the URL its own compiled file would have had in dist/. */
const moduleUrl = {
  name: 'module-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const rel = path.relative(path.join(root, OUT_DIR), args.path).replace(/\.ts$/, '.js').split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

rmSync(next, { recursive: true, force: true });
try {
  await esbuild.build({
    entryPoints: { [`${OUT_DIR}/main`]: path.join(root, 'src', 'cli', 'main.ts') },
    outdir: next,
    bundle: true,
    // Each command's modules stay in chunks imported when it runs: `--help` loads commander and no more.
    splitting: true,
    chunkNames: `${OUT_DIR}/[name]-[hash]`,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Native addons (and what loads them) are resolved from node_modules at run time.
    external: ['better-sqlite3', 'ssh2', 'ssh2-sftp-client', 'cpu-features'],
    // The CommonJS packages bundled (winston, iconv-lite…) require Node's own modules.
    banner: { js: "import { createRequire as __prestasyncCreateRequire } from 'node:module'; const require = __prestasyncCreateRequire(import.meta.url);" },
    plugins: [moduleUrl],
    logLevel: 'warning',
  });
} catch {
  rmSync(next, { recursive: true, force: true });
  process.stderr.write('prestasync : la compilation a échoué (voir ci-dessus), dist/ est laissé tel quel.\n');
  process.exit(1);
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
