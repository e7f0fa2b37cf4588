import type { Clock } from '../contract/clock.ts'
import type { HourlyUsage, PrincipalKind, PrincipalUseRecord } from '../contract/records.ts'
import type { Store } from '../store/store.ts'
import { DAY, HOUR, startOfHour } from './time.ts'

export interface UsageLedgerOptions {
  store: Pick<Store, 'addUsage' | 'upsertPrincipalUse' | 'rollUpUsage'>
  clock: Clock
  /** Where failures go (a pino logger). */
  logger: { warn(details: object, message: string): void }
  /** How often counts are written (default 5000 ms): a crash loses at most this much. */
  flushIntervalMs?: number
  /** Hours older than this are rolled up into days (default 35). */
  retentionDays?: number
  /** Rows kept in memory while the store fails; beyond it the oldest hours are dropped (default 100 000). */
  maxPendingRows?: number
}

/** Where a call came from, for the last use of its principal. */
export interface CallOrigin {
  remoteAddress: string | undefined
  userAgent: string | undefined
}

export const DEFAULT_FLUSH_INTERVAL_MS = 5000
export const DEFAULT_RETENTION_DAYS = 35
const DAYS_KEPT = 365
const MAX_USER_AGENT = 255

/**
 * Counts core API calls per principal × resource × action × hour, and the first and last use of
 * each principal, in memory: counting a call costs a few Map operations, no I/O (the core API's
 * `UsageRecorder`). A timer writes them in one batch per interval; a failed write keeps
 * the counts for the next one. About once an hour, hours past the retention are rolled up into days.
 */
export class UsageLedger {
  readonly #store: UsageLedgerOptions['store']
  readonly #clock: Clock
  readonly #logger: UsageLedgerOptions['logger']
  readonly #flushIntervalMs: number
  readonly #retentionDays: number
  readonly #maxPendingRows: number
  // Keyed by stored principals (clients, API keys), catalogue resources and actions: no request makes one up.
  /** Bound: principals × resources × actions × hours since the last write (failed writes: maxPendingRows). */
  #counts = new Map<string, HourlyUsage>()
  /** Bound: one per stored principal (client or API key); emptied by each write that succeeds. */
  #uses = new Map<string, PrincipalUseRecord>()
  /**
   * The keys of `#counts` and `#uses` as strings made once, found through the strings a call already
   * holds (the principal's id from the cached client or key, the catalogue's resource and action),
   * whose hashes V8 keeps: building and hashing a fresh key on every call was 1.5 % of a GET's
   * time (`perf record`, 2026-12-03). Holds strings only, no counts. Bound: emptied by every flush.
   */
  #keys: Record<PrincipalKind, Map<string, PrincipalKeys>> = { client: new Map(), api_key: new Map() }
  #flushing: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  #lastRollUp = Number.NEGATIVE_INFINITY
  #rollingUp = false

  constructor(options: UsageLedgerOptions) {
    this.#store = options.store
    this.#clock = options.clock
    this.#logger = options.logger
    this.#flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    this.#retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS
    this.#maxPendingRows = options.maxPendingRows ?? 100_000
  }

