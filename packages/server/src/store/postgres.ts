import { Socket } from 'node:net'
import pg from 'pg'
import { PostgresChangeFeed } from './postgres-changes.ts'
import type { SqlDriver, SqlSession } from './sql-driver.ts'
import { SqlStore } from './sql-store.ts'
import { StoreConflictError, StoreUnavailableError } from './store.ts'

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  databaseUrl: string
  /** Connections in the pool (default 10); the change feed uses one more, of its own. */
  maxConnections?: number
  /**
   * How long one statement may run (PostgreSQL's `statement_timeout`, default 5 s): a statement
   * that runs longer is cancelled by the server (503). A server that does not answer at all is
   * given 2 s more, then counts as unavailable (503), so that neither requests nor shutdown wait
   * for it. Migrations (and the advisory lock they wait on) have no limit.
   */
  statementTimeoutMs?: number
}

// Migrations of several nodes starting at once wait for each other on this advisory lock.
const MIGRATION_LOCK_ID = 7_404_251
/** close() waits this long for the pool to end politely, then destroys its sockets. */
const CLOSE_GRACE_MS = 2000

/**
 * The shared store for several nodes. Commits are durable under PostgreSQL's defaults. Writes that
 * other nodes cache (clients, API keys, revocations, signing keys, settings) are announced on the
 * change feed once committed (postgres-changes.ts).
 */
export function createPostgresStore({
  databaseUrl,
  maxConnections = 10,
  statementTimeoutMs = 5000,
}: PostgresStoreOptions): SqlStore {
  // The pool's sockets, so that close() can destroy those of a server that no longer answers.
  const sockets = new Set<Socket>()
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: 'keyshift',
    // https://www.postgresql.org/docs/15/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
    statement_timeout: statementTimeoutMs,
    max: maxConnections,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    // Idle connections do not keep the process alive (those in use do): a `keyshift serve` whose
    // start failed after the store opened exits instead of hanging on the poll's connections.
    allowExitOnIdle: true,
    stream: () => {
      const socket = new Socket()
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      return socket
    },
    // BIGINT (oid 20) and COUNT(*) come back as strings by default; our values fit a double.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    },
  })
  // An idle client that loses its connection emits 'error'; the next query reconnects.
  pool.on('error', () => {})
  const driver = postgresDriver(pool, { queryTimeoutMs: statementTimeoutMs + 2000, sockets })
  return new PostgresStore(driver, new PostgresChangeFeed({ databaseUrl }))
}

/**
 * SqlStore, plus the feed of changes made through any node. The database announces them itself:
 * triggers NOTIFY inside the writing transaction (migration 5 in migrations.ts).
 */
class PostgresStore extends SqlStore {
  readonly changes: PostgresChangeFeed

  constructor(driver: SqlDriver, changes: PostgresChangeFeed) {
    super(driver)
    this.changes = changes
  }

  override async close(): Promise<void> {
    await this.changes.close()
    await super.close()
  }
}

