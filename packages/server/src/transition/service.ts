import type { Plan, Review, Status, UsageDay, UsagePerDay } from '../admin/wire.ts'
import type { Clock } from '../clock.ts'
import { planEntries } from './plan.ts'
import { reviewEntry } from './review.ts'
import type { TransitionSettings } from './settings.ts'
import type { SnapshotReader } from './snapshot.ts'
import { statusEntry } from './status.ts'
import { DAY, isoAt, startOfDay, UNUSED_DAYS } from './time.ts'
import { byPrincipal, rowsOf } from './usage-summary.ts'

export interface TransitionReportsOptions {
  read: SnapshotReader
  settings: Pick<TransitionSettings, 'current'>
  clock: Clock
}

/**
 * The reports of docs/TRANSITION.md, in its wire format: review, plan, status and calls per day.
 * Each reads one snapshot of the store; nothing here knows HTTP.
 */
export class TransitionReports {
  readonly #read: SnapshotReader
  readonly #settings: Pick<TransitionSettings, 'current'>
  readonly #clock: Clock

  constructor({ read, settings, clock }: TransitionReportsOptions) {
    this.#read = read
    this.#settings = settings
    this.#clock = clock
  }

  /** Every API key: who, last use, calls in the last 1, 7 and 30 days, what it touched, category. */
  async review(): Promise<Review> {
    const snapshot = await this.#read({ usageSince: this.#monthAgo() })
    const rows = byPrincipal(snapshot.usage)
    return {
      generated_at: isoAt(snapshot.now),
      api_keys: snapshot.keys.map((key) => reviewEntry(key, rowsOf(rows, 'api_key', key.id), snapshot)),
    }
  }

  /** The least-privilege client for each key in use, or revoke; revoked keys left out. */
  async plan(): Promise<Plan> {
    const snapshot = await this.#read({ usageSince: this.#monthAgo() })
    const rows = byPrincipal(snapshot.usage)
    const logins = snapshot.clients.map((client) => client.login)
    return {
      generated_at: isoAt(snapshot.now),
      keys: planEntries(snapshot, (key) => rowsOf(rows, 'api_key', key.id), logins),
    }
  }

  /** Per key: in_use → migrating → ready_to_revoke → revoked. */
  async status(): Promise<Status> {
    const snapshot = await this.#read({ usageSince: null })
    const quietPeriodSeconds = this.#settings.current.quietPeriodSeconds
    return {
      generated_at: isoAt(snapshot.now),
      quiet_period_seconds: quietPeriodSeconds,
      keys: snapshot.keys.map((key) => statusEntry(key, snapshot, quietPeriodSeconds * 1000)),
    }
  }

  /** Calls per UTC day of the last 30 days (today included, oldest first), by API key and by OAuth. */
  async usagePerDay(): Promise<UsagePerDay> {
    const first = startOfDay(this.#clock.now()) - (UNUSED_DAYS - 1) * DAY
    const snapshot = await this.#read({ usageSince: first })
    const days: UsageDay[] = []
    for (let day = 0; day < UNUSED_DAYS; day++) {
      const date = isoAt(first + day * DAY).slice(0, 10)
      days.push({ day: date, api_key_calls: 0, oauth_calls: 0 })
    }
    for (const row of snapshot.usage) {
      const entry = days[Math.floor((startOfDay(row.start) - first) / DAY)]
      if (!entry) continue
      if (row.principalKind === 'api_key') entry.api_key_calls += row.calls
      else entry.oauth_calls += row.calls
    }
    return { days }
  }

  #monthAgo(): number {
    return this.#clock.now() - UNUSED_DAYS * DAY
  }
}
