// What the dashboard shows, read from the state store and the archive: it never asks the shop, so a
// page answers even when the shop is down.
import { Cron } from 'croner';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Pipeline } from '../pipeline.ts';
import type { FileReport, RecordCounts } from '../report.ts';
import type { OutboxRow } from '../state/outbox.ts';
import type { FileRow, RunRow, StateStore } from '../state/store.ts';

export type PipelineState = 'ok' | 'partial' | 'failing' | 'never';

export interface PipelineView {
  name: string;
  title: string;
  kind: 'file' | 'shop';
  lastAt?: string;
  nextAt?: string;
  counts?: RecordCounts;
  /** A flow that starts from the shop counts its own things (orders exported, held…). */
  shopCounts?: Record<string, number>;
  state: PipelineState;
  lastFile?: FileRow;
}

const FINISHED = "status IN ('done', 'partial', 'duplicate', 'quarantined')";

export function nextRun(expr: string | undefined, timezone: string): string | undefined {
  if (!expr) return undefined;
  try {
    return new Cron(expr, { paused: true, timezone }).nextRun()?.toISOString();
  } catch {
    return undefined;
  }
}

function parse<T>(json: string | null): T | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}

export function pipelinesView(state: StateStore, pipelines: readonly Pipeline[], config: Config): PipelineView[] {
  const lastFiles = state.sql.prepare<[string], FileRow>(`SELECT * FROM files WHERE pipeline = ? AND ${FINISHED} ORDER BY id DESC LIMIT 1`);
  const lastRun = state.sql.prepare<[string], RunRow>("SELECT * FROM runs WHERE pipeline = ? AND status != 'running' ORDER BY id DESC LIMIT 1");
  return pipelines.map((p) => {
    const base = { name: p.name, title: p.title, kind: p.kind, nextAt: nextRun(config.schedules[p.schedule], config.shop.timezone) };
    if (p.kind === 'file') {
      const f = lastFiles.get(p.name);
      if (!f) return { ...base, state: 'never' as const };
      const s: PipelineState = f.status === 'quarantined' ? 'failing' : f.status === 'partial' ? 'partial' : 'ok';
      return { ...base, lastAt: f.finished_at ?? f.started_at, counts: parse<RecordCounts>(f.counts), state: s, lastFile: f };
    }
    const r = lastRun.get(p.name);
    if (!r) return { ...base, state: 'never' as const };
    const sum = parse<{ shop?: Array<{ status: string; counts: Record<string, number> }> }>(r.summary);
    const shop = sum?.shop?.[0];
    const s: PipelineState = r.status === 'error' || shop?.status === 'failed' ? 'failing' : shop?.status === 'partial' ? 'partial' : 'ok';
    return { ...base, lastAt: r.finished_at ?? r.started_at, ...(shop ? { shopCounts: shop.counts } : {}), state: s };
  });
}

export interface RunView extends RunRow {
  files: Array<{ name: string; status: string; id?: number; records?: RecordCounts; reason?: string }>;
  error?: string;
}

export function runsView(state: StateStore, limit = 100): RunView[] {
  const byArchive = state.sql.prepare<[string], { id: number }>('SELECT id FROM files WHERE archive_path = ? ORDER BY id DESC LIMIT 1');
  return state.recentRuns(limit).map((r) => {
    const sum = parse<{ error?: string; files?: Array<{ name: string; status: string; records?: RecordCounts; reason?: string; archive?: string }> }>(r.summary);
    const files = (sum?.files ?? []).map((f) => ({ name: f.name, status: f.status, ...(f.records ? { records: f.records } : {}), ...(f.reason ? { reason: f.reason } : {}), id: f.archive ? byArchive.get(f.archive)?.id : undefined }));
    return { ...r, files, ...(sum?.error ? { error: sum.error } : {}) };
  });
}

export function filesView(state: StateStore, o: { status?: string; limit?: number } = {}): FileRow[] {
  const limit = o.limit ?? 200;
  if (o.status) return state.sql.prepare<[string, number], FileRow>('SELECT * FROM files WHERE status = ? ORDER BY id DESC LIMIT ?').all(o.status, limit);
  return state.sql.prepare<[number], FileRow>(`SELECT * FROM files WHERE ${FINISHED} ORDER BY id DESC LIMIT ?`).all(limit);
}

/** Replays of a file (« rejouer »), newest first. */
export function replaysOf(state: StateStore, id: number): FileRow[] {
  return state.sql.prepare<[string], FileRow>('SELECT * FROM files WHERE origin = ? ORDER BY id DESC').all(`replay:${id}`);
}

export function replayOrigin(row: FileRow): number | undefined {
  const m = /^replay:(\d+)$/.exec(row.origin);
  return m ? Number(m[1]) : undefined;
}

/** The report archived beside the file; undefined when it is not (yet) there. */
export async function reportOf(row: FileRow): Promise<FileReport | undefined> {
  if (!row.archive_path) return undefined;
  try {
    return JSON.parse(await fs.readFile(`${row.archive_path}.report.json`, 'utf8')) as FileReport;
  } catch {
    return undefined;
  }
}

export type OrderGroup = 'waiting' | 'exported' | 'held' | 'cancelledAfterExport' | 'acknowledged' | 'cancelledBeforeExport';

export function orderGroup(o: OutboxRow): OrderGroup {
  if (o.cancel_status !== null) return 'cancelledAfterExport';
  if (o.status === 'held') return 'held';
  if (o.status === 'cancelled') return 'cancelledBeforeExport';
  if (o.status === 'pending') return 'waiting';
  return o.acked_at ? 'acknowledged' : 'exported';
}

export function ordersView(state: StateStore, limit = 500): Record<OrderGroup, OutboxRow[]> {
  const out: Record<OrderGroup, OutboxRow[]> = { held: [], waiting: [], exported: [], cancelledAfterExport: [], acknowledged: [], cancelledBeforeExport: [] };
  // Before the first orders run the table does not exist on an installation that never exported.
  const exists = state.sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get();
  if (!exists) return out;
  for (const o of state.sql.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY id_order DESC LIMIT ?').all(limit)) out[orderGroup(o)].push(o);
  return out;
}

/** The contract with the ops engineer (contract-12.md): archive/reconcile/latest.json. */
export interface Reconciliation {
  at: string;
  checked: number;
  drifts: Array<{ entity: string; key: string; field: string; erp: string; shop: string | null; kind: string }>;
  counts: Record<string, { checked: number; drifted: number }>;
}

export function reconcileDir(archiveRoot: string): string {
  return path.join(archiveRoot, 'reconcile');
}

export async function latestReconciliation(archiveRoot: string): Promise<Reconciliation | undefined> {
  try {
    const r = JSON.parse(await fs.readFile(path.join(reconcileDir(archiveRoot), 'latest.json'), 'utf8')) as Reconciliation;
    return { ...r, drifts: Array.isArray(r.drifts) ? r.drifts : [], counts: r.counts ?? {} };
  } catch {
    return undefined;
  }
}

/** The CSV the reconciliation wrote beside its JSON, the newest by name (they are named by date). */
export async function latestReconciliationCsv(archiveRoot: string): Promise<string | undefined> {
  const names = await fs.readdir(reconcileDir(archiveRoot)).catch(() => [] as string[]);
  const csv = names.filter((n) => /^\d{8}-\d{6}\.csv$/.test(n)).sort().at(-1);
  return csv ? path.join(reconcileDir(archiveRoot), csv) : undefined;
}
