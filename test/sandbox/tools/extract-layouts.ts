// Regenerates src/sandbox/data/layouts.json and api-root.json from the recorded transcripts.
// The sandbox renders objects field by field in the order the real shop used; that order is not the
// class definition order (resources.json), so it is taken from the recordings themselves.
// Run: npx tsx test/sandbox/tools/extract-layouts.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface FieldLayout { name: string; xlink?: string; notFilterable?: boolean; lang?: boolean }
interface AssocLayout { name: string; nodeType: string; api?: string; virtualEntity?: boolean; itemXlink?: string; fields: FieldLayout[] }
interface ObjectLayout { node: string; source: 'transcript' | 'schema'; fields: FieldLayout[]; associations: AssocLayout[] }

const here = path.dirname(fileURLToPath(import.meta.url));
const transcriptsDir = path.join(here, '../../fixtures/prestashop/transcripts');
const outDir = path.join(here, '../../../src/sandbox/data');

function fieldOf(line: string): FieldLayout | undefined {
  const m = /^\t<(\w+)((?: [\w:]+="[^"]*")*)>/.exec(line);
  if (!m || m[1] === undefined) return undefined;
  const attrs = m[2] ?? '';
  const f: FieldLayout = { name: m[1] };
  const href = /xlink:href="[^"]*\/api\/(\w+)\//.exec(attrs);
  if (href?.[1]) f.xlink = href[1];
  if (attrs.includes('notFilterable="true"')) f.notFilterable = true;
  if (line.includes('<language id=')) f.lang = true;
  return f;
}

function parseObjects(body: string, source: ObjectLayout['source']): ObjectLayout[] {
  const lines = body.split('\n');
  const out: ObjectLayout[] = [];
  let cur: ObjectLayout | undefined;
  let assoc: AssocLayout | undefined;
  let inItem = false;
  let inAssocSection = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    if (!cur) {
      const m = /^<(\w+)>$/.exec(line);
      if (m?.[1] && (next.startsWith('\t<id>') || source === 'schema')) cur = { node: m[1], source, fields: [], associations: [] };
      continue;
    }
    if (line === `</${cur.node}>`) { out.push(cur); cur = undefined; continue; }
    if (line === '<associations>') { inAssocSection = true; continue; }
    if (line === '</associations>') { inAssocSection = false; continue; }
    const am = /^<(\w+) nodeType="(\w+)"(?: api="([\w/]+)")?( virtualEntity="true")?(\/?)>$/.exec(line);
    if (am?.[1] && am[2]) {
      assoc = { name: am[1], nodeType: am[2], fields: [] };
      if (am[3]) assoc.api = am[3];
      if (am[4]) assoc.virtualEntity = true;
      cur.associations.push(assoc);
      if (am[5]) assoc = undefined;
      continue;
    }
    if (assoc) {
      if (line === `</${assoc.name}>`) { assoc = undefined; continue; }
      const im = new RegExp(`^\\t<${assoc.nodeType}(?: xlink:href="[^"]*/api/(\\w+)/[^"]*")?>$`).exec(line);
      if (im) { inItem = true; if (im[1]) assoc.itemXlink = im[1]; continue; }
      if (line === `\t</${assoc.nodeType}>`) { inItem = false; continue; }
      if (inItem) {
        const f = fieldOf(line);
        if (f && !assoc.fields.some((x) => x.name === f.name)) assoc.fields.push(f);
      }
      continue;
    }
    if (inAssocSection) continue;
    const f = fieldOf(line);
    if (f) cur.fields.push(f);
  }
  return out;
}

const best = new Map<string, ObjectLayout>();
const files = readdirSync(transcriptsDir).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  const t = JSON.parse(readFileSync(path.join(transcriptsDir, file), 'utf8')) as { response: { body: string | null } };
  const body = t.response.body ?? '';
  if (!body.startsWith('<?xml')) continue;
  for (const obj of parseObjects(body, 'transcript')) merge(obj);
}
// Blank schemas list every field of resources the transcripts only show partially (e.g. countries).
const schemasDir = path.join(transcriptsDir, '../schemas');
for (const file of readdirSync(schemasDir).filter((f) => f.startsWith('blank_')).sort()) {
  for (const obj of parseObjects(readFileSync(path.join(schemasDir, file), 'utf8'), 'schema')) {
    const prev = best.get(obj.node);
    if (!prev || obj.fields.length > prev.fields.length) {
      if (prev) obj.associations = prev.associations;
      best.set(obj.node, obj);
    }
  }
}
// Blank schemas name associations without nodeType/api; the synopsis ones carry them (combinations).
for (const file of readdirSync(schemasDir).filter((f) => f.startsWith('synopsis_')).sort()) {
  for (const obj of parseObjects(readFileSync(path.join(schemasDir, file), 'utf8'), 'schema')) {
    const layout = best.get(obj.node);
    if (layout && layout.associations.length === 0 && obj.associations.length) layout.associations = obj.associations;
  }
}
function merge(obj: ObjectLayout): void {
  {
    const prev = best.get(obj.node);
    if (!prev) { best.set(obj.node, obj); return; }
    // Keep the widest field list; merge association layouts (item fields only show when non-empty).
    const wider = obj.fields.length > prev.fields.length ? obj : prev;
    const other = wider === obj ? prev : obj;
    for (const f of wider.fields) {
      const o = other.fields.find((x) => x.name === f.name);
      if (o?.xlink && !f.xlink) f.xlink = o.xlink;
    }
    for (const a of other.associations) {
      const w = wider.associations.find((x) => x.name === a.name);
      if (!w) wider.associations.push(a);
      else {
        for (const f of a.fields) {
          const wf = w.fields.find((x) => x.name === f.name);
          if (!wf) w.fields.push(f);
          else if (f.xlink && !wf.xlink) wf.xlink = f.xlink;
        }
        if (a.itemXlink && !w.itemXlink) w.itemXlink = a.itemXlink;
      }
    }
    best.set(obj.node, wider);
  }
}
const layouts: Record<string, ObjectLayout> = {};
for (const [node, l] of [...best.entries()].sort(([a], [b]) => a.localeCompare(b))) layouts[node] = l;
writeFileSync(path.join(outDir, 'layouts.json'), JSON.stringify(layouts, null, 1) + '\n');

// The API root (001): resource names, descriptions and whether schema links are listed.
const root = JSON.parse(readFileSync(path.join(transcriptsDir, files.find((f) => f.startsWith('001-')) ?? ''), 'utf8')) as { response: { body: string } };
const entries: Array<{ name: string; description: string; schema: boolean }> = [];
const re = /<(\w+) xlink:href="[^"]*" get="true"[^>]*>\n<description [^>]*>\n([^<]*)<\/description>\n((?:<schema [^\n]*\n)*)<\/\1>/g;
for (const m of root.response.body.matchAll(re)) entries.push({ name: m[1] ?? '', description: m[2] ?? '', schema: (m[3] ?? '') !== '' });
writeFileSync(path.join(outDir, 'api-root.json'), JSON.stringify(entries, null, 1) + '\n');
console.log(`${Object.keys(layouts).length} layouts, ${entries.length} root entries`);
