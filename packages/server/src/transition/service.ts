import type { Clock } from '../contract/clock.ts'
import type { DayUsage, PlanReport, ReviewReport, StatusReport } from '../contract/reports.ts'
import { planEntries } from './plan.ts'
import { reviewEntry } from './review.ts'
import type { TransitionSettings } from './settings.ts'
import type { SnapshotReader } from './snapshot.ts'
import { keyStatus } from './status.ts'
import { DAY, startOfDay, UNUSED_DAYS } from './time.ts'
import { byPrincipal, rowsOf } from './usage-summary.ts'

export interface TransitionReportsOptions {
  read: SnapshotReader
  settings: Pick<TransitionSettings, 'current'>
  clock: Clock
}

/**
 * The reports of docs/TRANSITION.md: review, plan, status and calls per day.
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
  async review(): Promise<ReviewReport> {
    const snapshot = await this.#read({ usageSince: this.#monthAgo() })
    const rows = byPrincipal(snapshot.usage)
    return {
      generatedAt: snapshot.now,
      keys: snapshot.keys.map((key) => reviewEntry(key, rowsOf(rows, 'api_key', key.id), snapshot)),
    }
  }

  /** The least-privilege client for each key in use (an existing one when it fits), or revoke; revoked keys left out. */
  async plan(): Promise<PlanReport> {
    const snapshot = await this.#read({ usageSince: this.#monthAgo() })
    const rows = byPrincipal(snapshot.usage)
    return {
      generatedAt: snapshot.now,
      keys: planEntries(snapshot, (key) => rowsOf(rows, 'api_key', key.id)),
    }
  }

  /** Per key: in_use → migrating → ready_to_revoke → revoked. */
  async status(): Promise<StatusReport> {
    const snapshot = await this.#read({ usageSince: null })
    const quietPeriodSeconds = this.#settings.current.quietPeriodSeconds
    return {
      generatedAt: snapshot.now,
      quietPeriodSeconds,
      keys: snapshot.keys.map((key) => keyStatus(key, snapshot, quietPeriodSeconds * 1000)),
    }
  }

  /** Calls per UTC day of the last 30 days (today included, oldest first), by API key and by OAuth. */
  async usagePerDay(): Promise<DayUsage[]> {
    const first = startOfDay(this.#clock.now()) - (UNUSED_DAYS - 1) * DAY
    const snapshot = await this.#read({ usageSince: first })
    const days: DayUsage[] = []
    for (let day = 0; day < UNUSED_DAYS; day++) {
      days.push({ day: first + day * DAY, apiKeyCalls: 0, oauthCalls: 0 })
    }
    for (const row of snapshot.usage) {
      const entry = days[Math.floor((startOfDay(row.start) - first) / DAY)]
      if (!entry) continue
      if (row.principalKind === 'api_key') entry.apiKeyCalls += row.calls
      else entry.oauthCalls += row.calls
    }
    return days
  }

  #monthAgo(): number {
    return this.#clock.now() - UNUSED_DAYS * DAY
  }
}
