/**
 * The part of the storage contract that the transition needs (docs/TRANSITION.md): the usage
 * ledger, first and last uses, the audit log, brownouts and settings. `Store` extends it.
 * Times are epoch milliseconds.
 */

/** Who called: an API key (its id) or an OAuth client (its 32-hex client_id). */
export type PrincipalKind = 'api_key' | 'client'

/** Calls of one principal on one resource × action in one hour. */
export interface HourlyUsage {
  principalKind: PrincipalKind
  principalId: string
  resource: string
  action: string
  /** Start of the hour (UTC), a multiple of 3 600 000. */
  hour: number
  calls: number
}

/** A count as read back: of one hour, or of one day once hours are rolled up. */
export interface UsageRecord {
  principalKind: PrincipalKind
  principalId: string
  resource: string
  action: string
  period: 'hour' | 'day'
  /** Start of the hour or of the day (UTC). */
  start: number
  calls: number
}

/** The first and the last call of a principal, and where the last one came from. */
export interface PrincipalUseRecord {
  principalKind: PrincipalKind
  principalId: string
  firstAt: number
  lastAt: number
  lastRemoteAddress: string | null
  lastUserAgent: string | null
}

/** A window in which API-key calls are refused: every key's (`apiKeyId` null) or one key's. */
export interface BrownoutRecord {
  id: string
  startsAt: number
  /** Exclusive. */
  endsAt: number
  apiKeyId: string | null
}

export interface AuditEntryInput {
  at: number
  /** The admin user who did it. */
  actor: string
  /** `api_key.revoke` */
  action: string
  subjectId: string
  subjectName: string | null
  /** Done although the subject was not ready for it. */
  forced: boolean
}

export interface AuditEntryRecord extends AuditEntryInput {
  /** Increasing in the order the entries were written, across nodes. */
  seq: number
}

export interface TransitionStore {
  /** The stored value of `key`, or undefined. */
  getSetting(key: string): Promise<string | undefined>
  /** Stores `value` under `key`, replacing what was there. */
  setSetting(key: string, value: string): Promise<void>

  /** Adds the counts to those stored, in one transaction; counts of the same row are summed. */
  addUsage(counts: readonly HourlyUsage[]): Promise<void>
  /**
   * Merges uses into those stored, in one transaction: `firstAt` keeps the earliest, `lastAt` and
   * the last address and user agent come from the latest.
   */
  upsertPrincipalUse(uses: readonly PrincipalUseRecord[]): Promise<void>
  /**
   * Counts whose hour or day ends after `since` (hours and days together), optionally of one
   * principal only; in no particular order.
   */
  listUsage(
    since: number,
    principal?: { kind: PrincipalKind; id: string } | undefined,
  ): Promise<UsageRecord[]>
  /**
   * Moves the hours that start before `hoursBefore` into their days, and deletes the days that start
   * before `daysBefore`. Safe when several nodes do it at once: no hour is counted twice.
   */
  rollUpUsage(options: { hoursBefore: number; daysBefore: number }): Promise<void>
  listPrincipalUse(): Promise<PrincipalUseRecord[]>

  /** Appends entries in the order given. */
  insertAuditEntries(entries: readonly AuditEntryInput[]): Promise<void>
  /** Every entry, oldest first. */
  listAuditEntries(): Promise<AuditEntryRecord[]>

  /** Replaces every brownout with `brownouts`, in one transaction. */
  replaceBrownouts(brownouts: readonly BrownoutRecord[]): Promise<void>
  /** Every brownout, by start time. */
  listBrownouts(): Promise<BrownoutRecord[]>
}
