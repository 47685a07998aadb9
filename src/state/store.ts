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
  attempts: number;
  last_error: string | null;
  writes: number;
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

/** A fingerprint row as the record loop reads it: with what its last write did and for which file. */
export interface FingerprintRow extends Fingerprint {
  file_id: number | null;
  outcome: string | null;
}

export interface Commit {
  key: string;
  fingerprint: string;
  /** The desired state as JSON (what reconciliation compares the shop with). */
  value: string;
  outcome: string;
}

/** Committed fingerprints kept in memory per entity, at most this many (then the cache starts again). */
const FP_CACHE_MAX = 1_000_000;

export class StateStore {
  private readonly db: Database.Database;
  private readonly stmt;
  /** Committed fingerprints this process has read or written (key → fingerprint; null = none), so that a file
   *  whose data did not change costs no SQLite read per record (issue #6). Dropped whenever another
   *  connection committed (PRAGMA data_version): a CLI run beside the service cannot leave it stale. */
  private readonly fpCache = new Map<string, Map<string, string | null>>();
  private dataVersion = -1;

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
      // json_each: one statement for a whole batch of keys, whatever its size
      fpMany: db.prepare<[string, string], FingerprintRow & { erp_key: string }>(`SELECT f.erp_key, f.fingerprint, f.pending, f.file_id, f.outcome
        FROM json_each(?) j CROSS JOIN fingerprints f ON f.entity = ? AND f.erp_key = j.value`),
      fpPendingFor: db.prepare(`INSERT INTO fingerprints (entity, erp_key, fingerprint, pending, file_id, updated_at) VALUES (?, ?, NULL, ?, ?, ?)
        ON CONFLICT (entity, erp_key) DO UPDATE SET pending = excluded.pending, file_id = excluded.file_id, updated_at = excluded.updated_at`),
      fpCommitFull: db.prepare(`INSERT INTO fingerprints (entity, erp_key, fingerprint, pending, file_id, outcome, value, updated_at)
        VALUES (?, ?, ?, NULL, ?, ?, ?, ?)
        ON CONFLICT (entity, erp_key) DO UPDATE SET fingerprint = excluded.fingerprint, pending = NULL, file_id = excluded.file_id,
          outcome = excluded.outcome, value = excluded.value, updated_at = excluded.updated_at`),
      identityMany: db.prepare<[string, string], { erp_key: string; shop_id: string; data: string | null }>(`SELECT i.erp_key, i.shop_id, i.data
        FROM json_each(?) j CROSS JOIN identity i ON i.entity = ? AND i.erp_key = j.value`),
      identityByShop: db.prepare<[string, string], { erp_key: string }>('SELECT erp_key FROM identity WHERE entity = ? AND shop_id = ?'),
      fileAttempt: db.prepare('UPDATE files SET attempts = attempts + 1 WHERE id = ?'),
      fileWrite: db.prepare('UPDATE files SET writes = writes + 1 WHERE id = ?'),
      fileError: db.prepare('UPDATE files SET last_error = ? WHERE id = ?'),
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

  /** The remembered identities of several keys at once. */
  lookupMany(entity: string, erpKeys: readonly string[]): Map<string, { shopId: string; data: Record<string, unknown> }> {
    const out = new Map<string, { shopId: string; data: Record<string, unknown> }>();
    if (erpKeys.length === 0) return out;
    for (const r of this.stmt.identityMany.all(JSON.stringify(erpKeys), entity)) {
      out.set(r.erp_key, { shopId: r.shop_id, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {} });
    }
    return out;
  }

  /** ERP keys remembered for one shop object (normally one: more would be two keys writing one object). */
  /** Every ERP key of an entity the connector owns (a full export deactivates those it no longer has). */
  keysOf(entity: string): string[] {
    return this.db.prepare<[string], { erp_key: string }>('SELECT erp_key FROM identity WHERE entity = ? ORDER BY erp_key').all(entity).map((r) => r.erp_key);
  }

  keysOfShopObject(entity: string, shopId: string): string[] {
    return this.stmt.identityByShop.all(entity, shopId).map((r) => r.erp_key);
  }

