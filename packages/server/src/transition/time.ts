/** Units and windows of the transition, in epoch milliseconds (UTC). */
export const HOUR = 3_600_000
export const DAY = 86_400_000

/** A key with no call for this long is unused: the review says so, the plan revokes it. */
export const UNUSED_DAYS = 30

export function startOfHour(at: number): number {
  return at - (at % HOUR)
}

export function startOfDay(at: number): number {
  return at - (at % DAY)
}

/** ISO 8601 for the wire; null (and a time that never comes, Infinity) is null. */
export function iso(at: number | null): string | null {
  return at === null || !Number.isFinite(at) ? null : new Date(at).toISOString()
}

/** ISO 8601 for the wire of a time that is always there: a NOT NULL column, the clock's now. */
export function isoAt(at: number): string {
  return new Date(at).toISOString()
}
