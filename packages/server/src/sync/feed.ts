import type { Change, ChangeFeed } from '../store/changes.ts'

/** While the store pushes changes, the fallback poll runs this often, and cached clients and keys live as long. */
export const PUSHED_SYNC_INTERVAL_MS = 5000
/** Expired leftovers (revocations of tokens that have expired anyway) are purged about this often. */
const PURGE_INTERVAL_MS = 3_600_000

/** A cache of records other nodes change one at a time: clients by client_id, API keys by id. */
export interface RecordCache {
  /** Drops one record: the next request reads it again. */
  forget(id: string): void
  /** Drops every record (the feed may have missed changes). */
  forgetAll(): void
  /** Whether the store pushes changes: cached records may then live longer. */
  pushChanges(pushed: boolean): void
}

/** What this node keeps in step with the store. Declared here; the services implement it. */
export interface SyncTargets {
  /** Read again as a whole when they change: signing keys, revocations, transition settings. */
  reload: { signingKeys(): Promise<void>; revocations(): Promise<void>; settings(): Promise<void> }
  /** Dropped record by record. */
  caches: { clients: RecordCache; apiKeys: RecordCache }
  /** Deletes what has expired anyway (revocations of expired tokens); run about once an hour. */
  purge(): Promise<unknown>
}

export interface SyncOptions extends SyncTargets {
  /** The store's change feed (PostgreSQL LISTEN/NOTIFY); undefined where there is none (SQLite). */
  feed: ChangeFeed | undefined
  /** How often to poll without a feed, or while it is interrupted (default 400 ms). */
  intervalMs: number
  logger: {
    info(message: string): void
    warn(details: object, message: string): void
  }
}

/**
 * Keeps this node's in-memory state in step with changes made through other nodes: this is how
 * node B learns that node A deactivated a client, revoked a key or rotated a signing key.
 *
 * Where the store pushes changes (PostgreSQL LISTEN/NOTIFY, store/postgres-changes.ts), each notice
 * drops the client or API key it names, or reloads the revocations, signing keys or settings, at
 * once; a poll every 5 s (and cached clients and keys trusted for 5 s) is only the fallback for a
 * notice lost on the sending side. While the feed is interrupted (PostgreSQL restarting), and where
 * there is no feed (the embedded store: one node, nothing else writes), it polls every `intervalMs`
 * (400 ms) and the caches re-read after 400 ms. After the feed reconnects, everything is read
 * again: notices sent meanwhile are lost.
 *
 * Failures are logged once until the store answers again; nothing here throws or keeps the process
 * alive (timers are unref'd, and the returned function stops everything).
 */
export function startSync(options: SyncOptions): () => void {
  const { feed, intervalMs, caches, logger } = options
  const reload = {
    signingKeys: oneAtATime(options.reload.signingKeys),
    revocations: oneAtATime(options.reload.revocations),
    settings: oneAtATime(options.reload.settings),
  }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let failing = false
  let interrupted = false
  let purgedAt = performance.now()

  const failed = (error: unknown) => {
    if (stopped || failing) return
    failing = true
    logger.warn({ err: error }, 'sync with the store failed; retrying (logged once until it works again)')
  }
  const poll = async () => {
    try {
      await Promise.all([reload.signingKeys(), reload.revocations(), reload.settings()])
      if (failing) logger.info('sync with the store works again')
      failing = false
      if (performance.now() - purgedAt >= PURGE_INTERVAL_MS) {
        purgedAt = performance.now()
        await options.purge()
      }
    } catch (error) {
      failed(error)
    }
  }
  const schedule = () => {
    clearTimeout(timer)
    if (stopped) return
    const every = feed?.listening === true ? Math.max(intervalMs, PUSHED_SYNC_INTERVAL_MS) : intervalMs
    timer = setTimeout(async function syncTick() {
      await poll()
      schedule()
    }, every)
    timer.unref()
  }
  const pushed = (on: boolean) => {
    caches.clients.pushChanges(on)
    caches.apiKeys.pushChanges(on)
  }
  const everything = () => {
    caches.clients.forgetAll()
    caches.apiKeys.forgetAll()
    void poll()
  }
  const applyChange = (change: Change) => {
    if (change.kind === 'client') caches.clients.forget(change.clientId)
    else if (change.kind === 'api_key') caches.apiKeys.forget(change.id)
    else if (change.kind === 'revocations') reload.revocations().catch(failed)
    else if (change.kind === 'signing_keys') reload.signingKeys().catch(failed)
    else if (change.kind === 'settings') reload.settings().catch(failed)
    else everything()
  }

  const unsubscribe = feed?.subscribe({
    change: applyChange,
    listening() {
      if (stopped) return
      if (interrupted) {
        const every = Math.max(intervalMs, PUSHED_SYNC_INTERVAL_MS)
        logger.info(`listening for changes from other nodes again; fallback poll every ${every} ms`)
      }
      interrupted = false
      pushed(true)
      everything()
      schedule()
    },
    interrupted(error) {
      if (stopped) return
      interrupted = true
      pushed(false)
      logger.warn(
        { err: error },
        `lost the PostgreSQL connection that pushes changes from other nodes; polling every ${intervalMs} ms until it is back`,
      )
      schedule()
    },
  })
  schedule()
  return () => {
    stopped = true
    clearTimeout(timer)
    unsubscribe?.()
  }
}

/**
 * Runs `load` one call at a time. A call made while it runs gets one more run after it, shared
 * with the other calls made meanwhile: a reload asked for by a change must begin after the change.
 */
export function oneAtATime(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  return function run(): Promise<void> {
    if (!running) {
      running = load().finally(() => {
        running = undefined
      })
      return running
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined
        return run()
      })
    return queued
  }
}
