// The embedded state store: where each file and run stands, and what each record last became
// (identity map ERP key ↔ shop id, fingerprint of the last write). SQLite through better-sqlite3.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type FileStatus = 'processing' | 'done' | 'partial' | 'duplicate' | 'quarantined' | 'deferred';

export interface FileRow {
  id: number;
  sha256: string | null;
  pipeline: string | null;
  name: string;
  origin: string;
  status: FileStatus;
  work_path: string;
  archive_path: string | null;
  started_at: string;
  finished_at: string | null;
  counts: string | null;
}

export interface RunRow {
  id: number;
  pipeline: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
}

export interface Fingerprint { fingerprint: string | null; pending: string | null }

export class StateStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash may lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const db = this.db;
    this.stmt = {
      identityGet: db.prepare<[string, string], { shop_id: string; data: string | null }>(
        'SELECT shop_id, data FROM identity WHERE entity = ? AND erp_key = ?'),
      identitySet: db.prepare(`INSERT INTO identity (entity, erp_key, shop_id, data, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (entity, erp_key) DO UPDATE SET shop_id = excluded.shop_id, data = excluded.data, updated_at = excluded.updated_at`),
      identityForget: db.prepare('DELETE FROM identity WHERE entity = ? AND erp_key = ?'),
      fpGet: db.prepare<[string, string], Fingerprint>('SELECT fingerprint, pending FROM fingerprints WHERE entity = ? AND erp_key = ?'),
      fpPending: db.prepare(`INSERT INTO fingerprints (entity, erp_key, fingerprint, pending, updated_at) VALUES (?, ?, NULL, ?, ?)
        ON CONFLICT (entity, erp_key) DO UPDATE SET pending = excluded.pending, updated_at = excluded.updated_at`),
      fpCommit: db.prepare(`INSERT INTO fingerprints (entity, erp_key, fingerprint, pending, updated_at) VALUES (?, ?, ?, NULL, ?)
        ON CONFLICT (entity, erp_key) DO UPDATE SET fingerprint = excluded.fingerprint, pending = NULL, updated_at = excluded.updated_at`),
      fileBySha: db.prepare<[string], FileRow>(
        "SELECT * FROM files WHERE sha256 = ? AND status IN ('done', 'partial') ORDER BY id LIMIT 1"),
      fileByWork: db.prepare<[string], FileRow>(
        "SELECT * FROM files WHERE work_path = ? AND status IN ('processing', 'deferred') ORDER BY id DESC LIMIT 1"),
      fileInsert: db.prepare('INSERT INTO files (sha256, pipeline, name, origin, status, work_path, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      fileUpdate: db.prepare('UPDATE files SET status = ?, pipeline = ?, archive_path = ?, finished_at = ?, counts = ? WHERE id = ?'),
      filePlan: db.prepare('UPDATE files SET archive_path = ? WHERE id = ?'),
      filesOpen: db.prepare<[], FileRow>("SELECT * FROM files WHERE status IN ('processing', 'deferred') ORDER BY id"),
      runInsert: db.prepare("INSERT INTO runs (pipeline, trigger, status, started_at) VALUES (?, ?, 'running', ?)"),
      runFinish: db.prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?'),
      runsRecent: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
    };
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = this.db.prepare<[], { version: number }>('SELECT version FROM schema_version').get();
    let current = row?.version ?? 0;
    if (!row) this.db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('UPDATE schema_version SET version = ?').run(m.version);
      })();
      current = m.version;
    }
  }

  get schemaVersion(): number {
    return this.db.prepare<[], { version: number }>('SELECT version FROM schema_version').get()?.version ?? 0;
  }

  /** Direct access for modules that own their own tables (the outbox). */
  get sql(): Database.Database {
    return this.db;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ── identity map ────────────────────────────────────────────────────────────
  lookup(entity: string, erpKey: string): { shopId: string; data: Record<string, unknown> } | undefined {
    const row = this.stmt.identityGet.get(entity, erpKey);
    if (!row) return undefined;
    return { shopId: row.shop_id, data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {} };
  }

  remember(entity: string, erpKey: string, shopId: string | number, data?: Record<string, unknown>): void {
    this.stmt.identitySet.run(entity, erpKey, String(shopId), data ? JSON.stringify(data) : null, now());
  }

  /** The shop object is gone (deleted in the back office): the next sight of the key looks it up again. */
  forget(entity: string, erpKey: string): void {
    this.stmt.identityForget.run(entity, erpKey);
  }

  // ── fingerprints of the last write ─────────────────────────────────────────
  fingerprint(entity: string, erpKey: string): Fingerprint | undefined {
    return this.stmt.fpGet.get(entity, erpKey);
  }

  /** Written before a shop write: after a crash, a pending fingerprint means "re-read before writing". */
  markPending(entity: string, erpKey: string, fingerprint: string): void {
    this.stmt.fpPending.run(entity, erpKey, fingerprint, now());
  }

  commitFingerprint(entity: string, erpKey: string, fingerprint: string): void {
    this.stmt.fpCommit.run(entity, erpKey, fingerprint, now());
  }

  // ── files journal ───────────────────────────────────────────────────────────
  completedFileBySha(sha256: string): FileRow | undefined {
    return this.stmt.fileBySha.get(sha256);
  }

  openFileByWorkPath(workPath: string): FileRow | undefined {
    return this.stmt.fileByWork.get(workPath);
  }

  openFiles(): FileRow[] {
    return this.stmt.filesOpen.all();
  }

  beginFile(f: { sha256: string | null; pipeline: string | null; name: string; origin: string; workPath: string }): number {
    const r = this.stmt.fileInsert.run(f.sha256, f.pipeline, f.name, f.origin, 'processing', f.workPath, now());
    return Number(r.lastInsertRowid);
  }

  planArchive(id: number, archivePath: string): void {
    this.stmt.filePlan.run(archivePath, id);
  }

  finishFile(id: number, r: { status: FileStatus; pipeline: string | null; archivePath: string | null; counts?: object }): void {
    this.stmt.fileUpdate.run(r.status, r.pipeline, r.archivePath, now(), r.counts ? JSON.stringify(r.counts) : null, id);
  }

  // ── run history ─────────────────────────────────────────────────────────────
  startRun(pipeline: string, trigger: string): number {
    return Number(this.stmt.runInsert.run(pipeline, trigger, now()).lastInsertRowid);
  }

  finishRun(id: number, status: string, summary: object): void {
    this.stmt.runFinish.run(status, now(), JSON.stringify(summary), id);
  }

  recentRuns(limit = 20): RunRow[] {
    return this.stmt.runsRecent.all(limit);
  }

  close(): void {
    this.db.close();
  }
}

function now(): string {
  return new Date().toISOString();
}
