/**
 * The part of the storage contract that the transition needs (docs/TRANSITION.md): the usage
 * ledger, first and last uses, the audit log, brownouts and settings. `Store` extends it.
 * Times are epoch milliseconds.
 */
import type {
  AuditEntryInput,
  AuditEntryRecord,
  BrownoutRecord,
  HourlyUsage,
  PrincipalKind,
  PrincipalUseRecord,
  UsageRecord,
} from '../contract/records.ts'

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
