// The Sage 100 « Format Sage » master-data export as a multi-flow document (src/document.ts): one read of
// the file, each record routed by its flag — families and catalogue nodes to categories, articles to
// products, their tariffs to prices, clients to customers — the parameter records kept as reference tables
// for the records of this file and of the later, partial exports. Any other record is counted by flag.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { DocumentFormat, DocumentItem } from '../../document.ts';
import type { FileContext } from '../../pipeline.ts';
import { catalogueKey, sameLabel } from '../../../transforms/sage/keys.ts';
import {
  CARRIED_CHILDREN, articleRow, catalogueRow, clientRow, countryRow, familyRow, priceCategoryRows, settingsRow, tariffRow, taxRow, unitRows,
  type SageCatalogueRow,
} from '../../../transforms/sage/rows.ts';
import { normalizeKey } from '../../../transforms/common/numbers.ts';
import { catalogueMoves } from '../../../transforms/sage/moves.ts';
import { readFormatSage, type SageRecord } from './read.ts';

export const FORMAT_SAGE = 'format-sage';

/** Reference tables of the format, as `ctx.document.tables` names them. */
export const TABLES = {
  taxes: 'taxes', priceCategories: 'priceCategories', countries: 'countries', units: 'units',
  settings: 'settings', catalogue: 'catalogue', families: 'families',
} as const;

const TITLES: Record<string, string> = { categories: 'catégories', products: 'articles', prices: 'tarifs', customers: 'clients' };

export const formatSage: DocumentFormat = {
  name: FORMAT_SAGE,
  title: 'export Sage « Format Sage »',
  recognise: (head) => {
    let h = head;
    if (h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf) h = h.subarray(3); // the reader says why it is refused
    return h.subarray(0, 8).toString('latin1') === '#FLG 000' && (h.length === 8 || h[8] === 0x0d || h[8] === 0x0a);
  },
  read: (path, ctx) => readSageDocument(createReadStream(path), earlierTables(ctx), ctx.config.catalog.fullExport),
  pipelineTitle: (name) => TITLES[name] ?? name,
};

function earlierTables(ctx: FileContext): ReadonlyMap<string, ReadonlyMap<string, unknown>> {
  return ctx.document?.tables ?? ctx.state.documentTables(FORMAT_SAGE);
}

/** The items of one export; `earlier`: the tables kept from the earlier exports (to place a catalogue node
 *  whose parent this partial export does not carry, and to recognise one that moved); `fullExport`: every
 *  file carries the whole catalogue (`catalog.fullExport`). */
export async function* readSageDocument(source: AsyncIterable<Buffer> | Readable, earlier: ReadonlyMap<string, ReadonlyMap<string, unknown>>, fullExport = false): AsyncGenerator<DocumentItem[]> {
  const doc = new SageDocument(earlier.get(TABLES.catalogue) as ReadonlyMap<string, SageCatalogueRow> | undefined, fullExport);
  for await (const batch of readFormatSage(source)) {
    const out: DocumentItem[] = [];
    for (const item of batch) {
      if ('record' in item) doc.record(item.record, out);
      else if ('reject' in item) out.push({ reject: item.reject, line: item.line, kind: item.flag });
      else if ('warning' in item) out.push({ warning: item.warning });
      else doc.version = item.header.version;
    }
    if (out.length > 0) yield out;
  }
  const tail = doc.end();
  if (tail.length > 0) yield tail;
}

class SageDocument {
  version = '';
  private warnedVersion = false;
  /** This file's catalogue nodes, in file order (a node's parent is the nearest one before it). */
  private readonly nodes: SageCatalogueRow[] = [];
  /** Families wait for the end of the file: they are categories only for a dossier without a catalogue. */
  private readonly families: Array<{ line: number; row: ReturnType<typeof familyRow> }> = [];

  constructor(private readonly earlierNodes: ReadonlyMap<string, SageCatalogueRow> | undefined, private readonly fullExport: boolean) {}

