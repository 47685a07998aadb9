// The report archived next to every file: the "journal de synchronisation" sales administration reads.
// Keys are a public contract (issue #2); `summary` and every reason are in French.

export type ReportStatus = 'done' | 'partial' | 'duplicate' | 'quarantined';

export interface RecordCounts { read: number; created: number; updated: number; unchanged: number; rejected: number }

export interface FileReport {
  pipeline: string | null;
  file: string;
  sha256: string | null;
  status: ReportStatus;
  startedAt: string;
  finishedAt: string;
  records: RecordCounts;
  /** `pipeline`: in a multi-flow document, the flow that rejected the record (absent: refused when read). */
  rejects: Array<{ line: number; key?: string; reason: string; pipeline?: string }>;
  /** Webservice writes made for this file (in a dry run: the writes that would have been made). */
  writes: number;
  dryRun?: boolean;
  plannedWrites?: Array<{ method: string; resource: string; id?: string; fields: string[] }>;
  /** Why the file was quarantined, or what made it a duplicate. */
  reason?: string;
  warnings: string[];
  /** Resumed after an interruption: what the earlier attempts had applied (included in `records`, `writes`). */
  resumed?: { records: number; writes: number };
  /** The name in the archive when the original did not fit (too long); `file` keeps the original. */
  archivedAs?: string;
  /** A replay (« rejouer ») of a file already archived or quarantined: that file in the files journal. */
  replayOf?: { id: number; file: string; archive: string | null };
  /** A multi-flow document (a Sage « Format Sage » export): its format, a section per pipeline, and the
   *  records no shop flow uses, counted by kind. */
  document?: { format: string; title: string; sections: DocumentSection[]; unused: Record<string, number> };
  summary: string;
}

export interface DocumentSection {
  pipeline: string;
  /** French name of the flow (« articles »). */
  title: string;
  records: RecordCounts;
  writes: number;
  /** The flow is not built yet: its records were read, counted, not applied (« non traité »). */
  notBuilt?: number;
}

/** Longest reason or remark kept in a report: a file's content must not make a report unreadable (issue #7). */
export const MAX_REASON_CHARS = 500;
const MAX_WARNINGS = 50;

function bound(s: string, max = MAX_REASON_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} caractères de plus)`;
}

export function emptyCounts(): RecordCounts {
  return { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
}

const STATUS_FR: Record<ReportStatus, string> = {
  done: 'traité',
  partial: 'traité partiellement',
  duplicate: 'doublon (déjà traité)',
  quarantined: 'mis en quarantaine',
};

export function frenchSummary(r: Omit<FileReport, 'summary'>): string {
  const c = r.records;
  const what = r.document !== undefined ? r.document.title : r.pipeline ? `flux ${r.pipeline}` : undefined;
  const head = `Fichier ${r.file} ${STATUS_FR[r.status]}${what !== undefined ? ` (${what})` : ''}`;
  if (r.status === 'quarantined') {
    const effect = r.writes > 0 ? `${r.writes} écriture(s) faite(s) avant l'erreur ; déposez le fichier corrigé pour terminer` : 'Aucune modification de la boutique';
    return `${head} : ${r.reason ?? 'raison inconnue'}. ${effect}.`;
  }
  if (r.status === 'duplicate') return `${head} : ${r.reason ?? 'contenu identique à un fichier déjà traité'}. Aucune écriture.`;
  const parts = [
    `${c.read} ligne(s) lue(s)`,
    `${c.created} créé(s)`,
    `${c.updated} mis à jour`,
    `${c.unchanged} inchangé(s)`,
    `${c.rejected} rejeté(s)`,
  ];
  const dry = r.dryRun ? ' Simulation : rien n’a été écrit dans la boutique.' : '';
  return `${head} : ${parts.join(', ')} ; ${r.writes} écriture(s) dans la boutique.${documentSummary(r)}${dry}`;
}

