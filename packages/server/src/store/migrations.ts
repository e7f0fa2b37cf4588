/**
 * Schema migrations, the same SQL for SQLite and PostgreSQL: only portable types (TEXT, BIGINT,
 * INTEGER) and `?` placeholders. Times are epoch milliseconds; booleans are 0/1.
 * Append new migrations; never edit one that has shipped.
 */
export interface Migration {
  version: number
  name: string
  statements: string[]
}

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
]