function postgresDriver(
  pool: pg.Pool,
  { queryTimeoutMs, sockets }: { queryTimeoutMs: number; sockets: Set<Socket> },
): SqlDriver {
  const breaker = unansweredBreaker()
  /** Runs a statement; `timeoutMs` 0: no time limit, and no breaker (migrations). */
  const query = async (
    runner: pg.Pool | pg.PoolClient,
    sql: string,
    params: unknown[] = [],
    timeoutMs: number = queryTimeoutMs,
  ) => {
    const probe = timeoutMs > 0 && breaker.admit()
    try {
      // query_timeout: the promise rejects ("Query read timeout") when the server does not answer.
      // No statement is kept by SQL text: without a `name`, pg parses into the unnamed statement,
      // which the server replaces at the next Parse, and remembers nothing on the client.
      // https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
      const config = { text: toNumbered(sql), values: params, query_timeout: timeoutMs }
      const result = await runner.query(config as pg.QueryConfig)
      breaker.answered(probe)
      return result
    } catch (error) {
      if (timedOut(error)) breaker.unanswered(probe)
      else breaker.answered(probe)
      const e = error as { code?: string; constraint?: string }
      // https://www.postgresql.org/docs/current/errcodes-appendix.html 23505 unique_violation
      if (e.code === '23505') throw new StoreConflictError(columnOf(e.constraint))
      if (isUnavailable(error)) throw new StoreUnavailableError({ cause: error })
      throw error
    }
  }
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    breaker.refuseWhileOpen()
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      if (timedOut(error)) breaker.unanswered(false)
      throw new StoreUnavailableError({ cause: error })
    }
    let broken: Error | undefined
    try {
      return await fn(client)
    } catch (error) {
      // A connection that timed out or failed may still be waiting for an answer: not reused.
      if (error instanceof StoreUnavailableError) broken = error
      throw error
    } finally {
      client.release(broken)
    }
  }
  const transaction = async (client: pg.PoolClient, list: Parameters<SqlSession['batch']>[0]) => {
    await query(client, 'BEGIN')
    try {
      for (const { sql, params } of list) await query(client, sql, params)
      await query(client, 'COMMIT')
    } catch (error) {
      // On a broken connection ROLLBACK would wait behind the statement that hangs; the server
      // rolls back when the connection, dropped by withClient, goes.
      if (!(error instanceof StoreUnavailableError)) await query(client, 'ROLLBACK').catch(() => {})
      throw error
    }
  }
  // The migration runs on the connection that holds the lock. On the pool's other connections it
  // would wait for a free one, and time out, when the pool has a single connection or concurrent
  // migrate() calls fill it. Its statements have no time limit: the lock waits for other nodes.
  const session = (client: pg.PoolClient): SqlSession => ({
    all: async (sql, params) => (await query(client, sql, params, 0)).rows,
    run: async (sql, params) => (await query(client, sql, params, 0)).rowCount ?? 0,
    batch: async (list) => {
      await query(client, 'BEGIN', [], 0)
      try {
        for (const { sql, params } of list) await query(client, sql, params, 0)
        await query(client, 'COMMIT', [], 0)
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      }
    },
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
        // The lock may wait for another node's migration, and a migration may take long: no limit
        // on this session until it goes back to the pool.
        await query(client, 'SET statement_timeout = 0', [], 0)
        try {
          await query(client, 'SELECT pg_advisory_lock(?)', [MIGRATION_LOCK_ID], 0)
          try {
            return await fn(session(client))
          } finally {
            await query(client, 'SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK_ID])
          }
        } finally {
          await query(client, 'RESET statement_timeout')
        }
      }),
    // pool.end() waits for every connection to be given back and then says goodbye to the server;
    // a server that stopped answering would hold the process (and its SIGTERM) forever.
    async close() {
      const ended = pool.end().catch(() => {})
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>((done) => {
        timer = setTimeout(done, CLOSE_GRACE_MS)
        timer.unref()
      })
      await Promise.race([ended, grace])
      clearTimeout(timer)
      for (const socket of sockets) socket.destroy()
    },
  }
}

/**
 * PostgreSQL that accepts connections but does not answer (a hung server, a network that drops
 * packets) would make every statement wait for its time-out, and requests, the ledger's last flush
 * and with them shutdown pile up behind each other. Once a statement or a connection attempt got no
 * answer in time, statements fail at once (503) instead; one at a time, every RETRY_MS, is let
 * through to find out, and the first answer of any statement closes the breaker again.
 */
function unansweredBreaker() {
  const RETRY_MS = 1000
  let openUntil: number | undefined
  let probing = false
  const refused = () =>
    new StoreUnavailableError({ cause: new Error('PostgreSQL did not answer in time; asking again shortly') })
  return {
    /** Throws while open; resolves to true when this statement is the one let through. */
    admit(): boolean {
      if (openUntil === undefined) return false
      if (probing || performance.now() < openUntil) throw refused()
      probing = true
      return true
    },
    refuseWhileOpen(): void {
      if (openUntil !== undefined && (probing || performance.now() < openUntil)) throw refused()
    },
    /** The server answered (a result or an error of its own, or the connection was refused). */
    answered(probe: boolean): void {
      if (probe) probing = false
      openUntil = undefined
    },
    unanswered(probe: boolean): void {
      if (probe) probing = false
      openUntil = performance.now() + RETRY_MS
    },
  }
}

/** A statement or a new connection that got no answer in time (pg's and pg-pool's messages). */
function timedOut(error: unknown): boolean {
  const message = (error as Error | undefined)?.message ?? ''
  return (
    message === 'Query read timeout' || message.startsWith('Connection terminated due to connection timeout')
  )
}

/**
 * Errors that mean "the database cannot serve now", not "this statement is wrong": anything that is
 * not an answer of the server (no `severity`: the connection was refused, reset or timed out, such
 * as ECONNREFUSED while PostgreSQL is stopped, "Connection terminated", "Query read timeout"), and
 * the server's class 08 (connection exception), 53 (insufficient resources, e.g. too many
 * connections), 57 (operator intervention: shutdown, cancel), 55000 (e.g. the database is not
 * accepting connections) and 3D000 (the database does not exist). They become 503.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function isUnavailable(error: unknown): boolean {
  // A mistake in our own call (a value pg cannot send) is a bug, not an outage.
  if (error instanceof TypeError || error instanceof RangeError) return false
  const { code, severity } = error as { code?: unknown; severity?: unknown }
  if (typeof severity !== 'string') return true
  const sqlState = typeof code === 'string' ? code : ''
  return (
    sqlState.startsWith('08') ||
    sqlState.startsWith('53') ||
    sqlState.startsWith('57') ||
    sqlState === '55000' ||
    sqlState === '3D000'
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