  record(
    principal: { kind: PrincipalKind; id: string },
    resource: string,
    action: string,
    origin: CallOrigin,
  ): void {
    const now = this.#clock.now()
    const hour = startOfHour(now)
    const keys = this.#keysOf(principal)
    const key = countKey(keys, resource, action, hour)
    const count = this.#counts.get(key)
    if (count) count.calls++
    else {
      const row = {
        principalKind: principal.kind,
        principalId: principal.id,
        resource,
        action,
        hour,
        calls: 1,
      }
      this.#counts.set(key, row)
    }
    const lastRemoteAddress = origin.remoteAddress ?? null
    const lastUserAgent = origin.userAgent?.slice(0, MAX_USER_AGENT) ?? null
    const useKey = keys.use
    const use = this.#uses.get(useKey)
    if (!use) {
      const { kind: principalKind, id: principalId } = principal
      this.#uses.set(useKey, {
        principalKind,
        principalId,
        firstAt: now,
        lastAt: now,
        lastRemoteAddress,
        lastUserAgent,
      })
    } else if (now >= use.lastAt) {
      use.lastAt = now
      use.lastRemoteAddress = lastRemoteAddress
      use.lastUserAgent = lastUserAgent
    }
  }

  #keysOf(principal: { kind: PrincipalKind; id: string }): PrincipalKeys {
    const ofKind = this.#keys[principal.kind]
    let keys = ofKind.get(principal.id)
    if (keys === undefined) {
      keys = { use: `${principal.kind}\n${principal.id}`, calls: new Map() }
      ofKind.set(principal.id, keys)
    }
    return keys
  }

  /** Starts the timer of flushes and roll-ups; it does not keep the process alive. */
  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => void this.#tick(), this.#flushIntervalMs)
    this.#timer.unref()
  }

  /** Writes what has been counted so far. Resolves even when the store fails (logged, kept). */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#flushOnce())
    this.#flushing = run.catch(() => {})
    return run
  }

  /** Rolls hours older than the retention up into days, and drops days older than a year. */
  async rollUp(): Promise<void> {
    const now = this.#clock.now()
    this.#lastRollUp = now
    try {
      await this.#store.rollUpUsage({
        hoursBefore: startOfHour(now) - this.#retentionDays * DAY,
        daysBefore: now - DAYS_KEPT * DAY,
      })
    } catch (error) {
      this.#logger.warn({ err: error }, 'rolling up the usage ledger failed; will retry in an hour')
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.flush()
  }

  async #tick(): Promise<void> {
    await this.flush()
    if (this.#rollingUp || this.#clock.now() - this.#lastRollUp < HOUR) return
    this.#rollingUp = true
    try {
      await this.rollUp()
    } finally {
      this.#rollingUp = false
    }
  }

  async #flushOnce(): Promise<void> {
    const counts = this.#counts
    const uses = this.#uses
    this.#counts = new Map()
    this.#uses = new Map()
    this.#keys = { client: new Map(), api_key: new Map() }
    // Two writes, each kept on its own failure: retrying a written batch would count it twice.
    if (counts.size > 0) {
      try {
        await this.#store.addUsage([...counts.values()])
      } catch (error) {
        this.#logger.warn(
          { err: error, rows: counts.size },
          'writing usage counts failed; kept for the next flush',
        )
        this.#restoreCounts(counts)
      }
    }
    if (uses.size > 0) {
      try {
        await this.#store.upsertPrincipalUse([...uses.values()])
      } catch (error) {
        this.#logger.warn({ err: error }, 'writing last uses failed; kept for the next flush')
        this.#restoreUses(uses)
      }
    }
  }

  #restoreCounts(failed: Map<string, HourlyUsage>): void {
    for (const [key, row] of failed) {
      const current = this.#counts.get(key)
      if (current) current.calls += row.calls
      else this.#counts.set(key, row)
    }
    const excess = this.#counts.size - this.#maxPendingRows
    if (excess <= 0) return
    const oldest = [...this.#counts].sort(([, a], [, b]) => a.hour - b.hour).slice(0, excess)
    let calls = 0
    for (const [key, row] of oldest) {
      this.#counts.delete(key)
      calls += row.calls
    }
    this.#logger.warn({ rows: excess, calls }, 'the store keeps failing: dropped the oldest usage counts')
  }

  #restoreUses(failed: Map<string, PrincipalUseRecord>): void {
    for (const [key, use] of failed) {
      const current = this.#uses.get(key)
      if (!current) this.#uses.set(key, use)
      else current.firstAt = Math.min(current.firstAt, use.firstAt)
    }
  }
}

/** The keys of one principal's entries: of its last use, and of its counts by resource and action. */
interface PrincipalKeys {
  use: string
  calls: Map<string, Map<string, { hour: number; key: string }>>
}

/** The key of the count of `resource`#`action` in `hour`, made the first time it is asked for. */
function countKey(keys: PrincipalKeys, resource: string, action: string, hour: number): string {
  let byAction = keys.calls.get(resource)
  if (byAction === undefined) {
    byAction = new Map()
    keys.calls.set(resource, byAction)
  }
  let made = byAction.get(action)
  if (made?.hour !== hour) {
    made = { hour, key: `${keys.use}\n${resource}\n${action}\n${hour}` }
    byAction.set(action, made)
  }
  return made.key
}