  // ── fingerprints of the last write ─────────────────────────────────────────
  /** What the last writes left for a batch of keys (the record loop reads 2,000 at a time, not one per
   *  record), against the fingerprints `fps` they would have now, aligned with `erpKeys`: undefined when the
   *  cache knows key i's committed fingerprint is `fps[i]` with nothing pending (nothing read, nothing
   *  built: the common case of a file that did not change); null when the key has no row; else its row.
   *  `exact`: every row from the database (a resumed file needs which file wrote each fingerprint). */
  compareFingerprints(entity: string, erpKeys: readonly string[], fps: readonly string[], exact = false): Array<FingerprintRow | null | undefined> {
    const out = new Array<FingerprintRow | null | undefined>(erpKeys.length);
    if (erpKeys.length === 0) return out;
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.dataVersion) {
      this.fpCache.clear();
      this.dataVersion = version;
    }
    let cache = this.fpCache.get(entity);
    if (!cache || cache.size > FP_CACHE_MAX) this.fpCache.set(entity, (cache = new Map()));
    let ask: string[] | undefined;
    let at: Map<string, number> | undefined;
    for (let i = 0; i < erpKeys.length; i++) {
      const k = erpKeys[i]!;
      const c = exact ? undefined : cache.get(k);
      if (c === undefined) {
        (ask ??= []).push(k);
        (at ??= new Map()).set(k, i);
        out[i] = null;
      } else if (c === null) {
        out[i] = null;
      } else if (c !== fps[i]) {
        out[i] = { fingerprint: c, pending: null, file_id: null, outcome: null };
      }
    }
    if (ask === undefined || at === undefined) return out;
    for (const r of this.stmt.fpMany.all(JSON.stringify(ask), entity)) {
      out[at.get(r.erp_key)!] = r;
      if (r.pending === null) cache.set(r.erp_key, r.fingerprint);
      else cache.delete(r.erp_key);
    }
    for (const k of ask) if (out[at.get(k)!] === null) cache.set(k, null);
    return out;
  }

  /** Pending marks of a window of records, in one transaction, before any of their writes; `file_id` says
   *  which file marked them (the one writing now, until the commit). */
  markPendingMany(entity: string, fileId: number | null, marks: ReadonlyArray<{ key: string; fingerprint: string }>): void {
    const at = now();
    const cache = this.fpCache.get(entity);
    this.db.transaction(() => {
      for (const m of marks) {
        this.stmt.fpPendingFor.run(entity, m.key, m.fingerprint, fileId, at);
        cache?.delete(m.key);
      }
    })();
  }

  /** Committed fingerprints, with what each write did for which file, in one transaction. */
  commitMany(entity: string, fileId: number | null, commits: readonly Commit[]): void {
    if (commits.length === 0) return;
    const at = now();
    const cache = this.fpCache.get(entity);
    this.db.transaction(() => {
      for (const c of commits) {
        this.stmt.fpCommitFull.run(entity, c.key, c.fingerprint, fileId, c.outcome, c.value, at);
        cache?.set(c.key, c.fingerprint);
      }
    })();
  }

  fingerprint(entity: string, erpKey: string): Fingerprint | undefined {
    return this.stmt.fpGet.get(entity, erpKey);
  }

  /** Written before a shop write: after a crash, a pending fingerprint means "re-read before writing". */
  markPending(entity: string, erpKey: string, fingerprint: string): void {
    this.fpCache.get(entity)?.delete(erpKey);
    this.stmt.fpPending.run(entity, erpKey, fingerprint, now());
  }

  commitFingerprint(entity: string, erpKey: string, fingerprint: string): void {
    this.fpCache.get(entity)?.delete(erpKey);
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

  /** One more attempt at a file (a file that keeps failing is quarantined after a few: a poison file). */
  countAttempt(id: number): void {
    this.stmt.fileAttempt.run(id);
  }

  /** One more webservice write made for this file (kept across its attempts: a resumed file's report). */
  countFileWrite(id: number): void {
    this.stmt.fileWrite.run(id);
  }

  /** The attempt ended cleanly (deferred because the shop is down, or a stop): not the file's fault. */
  resetAttempts(id: number): void {
    this.db.prepare('UPDATE files SET attempts = 0 WHERE id = ?').run(id);
  }

  noteFileError(id: number, error: string): void {
    this.stmt.fileError.run(error, id);
  }

  fileById(id: number): FileRow | undefined {
    return this.db.prepare<[number], FileRow>('SELECT * FROM files WHERE id = ?').get(id);
  }

  planArchive(id: number, archivePath: string): void {
    this.stmt.filePlan.run(archivePath, id);
  }

  finishFile(id: number, r: { status: FileStatus; pipeline: string | null; archivePath: string | null; counts?: object }): void {
    this.stmt.fileUpdate.run(r.status, r.pipeline, r.archivePath, now(), r.counts ? JSON.stringify(r.counts) : null, id);
  }

  // ── reference tables of multi-flow documents ───────────────────────────────
  saveDocumentTables(format: string, tables: ReadonlyMap<string, ReadonlyMap<string, unknown>>): void {
    const put = this.db.prepare(`INSERT INTO document_tables (format, tbl, key, row, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (format, tbl, key) DO UPDATE SET row = excluded.row, updated_at = excluded.updated_at`);
    const at = now();
    this.db.transaction(() => {
      for (const [tbl, rows] of tables) for (const [key, row] of rows) put.run(format, tbl, key, JSON.stringify(row), at);
    })();
  }

  documentTables(format: string): Map<string, Map<string, unknown>> {
    const out = new Map<string, Map<string, unknown>>();
    for (const r of this.db.prepare<[string], { tbl: string; key: string; row: string }>('SELECT tbl, key, row FROM document_tables WHERE format = ?').iterate(format)) {
      let t = out.get(r.tbl);
      if (!t) out.set(r.tbl, (t = new Map()));
      t.set(r.key, JSON.parse(r.row) as unknown);
    }
    return out;
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
