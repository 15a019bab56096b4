/**
 * The SQLite schema. Each migration runs once, in order, recorded in
 * `schema_version`. Never edit a shipped migration: add a new one.
 *
 * Documents are JSON in a `doc` column; columns beside it exist only for lookups,
 * ordering and the counters that must change atomically with a write.
 */
import type { Database } from './driver';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
  );
  CREATE INDEX api_keys_order ON api_keys (created_at, id);

  CREATE TABLE listeners (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    last_seq INTEGER NOT NULL DEFAULT 0,
    floor_seq INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
  );
  CREATE INDEX listeners_order ON listeners (created_at, id);

  CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX imports_order ON imports (created_at, id);

  CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    listener_id TEXT NOT NULL,
    max_queued INTEGER NOT NULL,
    cursor_seq INTEGER NOT NULL DEFAULT 0,
    cursor_page INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
  );
  CREATE INDEX flows_order ON flows (created_at, id);
  CREATE INDEX flows_listener ON flows (listener_id);

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    listener_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (listener_id, seq)
  );

  CREATE TABLE job_pages (
    job_id TEXT NOT NULL,
    page_index INTEGER NOT NULL,
    record_count INTEGER NOT NULL,
    trace_keys TEXT NOT NULL,
    data_uris TEXT,
    records TEXT NOT NULL,
    PRIMARY KEY (job_id, page_index)
  );

  CREATE TABLE dedup (
    listener_id TEXT NOT NULL,
    key TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (listener_id, key)
  );
  CREATE INDEX dedup_expiry ON dedup (expires_at);

  CREATE TABLE samples (
    listener_id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  );
  `,
];

export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  const current = row.version ?? 0;
  for (let index = current; index < MIGRATIONS.length; index++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[index]!);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(index + 1);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
