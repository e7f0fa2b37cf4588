/**
 * The statements of the transition tables (usage ledger, first/last uses, audit log, brownouts),
 * for SqlStore. Portable SQL: `INSERT … ON CONFLICT … DO UPDATE` and `excluded.` work on SQLite and
 * PostgreSQL alike; CASE instead of MIN/MAX of two values (SQLite) or LEAST/GREATEST (PostgreSQL).
 */

import type * as records from '../contract/records.ts'
import type { SqlDriver, SqlSession } from './sql-driver.ts'
import { nullableString, type Row } from './sql-rows.ts'

const HOUR = 3_600_000
const DAY = 86_400_000
// Rows per multi-row INSERT: far below the parameter limits of both databases.
const CHUNK = 200

type Statement = { sql: string; params?: unknown[] }

export async function addUsage(db: SqlSession, counts: readonly records.HourlyUsage[]): Promise<void> {
  if (counts.length === 0) return
  // One statement may not touch a row twice (PostgreSQL refuses it): sum repeats first.
  const merged = new Map<string, records.HourlyUsage>()
  for (const c of counts) {
    const key = [c.principalKind, c.principalId, c.resource, c.action, c.hour].join('\n')
    const seen = merged.get(key)
    merged.set(key, seen ? { ...seen, calls: seen.calls + c.calls } : { ...c })
  }
  const rows = [...merged.values()]
  await db.batch(
    chunks(rows).map((chunk) => ({
      sql: `INSERT INTO usage_hourly (principal_kind, principal_id, resource, action, hour, calls)
        VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT (principal_kind, principal_id, resource, action, hour)
        DO UPDATE SET calls = usage_hourly.calls + excluded.calls`,
      params: chunk.flatMap((c) => [c.principalKind, c.principalId, c.resource, c.action, c.hour, c.calls]),
    })),
  )
}

export async function upsertPrincipalUse(
  db: SqlSession,
  uses: readonly records.PrincipalUseRecord[],
): Promise<void> {
  if (uses.length === 0) return
  const merged = new Map<string, records.PrincipalUseRecord>()
  for (const use of uses) {
    const key = `${use.principalKind}\n${use.principalId}`
    const seen = merged.get(key)
    if (!seen) merged.set(key, { ...use })
    else {
      const latest = use.lastAt >= seen.lastAt ? use : seen
      merged.set(key, { ...latest, firstAt: Math.min(seen.firstAt, use.firstAt) })
    }
  }
  // In SET, `principal_use.` is the stored row before the update, on both databases.
  const later = 'excluded.last_at >= principal_use.last_at'
  await db.batch(
    chunks([...merged.values()]).map((chunk) => ({
      sql: `INSERT INTO principal_use
          (principal_kind, principal_id, first_at, last_at, last_remote_address, last_user_agent)
        VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT (principal_kind, principal_id) DO UPDATE SET
          first_at = CASE WHEN excluded.first_at < principal_use.first_at
            THEN excluded.first_at ELSE principal_use.first_at END,
          last_at = CASE WHEN ${later} THEN excluded.last_at ELSE principal_use.last_at END,
          last_remote_address = CASE WHEN ${later}
            THEN excluded.last_remote_address ELSE principal_use.last_remote_address END,
          last_user_agent = CASE WHEN ${later}
            THEN excluded.last_user_agent ELSE principal_use.last_user_agent END`,
      params: chunk.flatMap((u) => [
        u.principalKind,
        u.principalId,
        u.firstAt,
        u.lastAt,
        u.lastRemoteAddress,
        u.lastUserAgent,
      ]),
    })),
  )
}

export async function listUsage(
  db: SqlSession,
  since: number,
  principal?: { kind: records.PrincipalKind; id: string },
): Promise<records.UsageRecord[]> {
  const who = principal ? ' AND principal_kind = ? AND principal_id = ?' : ''
  const whoParams = principal ? [principal.kind, principal.id] : []
  const columns = 'principal_kind, principal_id, resource, action'
  const rows = await db.all(
    `SELECT ${columns}, 'hour' AS period, hour AS start, calls FROM usage_hourly WHERE hour > ?${who}
     UNION ALL
     SELECT ${columns}, 'day' AS period, day AS start, calls FROM usage_daily WHERE day > ?${who}`,
    [since - HOUR, ...whoParams, since - DAY, ...whoParams],
  )
  return rows.map((r) => ({
    principalKind: String(r.principal_kind) as records.PrincipalKind,
    principalId: String(r.principal_id),
    resource: String(r.resource),
    action: String(r.action),
    period: r.period === 'day' ? 'day' : 'hour',
    start: Number(r.start),
    calls: Number(r.calls),
  }))
}