  record(r: SageRecord, out: DocumentItem[]): void {
    switch (r.flag) {
      case '#MTAX': {
        const row = taxRow(r);
        return this.table(out, TABLES.taxes, normalizeKey(row.code), row);
      }
      case '#CCCL': for (const row of priceCategoryRows(r)) this.table(out, TABLES.priceCategories, row.index, row); return;
      case '#CUAV': for (const row of unitRows(r)) this.table(out, TABLES.units, row.index, row); return;
      case '#CPAI': {
        const row = countryRow(r);
        return this.table(out, TABLES.countries, normalizeKey(row.label), row);
      }
      case '#CCOM': return this.table(out, TABLES.settings, 'CCOM', settingsRow(r));
      case '#CCATAL': {
        this.checkVersion(out);
        const placed = this.pathOf(r);
        const row = catalogueRow(r, 'path' in placed ? placed.path : null, 'problem' in placed ? placed.problem : undefined);
        this.nodes.push(row);
        if (row.path) this.table(out, TABLES.catalogue, catalogueKey(row.path), row);
        return; // to the categories flow at the end: whether a node moved needs the whole file

      }
      case '#CFAM': {
        this.checkVersion(out);
        const row = familyRow(r);
        this.table(out, TABLES.families, normalizeKey(row.code), row);
        this.families.push({ line: r.line, row });
        return this.unusedChildren(r, out);
      }
      case '#CART': {
        this.checkVersion(out);
        out.push({ pipelines: ['products'], kind: 'article', line: r.line, row: articleRow(r) });
        for (const c of r.children) if (c.flag === '#CACL') out.push({ pipelines: ['prices'], kind: 'tarif', line: c.line, row: tariffRow(c, r) });
        return this.unusedChildren(r, out);
      }
      case '#CCLI': {
        this.checkVersion(out);
        out.push({ pipelines: ['customers'], kind: 'client', line: r.line, row: clientRow(r) });
        return this.unusedChildren(r, out);
      }
      default:
        out.push({ unused: r.flag });
        return this.unusedChildren(r, out);
    }
  }

  end(): DocumentItem[] {
    const out: DocumentItem[] = [];
    const moves = catalogueMoves(this.nodes, this.earlierNodes ?? new Map(), this.fullExport);
    for (const w of moves.warnings) out.push({ warning: w });
    for (const t of moves.table) this.table(out, TABLES.catalogue, t.key, t.row);
    for (const n of this.nodes) {
      const from = n.path ? moves.movedFrom.get(catalogueKey(n.path)) : undefined;
      out.push({ pipelines: ['categories'], kind: 'catalogue', line: n.line, row: from ? { ...n, movedFrom: from } : n });
    }
    const catalogue = this.nodes.length > 0 || (this.earlierNodes?.size ?? 0) > 0;
    if (catalogue && this.families.length > 0) {
      out.push({ warning: `${this.families.length} famille(s) (#CFAM) non reprises comme catégories : le dossier a un catalogue (#CCATAL), qui fait l'arbre des catégories ; les familles donnent la TVA par défaut de leurs articles` });
    }
    for (const f of this.families) out.push(catalogue ? { unused: '#CFAM' } : { pipelines: ['categories'], kind: 'famille', line: f.line, row: f.row });
    return out;
  }

  private table(out: DocumentItem[], table: string, key: string, row: unknown): void {
    out.push({ table, key, row });
  }

  /** Children the row does not carry, each counted by its flag (a #CAST of an article, a #CFTQ…). */
  private unusedChildren(r: SageRecord, out: DocumentItem[]): void {
    const carried = CARRIED_CHILDREN[r.flag] ?? [];
    for (const c of r.children) {
      if (!carried.includes(c.flag)) out.push({ unused: c.flag });
      this.unusedChildren(c, out);
    }
  }

  private checkVersion(out: DocumentItem[]): void {
    if (this.version === '33' || this.warnedVersion) return;
    this.warnedVersion = true;
    out.push({ warning: `export Sage en #VER ${this.version} : les dispositions lues sont celles de #VER 33 (Sage 100 v12) ; un enregistrement d'une autre longueur est refusé, vérifiez les autres sur un export du dossier` });
  }

  /** The labels root → node: a level-1 node (line 4 = 0) is a root; another names its parent by label, the
   *  nearest such node one level up before it in the file (Sage exports the tree in order), else the only
   *  one kept from the earlier exports. */
  private pathOf(r: SageRecord): { path: string[] } | { problem: string } {
    const label = (r.fields[0] ?? '').trim();
    const levelText = (r.fields[3] ?? '').trim();
    const level = Number(levelText);
    const parent = r.fields[4] ?? '';
    if (label === '') return { problem: `intitulé vide (ligne ${r.line + 1})` };
    if (!/^[0-3]$/.test(levelText)) return { problem: `niveau « ${levelText} » (ligne ${r.line + 4}) : 0 à 3 attendu` };
    if (level === 0) return { path: [label] };
    if (parent.trim() === '') return { problem: `nœud de niveau ${level + 1} sans intitulé parent (ligne ${r.line + 5})` };
    const fits = (n: SageCatalogueRow) => n.path !== null && Number(n.level.trim()) === level - 1 && sameLabel(n.label, parent);
    for (let i = this.nodes.length - 1; i >= 0; i--) if (fits(this.nodes[i]!)) return { path: [...this.nodes[i]!.path!, label] };
    const earlier = [...(this.earlierNodes?.values() ?? [])].filter(fits);
    if (earlier.length === 1) return { path: [...earlier[0]!.path!, label] };
    if (earlier.length > 1) return { problem: `parent « ${parent.trim()} » ambigu : ${earlier.map((n) => n.path!.join(' > ')).join(' ; ')}` };
    return { problem: `parent « ${parent.trim()} » (niveau ${level}) absent de ce fichier et des exports précédents` };
  }
}
