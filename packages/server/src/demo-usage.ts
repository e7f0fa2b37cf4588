/**
 * Usage-ledger history for the demo transition (demo-transition.ts): hourly counts and first and
 * last uses of one principal, made up from a seeded random source, never the wall clock.
 */
import { Random } from './api/demo/random.ts'
import type { HourlyUsage, PrincipalKind, PrincipalUseRecord } from './contract/records.ts'
import { DAY, HOUR, startOfHour } from './transition/time.ts'

/** How a principal calls the core API: which actions at which UTC hours, from when until when. */
export interface DemoCalls {
  /** `[resource, action, fewest, most]` calls in each hour it runs; the first is at least 1. */
  actions: ReadonlyArray<readonly [string, string, number, number]>
  /** The UTC hours of the day it runs. */
  hours: readonly number[]
  /** Days before now it began calling; at most the history's length. */
  fromDaysAgo: number
  /** Days before now it stopped calling; 0: it still calls. */
  untilDaysAgo: number
  remoteAddress: string
  userAgent: string
}

/** The ledger's rows of one principal: what `UsageLedger` would have written for these calls. */
export interface DemoHistory {
  counts: HourlyUsage[]
  use: PrincipalUseRecord | undefined
}

/**
 * The counts of every complete hour from `historyStart` (or `fromDaysAgo`) to `untilDaysAgo` in
 * which the principal runs, with its first and last call a few minutes into its first and last hour.
 */
export function demoHistory(
  principal: { kind: PrincipalKind; id: string },
  calls: DemoCalls,
  { now, historyStart, seed }: { now: number; historyStart: number; seed: number },
): DemoHistory {
  const random = new Random(seed)
  const first = Math.max(historyStart, startOfHour(now - calls.fromDaysAgo * DAY))
  const end = Math.min(startOfHour(now), now - calls.untilDaysAgo * DAY)
  const counts: HourlyUsage[] = []
  for (let hour = first; hour + HOUR <= end; hour += HOUR) {
    if (!calls.hours.includes(new Date(hour).getUTCHours())) continue
    calls.actions.forEach(([resource, action, fewest, most], index) => {
      const n = random.int(index === 0 ? Math.max(1, fewest) : fewest, most)
      if (n > 0)
        counts.push({
          principalKind: principal.kind,
          principalId: principal.id,
          resource,
          action,
          hour,
          calls: n,
        })
    })
  }
  const firstHour = counts[0]?.hour
  const lastHour = counts.at(-1)?.hour
  if (firstHour === undefined || lastHour === undefined) return { counts, use: undefined }
  const minute = 60_000
  return {
    counts,
    use: {
      principalKind: principal.kind,
      principalId: principal.id,
      firstAt: firstHour + random.int(1, 20) * minute,
      lastAt: lastHour + random.int(40, 59) * minute,
      lastRemoteAddress: calls.remoteAddress,
      lastUserAgent: calls.userAgent,
    },
  }
}
