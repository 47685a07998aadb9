// The category tree's order of loading: parents before children whatever the order of the file, a loop
// in the tree refused rather than followed; and, for a full export, the families no longer exported.
import type { Transformed } from '../../src/pipeline.ts';
import type { CategoryLine } from './types.ts';

/** A node to load; `deactivate`: a family the connector owns that a full export no longer lists. */
export type CategoryRecord = CategoryLine & { deactivate?: boolean };

/** Records sorted parents first (depth inside the file; a parent outside it counts as known), rejects kept
 *  in place; every node of a loop (A's parent is B, B's parent is A) rejected, naming the loop. */
export function orderTree(lines: ReadonlyArray<Transformed<CategoryLine>>): Array<Transformed<CategoryRecord>> {
  const byKey = new Map<string, CategoryLine>();
  for (const l of lines) if ('record' in l) byKey.set(l.key, l.record);
  const depth = new Map<string, number>();
  const loops = new Map<string, string>();
  const depthOf = (key: string): number => {
    const seen: string[] = [];
    let k: string | null = key;
    while (k !== null && byKey.has(k) && !depth.has(k) && !loops.has(k)) {
      if (seen.includes(k)) {
        const loop = seen.slice(seen.indexOf(k));
        const text = [...loop, k].join(' → ');
        for (const n of loop) loops.set(n, text);
        break;
      }
      seen.push(k);
      k = byKey.get(k)!.parentKey;
    }
    // unwind: each node is one deeper than its parent
    for (let i = seen.length - 1; i >= 0; i--) {
      const n = seen[i]!;
      if (loops.has(n)) continue;
      const parent = byKey.get(n)!.parentKey;
      if (parent !== null && loops.has(parent)) loops.set(n, loops.get(parent)!);
      else depth.set(n, parent !== null && depth.has(parent) ? depth.get(parent)! + 1 : 0);
    }
    return depth.get(key) ?? -1;
  };
  const out = lines.map((l, i) => ({ l, i, d: 'record' in l ? depthOf(l.key) : -1 }));
  out.sort((a, b) => a.d - b.d || a.i - b.i);
  return out.map(({ l }) => {
    if ('record' in l && loops.has(l.key)) return { line: l.line, key: l.key, reject: `boucle dans l'arbre des familles (${loops.get(l.key)!}) : chaque famille de la boucle est refusée` };
    return l;
  });
}

/** The keys the connector owns that a full export no longer has: to deactivate, never delete. */
export function deactivations(owned: readonly string[], present: ReadonlySet<string>): Array<Transformed<CategoryRecord>> {
  return owned.filter((k) => !present.has(k)).map((key) => ({ line: 0, key, record: { key, name: '', parentKey: null, active: false, deactivate: true } }));
}