/** Per flow, then what no flow uses: « articles : 50 lu(s), 2 créé(s)… ; non utilisé : #MPLG 120 ». */
function documentSummary(r: Omit<FileReport, 'summary'>): string {
  const d = r.document;
  if (!d) return '';
  const parts = d.sections.map((s) => s.notBuilt !== undefined
    ? `${s.title} : ${s.notBuilt} enregistrement(s) non traité(s) (flux pas encore disponible)`
    : `${s.title} : ${s.records.read} lu(s), ${s.records.created} créé(s), ${s.records.updated} mis à jour, ${s.records.unchanged} inchangé(s), ${s.records.rejected} rejeté(s), ${s.writes} écriture(s)`);
  const unused = Object.entries(d.unused);
  const total = unused.reduce((n, [, c]) => n + c, 0);
  if (unused.length > 0) parts.push(`non utilisé${total > 1 ? 's' : ''} par la boutique : ${unused.map(([k, c]) => `${k} ${c}`).join(', ')}`);
  if (d.sections.length === 0 && total > 0) parts.unshift(`aucun des ${total} enregistrement(s) de ce ${d.title} ne concerne la boutique`);
  return parts.length > 0 ? ` ${parts.join(' ; ')}.` : '';
}

export function finalizeReport(r: Omit<FileReport, 'summary'>): FileReport {
  const warnings = r.warnings.slice(0, MAX_WARNINGS).map((w) => bound(w));
  if (r.warnings.length > MAX_WARNINGS) warnings.push(`… et ${r.warnings.length - MAX_WARNINGS} autres remarques`);
  const bounded: Omit<FileReport, 'summary'> = {
    ...r,
    ...(r.reason !== undefined ? { reason: bound(r.reason) } : {}),
    rejects: r.rejects.map((j) => (j.reason.length > MAX_REASON_CHARS || (j.key?.length ?? 0) > 200 ? { ...j, ...(j.key !== undefined ? { key: bound(j.key, 200) } : {}), reason: bound(j.reason) } : j)),
    warnings,
  };
  return { ...bounded, summary: frenchSummary(bounded) };
}

const MAX_TEXT_REJECTS = 1000;

const fr = (iso: string) => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });

/** The same report as plain French text, for whoever opens the archive folder in Notepad. */
export function reportText(r: FileReport): string {
  const c = r.records;
  const lines = [
    `Rapport de synchronisation — ${r.file}`,
    '',
    r.summary,
    '',
    `Flux            : ${r.pipeline ?? '(non reconnu)'}`,
    `Statut          : ${STATUS_FR[r.status]}${r.dryRun ? ' (simulation)' : ''}`,
    `Début / fin     : ${fr(r.startedAt)} / ${fr(r.finishedAt)}`,
    `Empreinte       : SHA-256 ${r.sha256 ?? '-'}`,
    `Lignes lues     : ${c.read}`,
    `Enregistrements : ${c.created} créé(s), ${c.updated} mis à jour, ${c.unchanged} inchangé(s), ${c.rejected} rejeté(s)`,
    `Écritures       : ${r.writes} dans la boutique`,
  ];
  if (r.reason) lines.push(`Motif           : ${r.reason}`);
  if (r.replayOf) lines.push(`Rejeu de        : ${r.replayOf.file} (n° ${r.replayOf.id}${r.replayOf.archive ? `, ${r.replayOf.archive}` : ''})`);
  if (r.archivedAs) lines.push(`Archivé sous   : ${r.archivedAs} (nom d'origine trop long)`);
  if (r.document) {
    lines.push('', `Document        : ${r.document.title}`);
    for (const s of r.document.sections) {
      lines.push(s.notBuilt !== undefined
        ? `  ${s.title.padEnd(14)}: ${s.notBuilt} enregistrement(s) non traité(s) — flux pas encore disponible`
        : `  ${s.title.padEnd(14)}: ${s.records.read} lu(s), ${s.records.created} créé(s), ${s.records.updated} mis à jour, ${s.records.unchanged} inchangé(s), ${s.records.rejected} rejeté(s), ${s.writes} écriture(s)`);
    }
    for (const [k, c] of Object.entries(r.document.unused)) lines.push(`  ${k.padEnd(14)}: ${c} enregistrement(s) non utilisé(s) par la boutique`);
  }
  if (r.rejects.length) {
    lines.push('', `Lignes rejetées (${r.rejects.length}) :`);
    for (const j of r.rejects.slice(0, MAX_TEXT_REJECTS)) lines.push(`  ligne ${String(j.line).padStart(6)}  ${((j.pipeline ? `[${j.pipeline}] ` : '') + (j.key ?? '')).padEnd(20)}  ${j.reason}`);
    if (r.rejects.length > MAX_TEXT_REJECTS) lines.push(`  … et ${r.rejects.length - MAX_TEXT_REJECTS} autres lignes rejetées (toutes dans le rapport .report.json)`);
  }
  if (r.warnings.length) lines.push('', 'Remarques :', ...r.warnings.map((w) => `  - ${w}`));
  // CRLF and a BOM: Windows tools, where this is read, open it right.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