/**
 * Runs under the driver's maintenance lock (the migration lock): two nodes rolling up at once
 * would otherwise both read the same hours before either deletes them, and count them twice.
 */
export function rollUpUsage(
  db: SqlDriver,
  { hoursBefore, daysBefore }: { hoursBefore: number; daysBefore: number },
): Promise<void> {
  const columns = 'principal_kind, principal_id, resource, action'
  const dayOf = `hour - (hour % ${DAY})`
  return db.withMigrationLock((locked) =>
    locked.batch([
      {
        // WHERE before ON CONFLICT: SQLite's parser needs it to tell the upsert from a join.
        sql: `INSERT INTO usage_daily (${columns}, day, calls)
          SELECT ${columns}, ${dayOf}, SUM(calls) FROM usage_hourly WHERE hour < ?
          GROUP BY ${columns}, ${dayOf}
          ON CONFLICT (${columns}, day) DO UPDATE SET calls = usage_daily.calls + excluded.calls`,
        params: [hoursBefore],
      },
      { sql: 'DELETE FROM usage_hourly WHERE hour < ?', params: [hoursBefore] },
      { sql: 'DELETE FROM usage_daily WHERE day < ?', params: [daysBefore] },
    ]),
  )
}

export async function listPrincipalUse(db: SqlSession): Promise<records.PrincipalUseRecord[]> {
  const rows = await db.all('SELECT * FROM principal_use ORDER BY principal_kind, principal_id')
  return rows.map((r) => ({
    principalKind: String(r.principal_kind) as records.PrincipalKind,
    principalId: String(r.principal_id),
    firstAt: Number(r.first_at),
    lastAt: Number(r.last_at),
    lastRemoteAddress: nullableString(r.last_remote_address),
    lastUserAgent: nullableString(r.last_user_agent),
  }))
}

/** Entries numbered from `firstSeq` on, in the order given. */
export async function insertAuditEntries(
  db: SqlSession,
  entries: readonly records.AuditEntryInput[],
  firstSeq: number,
): Promise<void> {
  await db.batch(
    entries.map((e, i) => ({
      sql: `INSERT INTO audit_log (seq, at, actor, action, subject_id, subject_name, forced, via)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [firstSeq + i, e.at, e.actor, e.action, e.subjectId, e.subjectName, e.forced ? 1 : 0, e.via],
    })),
  )
}

export async function listAuditEntries(db: SqlSession): Promise<records.AuditEntryRecord[]> {
  const rows = await db.all('SELECT * FROM audit_log ORDER BY seq')
  return rows.map((r: Row) => ({
    seq: Number(r.seq),
    at: Number(r.at),
    actor: String(r.actor),
    action: String(r.action),
    subjectId: String(r.subject_id),
    subjectName: nullableString(r.subject_name),
    forced: Number(r.forced) === 1,
    via: auditVia(r.via),
  }))
}

/** A stored `via`; NULL (entries from before migration 7) and anything unknown read as null. */
function auditVia(value: unknown): records.AuditEntryRecord['via'] {
  return value === 'transition' || value === 'api_keys' ? value : null
}

export async function replaceBrownouts(
  db: SqlSession,
  brownouts: readonly records.BrownoutRecord[],
): Promise<void> {
  const statements: Statement[] = [{ sql: 'DELETE FROM brownouts' }]
  for (const b of brownouts) {
    statements.push({
      sql: 'INSERT INTO brownouts (id, starts_at, ends_at, api_key_id) VALUES (?, ?, ?, ?)',
      params: [b.id, b.startsAt, b.endsAt, b.apiKeyId],
    })
  }
  await db.batch(statements)
}

export async function listBrownouts(db: SqlSession): Promise<records.BrownoutRecord[]> {
  const rows = await db.all('SELECT * FROM brownouts ORDER BY starts_at, id')
  return rows.map((r) => ({
    id: String(r.id),
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    apiKeyId: nullableString(r.api_key_id),
  }))
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = []
  for (let start = 0; start < rows.length; start += CHUNK) out.push(rows.slice(start, start + CHUNK))
  return out
}
