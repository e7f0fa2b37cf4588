/**
 * `<state_dir>/usage.sqlite`: the counts the agent flushed, kept across restarts. SQLite through
 * better-sqlite3 in WAL mode; every flush is one transaction (all of a batch or none of it), so a
 * crash loses at most what was not flushed yet. Times are wall-clock ms (INTEGER); no secret is
 * ever written, an API key only as its fingerprint (first 12 hex digits of its SHA-256).
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { IntegrationAuth } from '../config/types.ts'
import { AgentError } from '../errors.ts'
import { KEY_CALLS_KEPT, type UsageBatch } from './batch.ts'
import {
  buildUsageReport,
  firstHourShown,
  type StoredHour,
  type StoredIntegration,
  type StoredKeyCall,
  type StoredKeyIntegration,
  type StoredUsage,
  type UsageReportOptions,
} from './build-report.ts'
import type { UsageReport } from './report.ts'
import { prepared, SCHEMA } from './store-sql.ts'

export const USAGE_FILE = 'usage.sqlite'
const SCHEMA_VERSION = 1

/** An integration as the running configuration has it. */
export interface IntegrationRecord {
  integration: string
  instance: string
  auth: IntegrationAuth
  client: string | null
  /** Of the configured API key (auth api_key); null keeps the one stored. */
  keyFingerprint: string | null
}

export interface UsageStore {
  /** Writes the integrations of a configuration just loaded, and detects flips (`flipped_at`). */
  recordIntegrations(records: readonly IntegrationRecord[], at: number): void
  /** Writes a batch and drops hourly counts that start before `cutoff`, in one transaction. */
  write(batch: UsageBatch, cutoff: number): void
  /** Hourly counts from `from` (ms) on, and the rest in full. */
  read(from: number): StoredUsage
  close(): void
}

function unavailable(path: string, error: unknown): AgentError {
  const reason = (error as { code?: unknown }).code ?? (error instanceof Error ? error.message : 'unknown')
  return new AgentError(
    'KS_AGENT_USAGE_UNAVAILABLE',
    `cannot use the usage file ${path} (${String(reason)})`,
    {
      cause: error,
    },
  )
}

function checkSchema(db: Database.Database, path: string): void {
  const meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()
  if (meta === undefined) return // a new file
  const row = db.prepare("SELECT value FROM meta WHERE name = 'schema'").get() as
    | { value: string }
    | undefined
  if (row !== undefined && Number(row.value) > SCHEMA_VERSION) {
    throw new AgentError(
      'KS_AGENT_USAGE_UNAVAILABLE',
      `the usage file ${path} was written by a newer keyshift (schema ${row.value}); upgrade keyshift or move the file away`,
    )
  }
}

/**
 * Opens (creating it, 0600 in a 0700 folder) the usage file of `stateDir` for the agent.
 *
 * @throws {AgentError} KS_AGENT_USAGE_UNAVAILABLE when the folder or the file cannot be used.
 */
export function openUsageStore(stateDir: string): UsageStore {
  const path = join(stateDir, USAGE_FILE)
  let db: Database.Database | undefined
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    closeSync(openSync(path, 'a', 0o600)) // WAL and shared-memory files take the file's mode
    db = new Database(path)
    db.pragma('busy_timeout = 2000')
    checkSchema(db, path) // before anything is written to it
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL') // WAL: a commit survives a process crash, not a power cut
    db.exec(SCHEMA)
    db.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION))
    return storeOn(db, path)
  } catch (error) {
    db?.close()
    throw error instanceof AgentError ? error : unavailable(path, error)
  }
}

/**
 * Opens the usage file of `stateDir` read-only, or returns undefined when there is none.
 *
 * @throws {AgentError} KS_AGENT_USAGE_UNAVAILABLE when it exists but cannot be read.
 */
export function openUsageStoreReadOnly(stateDir: string): UsageStore | undefined {
  const path = join(stateDir, USAGE_FILE)
  if (!existsSync(path)) return undefined
  let db: Database.Database | undefined
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 2000')
    checkSchema(db, path)
    return storeOn(db, path)
  } catch (error) {
    db?.close()
    throw error instanceof AgentError ? error : unavailable(path, error)
  }
}

function storeOn(db: Database.Database, path: string): UsageStore {
  const statements = prepared(db)
  const recordIntegrations = db.transaction(function recordAll(
    records: readonly IntegrationRecord[],
    at: number,
  ) {
    for (const record of records) {
      const old = statements.integration.get(record.integration) as StoredIntegration | undefined
      const flippedAt =
        record.auth === 'api_key' ? null : old?.auth === 'api_key' ? at : (old?.flipped_at ?? null)
      statements.upsertIntegration.run({
        ...record,
        keyFingerprint: record.keyFingerprint ?? old?.key_fingerprint ?? null,
        flippedAt,
      })
    }
  })
  const write = db.transaction(function writeBatch(batch: UsageBatch, cutoff: number) {
    for (const count of batch.hours) statements.addHour.run(count)
    for (const [integration, times] of batch.times) statements.addTimes.run({ integration, ...times })
    for (const [fingerprint, calls] of batch.keyCalls) {
      for (const call of calls) statements.addKeyCall.run(call)
      statements.pruneKeyCalls.run({ fingerprint, kept: KEY_CALLS_KEPT })
    }
    for (const use of batch.keyUses.values()) statements.addKeyUse.run(use)
    if (batch.firstAt !== undefined) statements.countingSince.run(String(batch.firstAt))
    statements.dropHours.run(cutoff)
  })
  return {
    recordIntegrations,
    write,
    read(from) {
      try {
        const since = statements.meta.get('counting_since') as { value: string } | undefined
        return {
          countingSince: since === undefined ? null : Number(since.value),
          integrations: statements.integrations.all() as StoredIntegration[],
          keyIntegrations: statements.keyIntegrations.all() as StoredKeyIntegration[],
          keyCalls: statements.keyCalls.all() as StoredKeyCall[],
          hours: statements.hours.all(from) as StoredHour[],
        }
      } catch (error) {
        throw unavailable(path, error)
      }
    },
    close() {
      db.close()
    },
  }
}

const NOTHING: StoredUsage = {
  countingSince: null,
  integrations: [],
  keyIntegrations: [],
  keyCalls: [],
  hours: [],
}

/**
 * The usage report of the agent whose state folder is `stateDir`, read from its usage file without
 * a running agent (a running agent's last few seconds, not flushed yet, are not in it). A folder
 * without a usage file gives an empty report (`counting_since` null).
 *
 * @throws {AgentError} KS_AGENT_USAGE_UNAVAILABLE when the file exists but cannot be read.
 * @example readUsageReport(config.stateDir, { retentionDays: config.usage.retentionDays })
 */
export function readUsageReport(stateDir: string, options: UsageReportOptions): UsageReport {
  const now = options.now ?? Date.now()
  const store = openUsageStoreReadOnly(stateDir)
  if (store === undefined) return buildUsageReport(NOTHING, undefined, { ...options, now })
  try {
    return buildUsageReport(
      store.read(firstHourShown(now, options.retentionDays, options.since)),
      undefined,
      {
        ...options,
        now,
      },
    )
  } finally {
    store.close()
  }
}
