/**
 * The SQLite schema. Each migration has a name, runs once, in list order, and is
 * recorded in `schema_migrations`. Never edit a shipped migration: add a new one.
 * Feature areas add their own named entries (jobs, delivery, debug logs), so
 * work on different areas does not collide on numbering.
 *
 * Documents are JSON in a `doc` column; columns beside it exist only for lookups,
 * ordering and the counters that must change atomically with a write.
 */
import { ConfigError } from '../../config';
import type { Database } from './driver';

interface Migration {
  name: string;
  sql: string;
}

const MIGRATIONS: Migration[] = [
  { name: '001-resources-and-jobs', sql: `
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
  ` },
  // Debug sessions (SPEC §13): ids sort in capture order; expires_at drives the purge task.
  { name: '020-debug-logs', sql: `
  CREATE TABLE debug_logs (
    id TEXT PRIMARY KEY,
    listener_id TEXT NOT NULL,
    session TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX debug_logs_listener ON debug_logs (listener_id, id);
  CREATE INDEX debug_logs_session ON debug_logs (listener_id, session);
  CREATE INDEX debug_logs_expiry ON debug_logs (expires_at);
  ` },
  // Delivery (SPEC §11, §17): a flow's start and lease beside its cursor; one row per delivery error.
  { name: '030-delivery', sql: `
  ALTER TABLE flows ADD COLUMN start_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE flows ADD COLUMN lease_owner TEXT;
  ALTER TABLE flows ADD COLUMN lease_until TEXT;
  UPDATE flows SET start_seq = cursor_seq;
  -- A new flow starts where its cursor was placed, in the insert's own transaction.
  CREATE TRIGGER flows_start_seq AFTER INSERT ON flows
  BEGIN
    UPDATE flows SET start_seq = NEW.cursor_seq WHERE id = NEW.id;
  END;

  CREATE TABLE delivery_errors (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    position TEXT NOT NULL,
    retry_requested_at TEXT,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX delivery_errors_order ON delivery_errors (flow_id, position, id);
  CREATE INDEX delivery_errors_status ON delivery_errors (flow_id, status, position, id);
  CREATE INDEX delivery_errors_job ON delivery_errors (flow_id, job_id);
  CREATE INDEX delivery_errors_resolved ON delivery_errors (status, updated_at);
  ` },
  // Retry schedules and replay (SPEC §11): a flow's retry wait beside its cursor; replays queued per flow.
  { name: '040-delivery-schedule', sql: `
  ALTER TABLE flows ADD COLUMN retry_wait TEXT;
  CREATE TABLE replays (
    ord INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    flow_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    page INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX replays_flow ON replays (flow_id, ord);
  CREATE INDEX replays_job ON replays (job_id);
  ` },
  // Connections (issue 14): uid unique when set; imports indexed by the connection they use.
  { name: '050-connections', sql: `
  CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    uid TEXT,
    doc TEXT NOT NULL
  );
  CREATE INDEX connections_order ON connections (created_at, id);
  CREATE UNIQUE INDEX connections_uid ON connections (uid) WHERE uid IS NOT NULL;
  ALTER TABLE imports ADD COLUMN connection_id TEXT;
  UPDATE imports SET connection_id = json_extract(doc, '$.settings.connectionId');
  CREATE INDEX imports_connection ON imports (connection_id, created_at, id);
  ` },
  // A connection's shared rate limit (issue 14): the next free request slot, ms since the epoch.
  { name: '051-connection-slots', sql: `
  ALTER TABLE connections ADD COLUMN next_slot_at REAL NOT NULL DEFAULT 0;
  ` },
  // Numbered lease terms (store port: a takeover starts the next term; the cursor belongs to it).
  { name: '060-lease-terms', sql: `
  ALTER TABLE flows ADD COLUMN lease_term INTEGER NOT NULL DEFAULT 0;
  ` },
  // The always-on request history (issue 13): the newest N requests per listener, ids in arrival order.
  { name: '070-request-history', sql: `
  CREATE TABLE request_history (
    id TEXT PRIMARY KEY,
    listener_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX request_history_listener ON request_history (listener_id, id);
  ` },
  // Issue 16: the history row every request adds, clustered on the key it is read by (WITHOUT
  // ROWID): it was written to three B-trees (the table, its id key, the listener index) and trimmed
  // from three; now one (~20% fewer pages written per row). The dedup claims stay a rowid table:
  // their random keys made a clustered table write more pages, not fewer.
  { name: '080-clustered-request-history', sql: `
  CREATE TABLE request_history_clustered (
    listener_id TEXT NOT NULL,
    id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (listener_id, id)
  ) WITHOUT ROWID;
  INSERT INTO request_history_clustered (listener_id, id, received_at, outcome, doc)
    SELECT listener_id, id, received_at, outcome, doc FROM request_history;
  DROP TABLE request_history;
  ALTER TABLE request_history_clustered RENAME TO request_history;
  ` },
];

export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT name FROM schema_migrations').all() as Array<{ name: string }>).map((row) => row.name));
  // A downgrade: this version would run against tables it does not know. Refuse before writing anything.
  const unknown = [...applied].filter((name) => !MIGRATIONS.some((migration) => migration.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `the database was upgraded by a newer hookport (migrations ${unknown.join(', ')} are unknown to this version): ` +
        'run that newer version, or restore the backup taken before the upgrade',
    );
  }
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.name)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(migration.name, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
