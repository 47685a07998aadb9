// A Sage catalogue node that changed parent (SAGE_MASTER_DATA.md §4). Nodes are keyed by their labels from
// the root, since articles name their path by labels (#CART 60–63); a moved node therefore arrives under a
// path the connector has never seen. Its code (#CCATAL line 2, 2 characters) is neither mandatory nor said to
// be unique, so it is evidence, not a key. A move is recognised only when it cannot merge two live nodes:
// the old path is absent from this file, exactly one old node and one new node pair up (same label, same
// level, codes not contradicting), and either both carry the same non-empty code, or the file carries the
// whole catalogue (every earlier node is in it or is the old place of a node that moved).
import { catalogueKey, sameLabel } from './keys.ts';
import type { SageCatalogueRow } from './rows.ts';

export interface CatalogueMoves {
  /** New key → the path the node had before. */
  movedFrom: Map<string, string[]>;
  /** Rows for the reference table: the old paths emptied (never matched again), the earlier descendants
   *  this file does not carry placed under their new path. */
  table: Array<{ key: string; row: SageCatalogueRow }>;
  warnings: string[];
}

const shown = (path: readonly string[]) => path.join(' > ');
const isUnder = (path: readonly string[], root: readonly string[]) =>
  path.length > root.length && root.every((l, i) => sameLabel(l, path[i]!));

/** `nodes`: this file's catalogue rows; `earlier`: those kept from the earlier exports (by key); `complete`:
 *  the configuration says every file is a full export. */
export function catalogueMoves(nodes: readonly SageCatalogueRow[], earlier: ReadonlyMap<string, SageCatalogueRow>, complete: boolean): CatalogueMoves {
  const out: CatalogueMoves = { movedFrom: new Map(), table: [], warnings: [] };
  const placed = nodes.filter((n): n is SageCatalogueRow & { path: string[] } => n.path !== null);
  // exact keys: a node whose label only changed case is found again as a node that moved
  const here = new Set(placed.map((n) => catalogueKey(n.path)));
  const known = new Set<string>();
  for (const e of earlier.values()) if (e.path) known.add(catalogueKey(e.path));
  const absent = [...earlier.values()].filter((e): e is SageCatalogueRow & { path: string[] } => e.path !== null && !here.has(catalogueKey(e.path)));
  // a move an earlier reading of this file already recorded (a file resumed after a crash)
  for (const e of earlier.values()) {
    if (e.path === null && e.oldPath && e.movedTo && here.has(catalogueKey(e.movedTo))) out.movedFrom.set(catalogueKey(e.movedTo), e.oldPath);
  }
  const fresh = placed.filter((n) => !known.has(catalogueKey(n.path)) && !out.movedFrom.has(catalogueKey(n.path)));
  if (fresh.length === 0 || absent.length === 0) return out;

  const codesAgree = (a: string, b: string) => a.trim() === '' || b.trim() === '' || sameLabel(a, b);
  const candidates = new Map<SageCatalogueRow, SageCatalogueRow[]>();
  const claimedBy = new Map<SageCatalogueRow, number>();
  for (const n of fresh) {
    const c = absent.filter((e) => sameLabel(e.label, n.label) && e.path.length === n.path.length && codesAgree(e.code, n.code));
    if (c.length === 0) continue;
    candidates.set(n, c);
    for (const e of c) claimedBy.set(e, (claimedBy.get(e) ?? 0) + 1);
  }
  if (candidates.size === 0) return out;
  const wholeCatalogue = complete || absent.every((e) => claimedBy.has(e) || absent.some((a) => claimedBy.has(a) && isUnder(e.path, a.path)));

  const moved: Array<{ from: string[]; to: string[] }> = [];
  for (const [n, c] of candidates) {
    const to = n.path!;
    if (c.length > 1 || claimedBy.get(c[0]!)! > 1) {
      out.warnings.push(`nœud de catalogue « ${shown(to)} » (ligne ${n.line}) : même intitulé et même niveau que ${c.map((e) => `« ${shown(e.path!)} »`).join(', ')}, absents de ce fichier — impossible de dire lequel a été déplacé : il est créé comme un nouveau nœud`);
      continue;
    }
    const e = c[0]!;
    const sameCode = e.code.trim() !== '' && n.code.trim() !== '';
    if (!sameCode && !wholeCatalogue) {
      out.warnings.push(`nœud de catalogue « ${shown(to)} » (ligne ${n.line}) : même intitulé que « ${shown(e.path!)} », absent de cet export partiel ; sans code de nœud (#CCATAL ligne 2) des deux côtés ni export complet du catalogue, rien ne prouve un déplacement : il est créé comme un nouveau nœud`);
      continue;
    }
    out.movedFrom.set(catalogueKey(to), e.path!);
    moved.push({ from: e.path!, to });
  }

  // The reference table follows: an old path no longer names a node, and the earlier descendants of a
  // moved node that this file does not carry sit under its new path (a later partial export names them).
  const emptied = new Set<string>();
  for (const { from, to } of moved) {
    for (const e of earlier.values()) {
      if (e.path === null || !(catalogueKey(e.path) === catalogueKey(from) || isUnder(e.path, from))) continue;
      const oldKey = catalogueKey(e.path);
      const path = [...to, ...e.path.slice(from.length)];
      if (!emptied.has(oldKey)) {
        emptied.add(oldKey);
        out.table.push({ key: oldKey, row: { ...e, path: null, problem: `nœud déplacé : « ${shown(path)} »`, oldPath: e.path, movedTo: path } });
      }
      if (e.path.length > from.length && !here.has(catalogueKey(path))) out.table.push({ key: catalogueKey(path), row: { ...e, path } });
    }
  }
  return out;
}
