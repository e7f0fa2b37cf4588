/**
 * The SQL of usage.sqlite: its tables and the statements store.ts runs. Times are wall-clock ms;
 * hourly counts are keyed by every dimension so that a flush adds to them (`calls = calls + …`).
 */
import type Database from 'better-sqlite3'

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hours (
  hour INTEGER NOT NULL, instance TEXT NOT NULL, integration TEXT NOT NULL, auth TEXT NOT NULL,
  resource TEXT NOT NULL, action TEXT NOT NULL, calls INTEGER NOT NULL,
  PRIMARY KEY (hour, instance, integration, auth, resource, action)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS integrations (
  integration TEXT PRIMARY KEY, instance TEXT NOT NULL, auth TEXT NOT NULL, client TEXT,
  key_fingerprint TEXT, flipped_at INTEGER,
  first_key_call_at INTEGER, last_key_call_at INTEGER,
  first_oauth_call_at INTEGER, last_oauth_call_at INTEGER
);
CREATE TABLE IF NOT EXISTS key_integrations (
  key_fingerprint TEXT NOT NULL, integration TEXT NOT NULL,
  first_call_at INTEGER NOT NULL, last_call_at INTEGER NOT NULL,
  PRIMARY KEY (key_fingerprint, integration)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS key_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key_fingerprint TEXT NOT NULL, at INTEGER NOT NULL,
  integration TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS key_calls_by_key ON key_calls (key_fingerprint, at);
`

/** `min` and `max` that ignore a NULL on either side. */
const EARLIEST = (column: string, param: string) =>
  `min(coalesce(${column}, ${param}), coalesce(${param}, ${column}))`
const LATEST = (column: string, param: string) =>
  `max(coalesce(${column}, ${param}), coalesce(${param}, ${column}))`

export function prepared(db: Database.Database) {
  const prepare = (sql: string) => db.prepare(sql)
  return {
    meta: db.prepare('SELECT value FROM meta WHERE name = ?'),
    integration: db.prepare('SELECT * FROM integrations WHERE integration = ?'),
    integrations: db.prepare('SELECT * FROM integrations ORDER BY integration'),
    keyIntegrations: db.prepare('SELECT * FROM key_integrations ORDER BY key_fingerprint, integration'),
    keyCalls: db.prepare(
      'SELECT key_fingerprint, at, integration, method, path, status FROM key_calls ORDER BY at DESC, id DESC',
    ),
    hours: db.prepare('SELECT * FROM hours WHERE hour >= ?'),
    upsertIntegration:
      prepare(`INSERT INTO integrations (integration, instance, auth, client, key_fingerprint, flipped_at)
      VALUES (@integration, @instance, @auth, @client, @keyFingerprint, @flippedAt)
      ON CONFLICT (integration) DO UPDATE SET instance = excluded.instance, auth = excluded.auth,
        client = excluded.client, key_fingerprint = excluded.key_fingerprint, flipped_at = excluded.flipped_at`),
    addHour: prepare(`INSERT INTO hours (hour, instance, integration, auth, resource, action, calls)
      VALUES (@hour, @instance, @integration, @auth, @resource, @action, @calls)
      ON CONFLICT (hour, instance, integration, auth, resource, action) DO UPDATE SET calls = calls + excluded.calls`),
    addTimes: prepare(`UPDATE integrations SET
      first_key_call_at = ${EARLIEST('first_key_call_at', '@firstKey')},
      last_key_call_at = ${LATEST('last_key_call_at', '@lastKey')},
      first_oauth_call_at = ${EARLIEST('first_oauth_call_at', '@firstOAuth')},
      last_oauth_call_at = ${LATEST('last_oauth_call_at', '@lastOAuth')}
      WHERE integration = @integration`),
    addKeyCall: prepare(`INSERT INTO key_calls (key_fingerprint, at, integration, method, path, status)
      VALUES (@keyFingerprint, @at, @integration, @method, @path, @status)`),
    addKeyUse:
      prepare(`INSERT INTO key_integrations (key_fingerprint, integration, first_call_at, last_call_at)
      VALUES (@keyFingerprint, @integration, @first, @last)
      ON CONFLICT (key_fingerprint, integration) DO UPDATE SET
        first_call_at = min(first_call_at, excluded.first_call_at),
        last_call_at = max(last_call_at, excluded.last_call_at)`),
    pruneKeyCalls: prepare(`DELETE FROM key_calls WHERE key_fingerprint = @fingerprint AND id NOT IN
      (SELECT id FROM key_calls WHERE key_fingerprint = @fingerprint ORDER BY at DESC, id DESC LIMIT @kept)`),
    countingSince: prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('counting_since', ?)"),
    dropHours: prepare('DELETE FROM hours WHERE hour < ?'),
  }
}
