import { CHANGES_CHANNEL } from './changes.ts'

/**
 * Schema migrations, the same SQL for SQLite and PostgreSQL: only portable types (TEXT, BIGINT,
 * INTEGER) and `?` placeholders. Times are epoch milliseconds; booleans are 0/1.
 * Append new migrations; never edit one that has shipped.
 */
export interface Migration {
  version: number
  name: string
  statements: string[]
  /** Run after `statements` on PostgreSQL only: what SQLite has no equivalent of (NOTIFY). */
  postgresOnly?: string[]
}

/**
 * Triggers that announce, inside the writing transaction, a change the other nodes keep in memory
 * (store/changes.ts has the payloads). A NOTIFY in a transaction "is not delivered until and unless
 * the transaction is committed" (https://www.postgresql.org/docs/15/sql-notify.html): a rolled-back
 * write announces nothing, and a committed one cannot go unannounced, even when the node that made
 * it dies right after its commit, or when the write was plain SQL from outside Keyshift.
 * Row triggers name the client or key; statement triggers name only the kind of change.
 */
const announceChanges = [
  `CREATE FUNCTION keyshift_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    payload text := TG_ARGV[0];
  BEGIN
    IF payload = 'client' THEN
      payload := 'client:' || NEW.client_id;
    ELSIF payload = 'api_key' THEN
      payload := 'api_key:' || NEW.id;
    END IF;
    PERFORM pg_notify('${CHANGES_CHANNEL}', payload);
    RETURN NULL;
  END
  $$`,
  `CREATE TRIGGER oauth_clients_changed AFTER INSERT OR UPDATE ON oauth_clients
    FOR EACH ROW EXECUTE FUNCTION keyshift_announce_change('client')`,
  `CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION keyshift_announce_change('api_key')`,
  `CREATE TRIGGER revoked_tokens_changed AFTER INSERT ON revoked_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION keyshift_announce_change('revocations')`,
  `CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE ON signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION keyshift_announce_change('signing_keys')`,
  `CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION keyshift_announce_change('settings')`,
  `CREATE TRIGGER brownouts_changed AFTER INSERT OR UPDATE OR DELETE ON brownouts
    FOR EACH STATEMENT EXECUTE FUNCTION keyshift_announce_change('settings')`,
]

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'foundation',
    statements: [
      `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE oauth_clients (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        grant_type TEXT NOT NULL,
        scopes TEXT NOT NULL,
        login TEXT NOT NULL UNIQUE,
        contact_first_name TEXT,
        contact_last_name TEXT,
        contact_email TEXT,
        active INTEGER NOT NULL,
        secret_hash TEXT NOT NULL,
        previous_secret_hash TEXT,
        previous_secret_expires_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        retired_at BIGINT
      )`,
      `CREATE TABLE revoked_tokens (
        jti TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT NOT NULL
      )`,
      `CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at)`,
      `CREATE TABLE admin_users (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'api keys and core API records',
    statements: [
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        contact_first_name TEXT,
        contact_last_name TEXT,
        contact_login TEXT NOT NULL UNIQUE,
        contact_email TEXT NOT NULL UNIQUE,
        key_hash TEXT NOT NULL UNIQUE,
        expires_on TEXT,
        permissions TEXT,
        revoked_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE api_records (
        resource TEXT NOT NULL,
        id BIGINT NOT NULL,
        status TEXT,
        exported INTEGER,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (resource, id)
      )`,
      `CREATE INDEX api_records_status ON api_records (resource, status, id)`,
      `CREATE INDEX api_records_updated_at ON api_records (resource, updated_at, id)`,
      `CREATE INDEX api_records_exported ON api_records (resource, exported, id)`,
      `CREATE TABLE api_sequences (resource TEXT PRIMARY KEY, last_id BIGINT NOT NULL)`,
    ],
  },
  {
    version: 3,
    name: 'transition: usage ledger, brownouts, audit log, key signals',
    statements: [
      ...usageTable('usage_hourly', 'hour'),
      ...usageTable('usage_daily', 'day'),
      `CREATE TABLE principal_use (
        principal_kind TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        first_at BIGINT NOT NULL,
        last_at BIGINT NOT NULL,
        last_remote_address TEXT,
        last_user_agent TEXT,
        PRIMARY KEY (principal_kind, principal_id)
      )`,
      `CREATE TABLE brownouts (
        id TEXT PRIMARY KEY,
        starts_at BIGINT NOT NULL,
        ends_at BIGINT NOT NULL,
        api_key_id TEXT
      )`,
      `CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        subject_name TEXT,
        forced INTEGER NOT NULL
      )`,
      `ALTER TABLE api_keys ADD COLUMN replacement_client_id TEXT`,
      `ALTER TABLE api_keys ADD COLUMN deprecation_at BIGINT`,
      `ALTER TABLE api_keys ADD COLUMN sunset_at BIGINT`,
    ],
  },
  {
    version: 4,
    name: 'admin sessions of the Setup pages',
    statements: [
      // The session id itself is never stored: only its SHA-256 (admin/sessions.ts).
      `CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at)`,
    ],
  },
  {
    version: 5,
    name: 'changes announced to the other nodes by the database (PostgreSQL)',
    statements: [],
    postgresOnly: announceChanges,
  },
  {
    version: 6,
    name: "the cut-off of a client's tokens",
    // Epoch milliseconds; a change of it is announced like any change of the row (client:<id>).
    statements: ['ALTER TABLE oauth_clients ADD COLUMN tokens_revoked_at BIGINT'],
  },
  {
    version: 7,
    name: 'which endpoint wrote an audit entry',
    // `transition` or `api_keys`; NULL for the entries written before: the path was not recorded.
    statements: ['ALTER TABLE audit_log ADD COLUMN via TEXT'],
  },
  {
    version: 8,
    name: 'custom fields of the core API resources',
    // `name` underscored (`erp_vendor_id`); `lookup_values` a JSON array of a lookup's values.
    statements: [
      `CREATE TABLE custom_fields (
        id TEXT PRIMARY KEY,
        resource TEXT NOT NULL,
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        type TEXT NOT NULL,
        lookup_values TEXT,
        required INTEGER NOT NULL,
        active INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        UNIQUE (resource, name)
      )`,
    ],
    // Every node reads the custom fields again with the settings (app.ts): announced as settings.
    postgresOnly: [
      `CREATE TRIGGER custom_fields_changed AFTER INSERT OR UPDATE OR DELETE ON custom_fields
        FOR EACH STATEMENT EXECUTE FUNCTION keyshift_announce_change('settings')`,
    ],
  },
  {
    version: 9,
    name: 'attachments, comments and image scans under a record, their files in the database',
    statements: [
      // The files live in the store, not in a folder: one backup holds everything, a file and its
      // metadata are written in one transaction (an acknowledged upload is committed), and every
      // node of a multi-node instance on PostgreSQL serves every file. BYTEA is PostgreSQL's binary
      // type; SQLite stores a blob as given under any declared type (https://www.sqlite.org/datatype3.html).
      `CREATE TABLE api_nested_records (
        kind TEXT NOT NULL,
        id BIGINT NOT NULL,
        parent_resource TEXT NOT NULL,
        parent_id BIGINT NOT NULL,
        data TEXT NOT NULL,
        content BYTEA,
        PRIMARY KEY (kind, id)
      )`,
      `CREATE INDEX api_nested_records_parent ON api_nested_records (kind, parent_resource, parent_id, id)`,
    ],
  },
  {
    version: 10,
    name: 'a page of records answered from an index alone',
    // A list in the full view asks the index for a page's ids and update times (sql-rows.ts
    // selectVersions), then takes the bodies from the rendered-record cache. With `updated_at` in the
    // index, that query reads no table row: at 1 000 000 invoices the rows of a page lie on 50 pages
    // of the table that are rarely all in the cache. (resource, updated_at, id) already holds it.
    statements: [
      `CREATE INDEX api_records_id_versions ON api_records (resource, id, updated_at)`,
      `CREATE INDEX api_records_status_versions ON api_records (resource, status, id, updated_at)`,
      `CREATE INDEX api_records_exported_versions ON api_records (resource, exported, id, updated_at)`,
      'DROP INDEX api_records_status',
      'DROP INDEX api_records_exported',
    ],
  },
]

/** The calls of each principal × resource × action per hour or per day, with an index on the period. */
function usageTable(name: string, period: 'hour' | 'day'): string[] {
  return [
    `CREATE TABLE ${name} (
        principal_kind TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        action TEXT NOT NULL,
        ${period} BIGINT NOT NULL,
        calls BIGINT NOT NULL,
        PRIMARY KEY (principal_kind, principal_id, resource, action, ${period})
      )`,
    `CREATE INDEX ${name}_${period} ON ${name} (${period})`,
  ]
}
