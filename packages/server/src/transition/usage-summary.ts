import type { PrincipalKind, UsageRecord } from '../contract/records.ts'
import type { ActionCount } from '../contract/reports.ts'
import { principalKey } from './snapshot.ts'
import { DAY, HOUR } from './time.ts'

/** The rows of each principal, by `principalKey(kind, id)`. */
export function byPrincipal(rows: readonly UsageRecord[]): Map<string, UsageRecord[]> {
  const grouped = new Map<string, UsageRecord[]>()
  for (const row of rows) {
    const key = principalKey(row.principalKind, row.principalId)
    const list = grouped.get(key)
    if (list) list.push(row)
    else grouped.set(key, [row])
  }
  return grouped
}

export function rowsOf(grouped: Map<string, UsageRecord[]>, kind: PrincipalKind, id: string): UsageRecord[] {
  return grouped.get(principalKey(kind, id)) ?? []
}

/**
 * Whether a row counts in a window that starts at `since`: its hour (or day) ends after it. A call
 * of a partly covered hour counts, so that "calls of the last 7 days" never misses one.
 */
export function endsAfter(row: UsageRecord, since: number): boolean {
  return row.start + (row.period === 'day' ? DAY : HOUR) > since
}

export function callsSince(rows: readonly UsageRecord[], since: number): number {
  let calls = 0
  for (const row of rows) if (endsAfter(row, since)) calls += row.calls
  return calls
}

/** Calls per resource × action since `since`: most calls first, then by name. */
export function actionsSince(rows: readonly UsageRecord[], since: number): ActionCount[] {
  const counts = new Map<string, ActionCount>()
  for (const row of rows) {
    if (!endsAfter(row, since)) continue
    const key = `${row.resource}#${row.action}`
    const seen = counts.get(key)
    if (seen) seen.calls += row.calls
    else counts.set(key, { resource: row.resource, action: row.action, calls: row.calls })
  }
  return [...counts.values()].sort(
    (a, b) => b.calls - a.calls || a.resource.localeCompare(b.resource) || a.action.localeCompare(b.action),
  )
}
