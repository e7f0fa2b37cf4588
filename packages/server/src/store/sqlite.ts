import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { SqlDriver } from './sql-driver.ts'
import { SqlStore } from './sql-store.ts'
import { StoreConflictError } from './store.ts'

export interface SqliteStoreOptions {
  /** Folder of the database file (`keyshift.db`), created when missing; `:memory:` for tests. */
  dataDir: string
}

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = FULL` makes every commit
 * durable before its promise resolves, so an acknowledged write survives `kill -9` and power loss.
 */
export function createSqliteStore({ dataDir }: SqliteStoreOptions): SqlStore {
  let file = ':memory:'
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    file = join(dataDir, 'keyshift.db')
  }
  const db = new Database(file)
  // The file holds the signing keys and the pepper: only its owner may read it.
  if (file !== ':memory:') chmodSync(file, 0o600)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  return new SqlStore(sqliteDriver(db))
}

/**
 * Prepared statements the SQLite driver keeps, by SQL text. The length of a list no longer makes a
 * new text (it is one parameter, sql-rows.ts), but a record query still has one WHERE term per
 * filter a client sends, so clients choose among very many texts: the cache keeps the 256 used
 * last, far more than the shapes in steady use, and drops the others.
 */
export const STATEMENT_CACHE_SIZE = 256

export interface SqliteDriver extends SqlDriver {
  /** Prepared statements kept now: at most STATEMENT_CACHE_SIZE. */
  readonly cachedStatementCount: number
}

/** The store's driver on a better-sqlite3 database (exported for the tests of its statements). */
export function sqliteDriver(db: Database.Database): SqliteDriver {
  // Bound: STATEMENT_CACHE_SIZE statements; the least recently used goes first (a Map iterates in
  // insertion order: a statement in use is moved to the end). One dropped is finalized when
  // collected (better-sqlite3 owns its sqlite3_stmt: https://www.sqlite.org/c3ref/finalize.html).
  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (statement) statements.delete(sql)
    else {
      statement = db.prepare(sql)
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string)
    }
    statements.set(sql, statement)
    return statement
  }
  const translate = (error: unknown): never => {
    const e = error as { code?: string; message?: string }
    if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      // "UNIQUE constraint failed: oauth_clients.login"
      const column = /failed: \w+\.(\w+)/.exec(e.message ?? '')?.[1] ?? 'value'
      throw new StoreConflictError(column)
    }
    throw error
  }
  // better-sqlite3 runs each statement at once, but a migration awaits between statements: two
  // migrate() calls of one store would interleave (both see version 1 missing), so they take turns.
  let migrating: Promise<unknown> = Promise.resolve()
  const driver: SqliteDriver = {
    kind: 'sqlite',
    get cachedStatementCount() {
      return statements.size
    },
    async all(sql, params = []) {
      try {
        return prepare(sql).all(...params) as Record<string, unknown>[]
      } catch (error) {
        return translate(error)
      }
    },
    async run(sql, params = []) {
      try {
        return prepare(sql).run(...params).changes
      } catch (error) {
        return translate(error)
      }
    },
    // Migrations and multi-row INSERTs: prepared each time, never kept.
    async batch(list) {
      try {
        db.transaction(() => {
          for (const { sql, params = [] } of list) db.prepare(sql).run(...params)
        })()
      } catch (error) {
        translate(error)
      }
    },
    // One process owns the file, so taking turns within the process is enough.
    withMigrationLock(fn) {
      const turn = migrating.then(() => fn(driver))
      migrating = turn.catch(() => {})
      return turn
    },
    async close() {
      db.close()
    },
  }
  return driver
}
