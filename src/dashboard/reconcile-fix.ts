// « Corriger » on the reconciliation page runs `reconcile --fix` through the function the ops engineer
// exports from src/ops/reconcile.ts (contract-12.md). Until that module exists the button is not shown:
// the import tolerates its absence.
type RunReconcile = (o: { root: string; fix: boolean; config?: unknown }) => Promise<unknown>;

let cached: RunReconcile | null | undefined;

export async function loadReconcile(): Promise<RunReconcile | undefined> {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  // From the sources (tsx) the module is .ts, from dist/ it is .js; a variable name keeps tsc from
  // requiring it to exist.
  for (const spec of ['../ops/reconcile.ts', '../ops/reconcile.js']) {
    try {
      const mod = (await import(spec)) as { runReconcile?: RunReconcile };
      if (typeof mod.runReconcile === 'function') {
        cached = mod.runReconcile;
        break;
      }
    } catch {
      // Not there (yet): no « Corriger » button.
    }
  }
  return cached ?? undefined;
}
