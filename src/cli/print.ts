// What a manual run prints: one line per file in French, the reasons of the first rejects, and where
// the report is.
import path from 'node:path';
import type { RunSummary } from '../engine.ts';

const SHOP_STATUS_FR = { done: 'terminé', partial: 'terminé avec des commandes retenues', failed: 'interrompu' } as const;
/** Files that got no report: why, in the words the ADV staff read. */
const NO_REPORT_FR = {
  deferred: 'reporté au prochain passage',
  skipped: 'laissé en place',
  blocked: 'BLOQUÉ, à déplacer à la main',
} as const;

/** A path as the user typed the command: relative to the working folder when it is inside it. */
export function shown(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function formatRunSummary(s: RunSummary, o: { dryRun: boolean }): string {
  const out: string[] = [];
  if (s.pulled) out.push(`${s.pulled} fichier(s) récupéré(s) sur le SFTP.`);
  if (s.files.length === 0 && s.shop.length === 0) out.push('Aucun fichier à traiter dans le dossier de dépôt.');
  for (const { name, outcome } of s.files) {
    if (!('report' in outcome)) {
      out.push(`${name} : ${NO_REPORT_FR[outcome.status]} — ${outcome.reason}`);
      continue;
    }
    const r = outcome.report;
    out.push(r.summary);
    for (const rej of r.rejects.slice(0, 10)) out.push(`    ligne ${rej.line}${rej.key ? ` [${rej.key}]` : ''} : ${rej.reason}`);
    if (r.rejects.length > 10) out.push(`    … et ${r.rejects.length - 10} autre(s) rejet(s), voir le rapport`);
    for (const w of r.warnings) out.push(`    remarque : ${w}`);
    if (o.dryRun && r.plannedWrites?.length) {
      for (const w of r.plannedWrites.slice(0, 20)) out.push(`    écrirait : ${w.method} ${w.resource}${w.id ? `/${w.id}` : ''} (${w.fields.join(', ')})`);
      if (r.plannedWrites.length > 20) out.push(`    … et ${r.plannedWrites.length - 20} autre(s) écriture(s)`);
    }
    if (outcome.archivedAs) out.push(`    archivé : ${shown(outcome.archivedAs)} (+ .report.json, .rapport.txt)`);
  }
  for (const { pipeline, report } of s.shop) {
    const counts = Object.entries(report.counts).map(([k, v]) => `${k} : ${v}`).join(', ');
    out.push(`Flux ${pipeline} ${SHOP_STATUS_FR[report.status]}${counts ? ` — ${counts}` : ' — rien de nouveau'}`);
    for (const i of report.items.slice(0, 20)) {
      out.push(`    ${i.key} : ${i.outcome}${i.file ? ` → ${i.file}` : ''}${i.reason ? ` — ${i.reason}` : ''}`);
    }
    if (report.items.length > 20) out.push(`    … et ${report.items.length - 20} autre(s)`);
  }
  if (s.ignored.length > 0) {
    out.push(`${s.ignored.length} élément(s) du dossier de dépôt non pris en charge (laissés en place) :`);
    for (const i of s.ignored.slice(0, 20)) out.push(`    ${shown(i.path)} : ${i.reason}`);
    if (s.ignored.length > 20) out.push(`    … et ${s.ignored.length - 20} autre(s), voir le journal`);
  }
  return `${out.join('\n')}\n`;
}

export function printRunSummary(s: RunSummary, o: { dryRun: boolean }): void {
  process.stdout.write(formatRunSummary(s, o));
}
