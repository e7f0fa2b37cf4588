import type { Row } from './sql-rows.ts'
import type { Store } from './store.ts'

/** Portable SQL with `?` placeholders. */
export interface SqlSession {
  all(sql: string, params?: unknown[]): Promise<Row[]>
  run(sql: string, params?: unknown[]): Promise<number>
  /** Runs the statements atomically: all or none. */
  batch(statements: Array<{ sql: string; params?: unknown[] }>): Promise<void>
}

/** What SqlStore needs from a database. */
export interface SqlDriver extends SqlSession {
  readonly kind: Store['kind']
  /**
   * Runs `fn` while no other node or call migrates the same database. `fn` gets the session that
   * holds the lock: a migration needs no second connection, so it cannot wait on its own pool.
   */
  withMigrationLock<T>(fn: (db: SqlSession) => Promise<T>): Promise<T>
  close(): Promise<void>
}
