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
