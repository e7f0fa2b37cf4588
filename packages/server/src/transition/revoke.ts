import type { ApiKeyService } from '../api-keys/service.ts'
import type { Clock } from '../contract/clock.ts'
import { KeyNotReadyError, NotFoundError } from '../contract/errors.ts'
import type { ApiKeyRecord } from '../contract/records.ts'
import type { KeyRevoke, RevokeReport } from '../contract/reports.ts'
import { isoAt } from '../contract/views.ts'
import type { AuditVia } from '../contract/wire.ts'
import type { AuditLog } from './audit.ts'
import type { TransitionSettings } from './settings.ts'
import type { SnapshotReader, TransitionSnapshot } from './snapshot.ts'
import { keyStatus } from './status.ts'
import { byPrincipal, rowsOf } from './usage-summary.ts'
import { callsThatWouldFail, WOULD_FAIL_WINDOW } from './would-fail.ts'

/** Which keys: the ones named, or every key that is ready to revoke. */
export type RevokeSelection = { apiKeyIds: string[] } | { allReady: true }

export interface RevokeOptions {
  dryRun: boolean
  /** Revoke keys that are not ready_to_revoke too. */
  force: boolean
  /** The admin user, for the audit log. */
  actor: string
  /** The endpoint, for the audit log. */
  via: AuditVia
}

export interface TransitionRevokerOptions {
  read: SnapshotReader
  settings: Pick<TransitionSettings, 'current'>
  apiKeys: Pick<ApiKeyService, 'get' | 'revoke'>
  audit: Pick<AuditLog, 'record'>
  clock: Clock
}

/**
 * The safe revoke, one rule for both endpoints: shows the calls a revoke would fail from now on
 * (would-fail.ts), refuses a key that is not ready unless forced, and records every revoke in the
 * audit log with the endpoint it came through.
 */
export class TransitionRevoker {
  readonly #options: TransitionRevokerOptions

  constructor(options: TransitionRevokerOptions) {
    this.#options = options
  }

  /** Throws NotFoundError, before revoking anything, when a named key does not exist. */
  async revoke(selection: RevokeSelection, options: RevokeOptions): Promise<RevokeReport> {
    const { read, clock } = this.#options
    const snapshot = await read({ usageSince: clock.now() - WOULD_FAIL_WINDOW })
    const rows = byPrincipal(snapshot.usage)
    const quietMs = this.#options.settings.current.quietPeriodSeconds * 1000
    const keys = this.#select(selection, snapshot, quietMs)
    const results: KeyRevoke[] = []
    for (const key of keys) {
      const { state, reason } = keyStatus(key, snapshot, quietMs)
      const wouldFail = callsThatWouldFail(key, rowsOf(rows, 'api_key', key.id), snapshot)
      const result: KeyRevoke = { key, state, reason, revoked: false, refused: null, ...wouldFail }
      if (state === 'revoked') result.refused = `revoked: already ${reason}`
      else if (state !== 'ready_to_revoke' && !options.force) result.refused = `${state}: ${reason}`
      else if (!options.dryRun) {
        result.key = await this.#revokeAudited(key, options, state !== 'ready_to_revoke')
        result.revoked = true
      }
      results.push(result)
    }
    return { dryRun: options.dryRun, results }
  }

  /**
   * `POST /admin/v1/api-keys/:id/revoke`: the same rule for one key. Throws NotFoundError for an
   * unknown key, and KeyNotReadyError (nothing revoked) for a key that is not ready_to_revoke unless
   * forced. A key already revoked stays as it is.
   */
  async revokeOne(id: string, options: Omit<RevokeOptions, 'dryRun'>): Promise<ApiKeyRecord> {
    const key = await this.#options.apiKeys.get(id)
    if (key.revokedAt !== null) return key
    const report = await this.revoke({ apiKeyIds: [key.id] }, { ...options, dryRun: false })
    const [result] = report.results
    if (!result) throw new NotFoundError(`no API key with id ${JSON.stringify(id)}`)
    if (result.revoked || result.state === 'revoked') return result.key
    throw new KeyNotReadyError(notReadyMessage(result), result)
  }

  async #revokeAudited(
    key: ApiKeyRecord,
    { actor, via }: Pick<RevokeOptions, 'actor' | 'via'>,
    forced: boolean,
  ): Promise<ApiKeyRecord> {
    const revoked = await this.#options.apiKeys.revoke(key.id)
    await this.#options.audit.record([
      { actor, action: 'api_key.revoke', subjectId: key.id, subjectName: key.name, forced, via },
    ])
    return revoked
  }

  #select(selection: RevokeSelection, snapshot: TransitionSnapshot, quietMs: number): ApiKeyRecord[] {
    if ('allReady' in selection) {
      return snapshot.keys.filter((key) => keyStatus(key, snapshot, quietMs).state === 'ready_to_revoke')
    }
    const byId = new Map(snapshot.keys.map((key) => [key.id, key]))
    return [...new Set(selection.apiKeyIds)].map((id) => {
      const key = byId.get(id)
      if (!key) throw new NotFoundError(`no API key with id ${JSON.stringify(id)}`)
      return key
    })
  }
}

/** What the 409 says: the state and why, the calls that would fail, and what to do. */
function notReadyMessage(result: KeyRevoke): string {
  const since =
    result.countedFrom === 'client_first_call'
      ? `since the replacement client's first call at ${isoAt(result.countedSince)}`
      : 'in the last 7 days'
  const usage = result.usage7d.map((u) => `${u.resource}#${u.action} ${u.calls}`).join(', ')
  const plural = result.calls7d === 1 ? '' : 's'
  return (
    `API key ${JSON.stringify(result.key.name)} is not ready to revoke: ${result.state} (${result.reason}). ` +
    `${result.calls7d} call${plural} with it ${since}${usage ? ` (${usage})` : ''}; ` +
    'calls like these fail once it is revoked. Send {"force": true} to revoke it anyway.'
  )
}
