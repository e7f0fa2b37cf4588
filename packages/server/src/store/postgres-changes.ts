/**
 * The change feed of the PostgreSQL store: every node LISTENs on one channel over a connection of
 * its own, and the database NOTIFYs it from triggers, inside the transaction of each write
 * (migrations.ts). Semantics relied on, from https://www.postgresql.org/docs/15/sql-notify.html :
 * - "if a NOTIFY is executed inside a transaction, the notify events are not delivered until and
 *   unless the transaction is committed": a listener never hears of a change it cannot read yet,
 *   and never of one that was rolled back; a committed change is always announced.
 * - a listening session "will get back a notification event" for its own NOTIFYs, like every other
 *   listener. The writing node writes on a pool connection and listens on another, so it hears its
 *   own changes too: it applied them already, and applying them again costs one read.
 * - "The payload string … must be shorter than 8000 bytes" in the default configuration: payloads
 *   here are identifiers (`client:<32 hex>`, `api_key:<uuid>`), never records, hashes or secrets.
 * - a notice is delivered to a session only between its transactions: the listening connection runs
 *   no transaction, only LISTEN and a heartbeat (so it never holds the notification queue back).
 * Notices sent while a node is not listening are lost: after every (re)connection the listeners
 * are told to read everything again (`listening()`); the fallback poll of the app covers the rest.
 * https://www.postgresql.org/docs/15/sql-listen.html
 */
import { Socket } from 'node:net'
import pg from 'pg'
import { CHANGES_CHANNEL, type ChangeFeed, type ChangeListener, parseChange } from './changes.ts'

export interface PostgresChangeFeedOptions {
  databaseUrl: string
  /** The listening connection runs `SELECT 1` this often to notice a dead connection (default 5 s). */
  heartbeatMs?: number
  /**
   * How long a heartbeat may take before the connection counts as lost (default 10 s: generous, as
   * a PostgreSQL starved of CPU answers slowly, and the fallback poll covers the time meanwhile).
   */
  heartbeatTimeoutMs?: number
  /** How long a connection attempt may take (default 5 s, as the pool's). */
  connectTimeoutMs?: number
  /** First and largest wait between reconnection attempts (default 250 ms, 5 s), with jitter. */
  backoff?: { firstMs: number; maxMs: number }
}

/**
 * One dedicated connection that LISTENs (a pool would hand the session back and lose it), opened
 * on the first subscription. When PostgreSQL restarts or the connection dies it reconnects with
 * backoff, tells the listeners (`interrupted`, then `listening`), and never throws. `close()`
 * does not wait for a server that does not answer: it destroys the socket.
 */
export class PostgresChangeFeed implements ChangeFeed {
  readonly #options: Required<PostgresChangeFeedOptions>
  readonly #listeners = new Set<ChangeListener>()
  #client: pg.Client | undefined
  #socket: Socket | undefined
  #listening = false
  #started = false
  #closed = false
  /** Failed attempts since the feed last listened. */
  #failures = 0
  #timer: NodeJS.Timeout | undefined

  constructor(options: PostgresChangeFeedOptions) {
    this.#options = {
      heartbeatMs: 5000,
      heartbeatTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
      backoff: { firstMs: 250, maxMs: 5000 },
      ...options,
    }
  }

  get listening(): boolean {
    return this.#listening
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener)
    if (this.#closed) return () => {}
    // A later subscriber learns that the feed already listens; the first one when it connects.
    if (this.#listening) queueMicrotask(() => this.#listeners.has(listener) && listener.listening())
    if (!this.#started) {
      this.#started = true
      void this.#connect()
    }
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Stops listening and reconnecting; resolves at once, whatever state the server is in. */
  async close(): Promise<void> {
    this.#closed = true
    this.#listening = false
    clearTimeout(this.#timer)
    this.#listeners.clear()
    this.#drop()
  }

  async #connect(): Promise<void> {
    if (this.#closed) return
    const client = new pg.Client({
      connectionString: this.#options.databaseUrl,
      // Tells this connection apart in pg_stat_activity (the pool's are `keyshift`).
      application_name: 'keyshift-changes',
      connectionTimeoutMillis: this.#options.connectTimeoutMs,
      keepAlive: true,
      // Our own socket, so that close() can destroy it even when the server does not answer; and
      // unref'd: listening alone must not keep a process alive (one whose server failed to start,
      // or that is shutting down), and nothing awaits this connection.
      stream: () => {
        this.#socket = new Socket()
        this.#socket.unref()
        return this.#socket
      },
    })
    this.#client = client
    // Kept for the client's whole life: an 'error' without a listener would crash the process.
    client.on('error', (error) => this.#lost(client, error))
    client.on('end', () => this.#lost(client, new Error('the connection ended')))
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL || this.#client !== client) return
      this.#emit((listener) => listener.change(parseChange(message.payload ?? '')))
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANGES_CHANNEL}`)
    } catch (error) {
      this.#lost(client, error)
      return
    }
    if (this.#client !== client) return // closed or lost meanwhile
    this.#failures = 0
    this.#listening = true
    this.#beat(client)
    this.#emit((listener) => listener.listening())
  }

  /** Runs `SELECT 1` every heartbeatMs: a connection that no longer answers counts as lost. */
  #beat(client: pg.Client): void {
    this.#timer = setTimeout(async () => {
      try {
        await client.query({
          text: 'SELECT 1',
          query_timeout: this.#options.heartbeatTimeoutMs,
        } as pg.QueryConfig)
      } catch (error) {
        this.#lost(client, error)
        return
      }
      if (this.#client === client) this.#beat(client)
    }, this.#options.heartbeatMs)
    this.#timer.unref()
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return // an old connection, or closed: already handled
    const wasListening = this.#listening
    this.#listening = false
    clearTimeout(this.#timer)
    this.#drop()
    if (this.#closed) return
    // Told once per interruption: when listening stops, or when the very first attempt fails.
    if (wasListening || this.#failures === 0) this.#emit((listener) => listener.interrupted(error))
    this.#failures += 1
    const { firstMs, maxMs } = this.#options.backoff
    const ceiling = Math.min(maxMs, firstMs * 2 ** Math.min(this.#failures - 1, 20))
    // Between half and all of the ceiling: nodes that lost PostgreSQL together do not return together.
    this.#timer = setTimeout(() => void this.#connect(), ceiling / 2 + (Math.random() * ceiling) / 2)
    this.#timer.unref()
  }

  /** Forgets the current connection and destroys its socket (no goodbye to a server that may hang). */
  #drop(): void {
    const client = this.#client
    const socket = this.#socket
    this.#client = undefined
    this.#socket = undefined
    if (!client) return
    client.end().catch(() => {})
    socket?.destroy()
  }

  #emit(call: (listener: ChangeListener) => void): void {
    for (const listener of [...this.#listeners]) {
      try {
        call(listener)
      } catch {
        // A listener's failure is its own; the others still hear of the change.
      }
    }
  }
}
