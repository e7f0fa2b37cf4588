import pg from 'pg'
import { type SqlDriver, type SqlSession, SqlStore } from './sql-store.ts'
import { StoreConflictError, StoreUnavailableError } from './store.ts'

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  databaseUrl: string
  /** Connections in the pool (default 10). */
  maxConnections?: number
}

// Migrations of several nodes starting at once wait for each other on this advisory lock.
const MIGRATION_LOCK_ID = 7_404_251

/** The shared store for several nodes. Commits are durable under PostgreSQL's defaults. */
export function createPostgresStore({ databaseUrl, maxConnections = 10 }: PostgresStoreOptions): SqlStore {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    connectionTimeoutMillis: 5000,
    // BIGINT (oid 20) and COUNT(*) come back as strings by default; our values fit a double.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  })
  // An idle client that loses its connection emits 'error'; the next query reconnects.
  pool.on('error', () => {})
  return new SqlStore(postgresDriver(pool))
}

function postgresDriver(pool: pg.Pool): SqlDriver {
  const query = async (runner: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []) => {
    try {
      return await runner.query(toNumbered(sql), params)
    } catch (error) {
      const e = error as { code?: string; constraint?: string }
      // https://www.postgresql.org/docs/current/errcodes-appendix.html 23505 unique_violation
      if (e.code === '23505') throw new StoreConflictError(columnOf(e.constraint))
      if (isUnavailable(e.code)) throw new StoreUnavailableError({ cause: error })
      throw error
    }
  }
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw new StoreUnavailableError({ cause: error })
    }
    try {
      return await fn(client)
    } finally {
      client.release()
    }
  }
  const transaction = async (client: pg.PoolClient, list: Parameters<SqlSession['batch']>[0]) => {
    await query(client, 'BEGIN')
    try {
      for (const { sql, params } of list) await query(client, sql, params)
      await query(client, 'COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    }
  }
  // The migration runs on the connection that holds the lock. On the pool's other connections it
  // would wait for a free one, and time out, when the pool has a single connection or concurrent
  // migrate() calls fill it.
  const session = (client: pg.PoolClient): SqlSession => ({
    all: async (sql, params) => (await query(client, sql, params)).rows,
    run: async (sql, params) => (await query(client, sql, params)).rowCount ?? 0,
    batch: (list) => transaction(client, list),
  })
  return {
    kind: 'postgres',
    async all(sql, params) {
      return (await query(pool, sql, params)).rows
    },
    async run(sql, params) {
      return (await query(pool, sql, params)).rowCount ?? 0
    },
    batch: (list) => withClient((client) => transaction(client, list)),
    withMigrationLock: (fn) =>
      withClient(async (client) => {
        await query(client, 'SELECT pg_advisory_lock(?)', [MIGRATION_LOCK_ID])
        try {
          return await fn(session(client))
        } finally {
          await query(client, 'SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK_ID])
        }
      }),
    close: () => pool.end(),
  }
}

/**
 * Errors that mean "the database cannot serve now", not "this statement is wrong": no SQLSTATE (the
 * connection failed), class 08 (connection exception), 53 (insufficient resources, e.g. too many
 * connections), 57 (operator intervention: shutdown, cancel), 55000 (e.g. the database is not
 * accepting connections) and 3D000 (the database does not exist). They become 503.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function isUnavailable(code: string | undefined): boolean {
  return (
    code === undefined ||
    code.startsWith('08') ||
    code.startsWith('53') ||
    code.startsWith('57') ||
    code === '55000' ||
    code === '3D000'
  )
}

/** `?` placeholders → `$1, $2, …`. Our SQL has no `?` inside literals. */
function toNumbered(sql: string): string {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

// PostgreSQL names a primary key constraint `<table>_pkey`, without its column.
const primaryKeys: Record<string, string> = {
  oauth_clients: 'id',
  admin_users: 'username',
  settings: 'key',
  signing_keys: 'kid',
  revoked_tokens: 'jti',
  api_keys: 'id',
}

/** "oauth_clients_login_key" → "login"; "signing_keys_pkey" → "kid", as SQLite names them. */
function columnOf(constraint: string | undefined): string {
  const match =
    /^(oauth_clients|admin_users|settings|signing_keys|revoked_tokens|api_keys)_(?:(\w+)_key|pkey)$/.exec(
      constraint ?? '',
    )
  return match?.[2] ?? primaryKeys[match?.[1] ?? ''] ?? 'value'
}
