// Schema migrations, versioned in code and applied in order at open. Never edit a released one:
// add the next version.
export interface Migration { version: number; sql: string }

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        sha256 TEXT,
        pipeline TEXT,
        name TEXT NOT NULL,
        origin TEXT NOT NULL,
        status TEXT NOT NULL,
        work_path TEXT NOT NULL,
        archive_path TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        counts TEXT
      );
      CREATE INDEX files_sha ON files (sha256, status);
      CREATE INDEX files_work ON files (work_path, status);
      CREATE TABLE identity (
        entity TEXT NOT NULL,
        erp_key TEXT NOT NULL,
        shop_id TEXT NOT NULL,
        data TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entity, erp_key)
      ) WITHOUT ROWID;
      CREATE TABLE fingerprints (
        entity TEXT NOT NULL,
        erp_key TEXT NOT NULL,
        fingerprint TEXT,
        pending TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entity, erp_key)
      ) WITHOUT ROWID;
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        pipeline TEXT NOT NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
      );
    `,
  },
  // Version 2 — orders back to the ERP (issue #3): the outbox, its order lines for the stock reservation,
  // and named cursors (the orders' date_upd watermark).
  {
    version: 2,
    sql: `
      CREATE TABLE outbox (
        id_order INTEGER PRIMARY KEY,
        reference TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        file_name TEXT,
        payload TEXT,
        shop_state INTEGER,
        created_at TEXT NOT NULL,
        written_at TEXT,
        delivered_at TEXT,
        acked_at TEXT,
        ack_source TEXT,
        cancel_status TEXT,
        cancel_file TEXT,
        cancelled_at TEXT
      );
      CREATE INDEX outbox_status ON outbox (status);
      CREATE INDEX outbox_file ON outbox (file_name);
      CREATE TABLE outbox_lines (
        id_order INTEGER NOT NULL REFERENCES outbox (id_order),
        reference TEXT NOT NULL,
        quantity INTEGER NOT NULL
      );
      CREATE INDEX outbox_lines_order ON outbox_lines (id_order);
      CREATE TABLE cursors (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  // Version 3 — the engine's record loop in batches (issues #6, #7, #8): what each fingerprint's write did and
  // for which file, and the writes made for each file across its attempts (the report of a file resumed
  // after a crash counts what earlier attempts applied); the desired state itself (reconciliation compares
  // the shop with it); the identity map searchable by shop object (two ERP keys for one shop object are
  // refused); attempts per file (a file that keeps failing is quarantined instead of retried forever).
  {
    version: 3,
    sql: `
      ALTER TABLE fingerprints ADD COLUMN file_id INTEGER;
      ALTER TABLE fingerprints ADD COLUMN outcome TEXT;
      ALTER TABLE fingerprints ADD COLUMN value TEXT;
      CREATE INDEX identity_shop ON identity (entity, shop_id);
      ALTER TABLE files ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE files ADD COLUMN last_error TEXT;
      ALTER TABLE files ADD COLUMN writes INTEGER NOT NULL DEFAULT 0;
    `,
  },
  // Version 4 — every exported order in exactly one archived run report (issue #7). A row per order and event
  // ('export': its file written; 'cancel': its cancellation notice written) once a report lists it: reported_at
  // is NULL while that report is being written, so a run killed meanwhile is settled by whether the report file
  // exists. Orders exported before this version were reported by the run that exported them.
  {
    version: 4,
    sql: `
      CREATE TABLE outbox_reported (
        id_order INTEGER NOT NULL,
        event TEXT NOT NULL,
        report_path TEXT NOT NULL,
        reported_at TEXT,
        PRIMARY KEY (id_order, event)
      ) WITHOUT ROWID;
      CREATE INDEX outbox_reported_path ON outbox_reported (report_path);
      INSERT INTO outbox_reported (id_order, event, report_path, reported_at)
        SELECT id_order, 'export', '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM outbox WHERE status IN ('written', 'delivered');
      INSERT INTO outbox_reported (id_order, event, report_path, reported_at)
        SELECT id_order, 'cancel', '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM outbox WHERE cancel_status IN ('written', 'delivered');
    `,
  },
  // Version 5 — reference tables of multi-flow documents (issue #8): a Sage export carries its tax codes,
  // price categories, countries… only when they changed; the later, partial exports are read with them.
  {
    version: 5,
    sql: `
      CREATE TABLE document_tables (
        format TEXT NOT NULL,
        tbl TEXT NOT NULL,
        key TEXT NOT NULL,
        row TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (format, tbl, key)
      ) WITHOUT ROWID;
    `,
  },
];
