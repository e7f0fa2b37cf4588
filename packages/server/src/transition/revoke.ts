import type { ApiKeyService } from '../api-keys/service.ts'
import type { Clock } from '../contract/clock.ts'
import { NotFoundError } from '../contract/errors.ts'
import type { ApiKeyRecord } from '../contract/records.ts'
import type { KeyRevoke, RevokeReport } from '../contract/reports.ts'
import type { AuditLog } from './audit.ts'
import type { TransitionSettings } from './settings.ts'
import type { SnapshotReader, TransitionSnapshot } from './snapshot.ts'
import { keyStatus } from './status.ts'
import { DAY } from './time.ts'
import { actionsSince, byPrincipal, callsSince, rowsOf } from './usage-summary.ts'

/** Which keys: the ones named, or every key that is ready to revoke. */
export type RevokeSelection = { apiKeyIds: string[] } | { allReady: true }

export interface RevokeOptions {
  dryRun: boolean
  /** Revoke keys that are not ready_to_revoke too. */
  force: boolean
  /** The admin user, for the audit log. */
  actor: string
}

export interface TransitionRevokerOptions {
  read: SnapshotReader
  settings: Pick<TransitionSettings, 'current'>
  apiKeys: Pick<ApiKeyService, 'get' | 'revoke'>
  audit: Pick<AuditLog, 'record'>
  clock: Clock
}

/**
 * The safe revoke: shows what the last 7 days of calls would have met, refuses a key that is not
 * ready unless forced, and records every revoke in the audit log.
 */
export class TransitionRevoker {
  readonly #options: TransitionRevokerOptions

  constructor(options: TransitionRevokerOptions) {
    this.#options = options
  }

  /** Throws NotFoundError, before revoking anything, when a named key does not exist. */
  async revoke(selection: RevokeSelection, options: RevokeOptions): Promise<RevokeReport> {
    const { read, clock } = this.#options
    const snapshot = await read({ usageSince: clock.now() - 7 * DAY })
    const rows = byPrincipal(snapshot.usage)
    const quietMs = this.#options.settings.current.quietPeriodSeconds * 1000
    const keys = this.#select(selection, snapshot, quietMs)
    const results: KeyRevoke[] = []
    for (const key of keys) {
      const { state, reason } = keyStatus(key, snapshot, quietMs)
      const keyRows = rowsOf(rows, 'api_key', key.id)
      const since = snapshot.now - 7 * DAY
      const result: KeyRevoke = {
        key,
        state,
        revoked: false,
        refused: null,
        calls7d: callsSince(keyRows, since),
        usage7d: actionsSince(keyRows, since),
      }
      if (state === 'revoked') result.refused = `revoked: already ${reason}`
      else if (state !== 'ready_to_revoke' && !options.force) result.refused = `${state}: ${reason}`
      else if (!options.dryRun) {
        await this.#revokeAudited(key, options.actor, state !== 'ready_to_revoke')
        result.revoked = true
      }
      results.push(result)
    }
    return { dryRun: options.dryRun, results }
  }

  /**
   * `POST /admin/v1/api-keys/:id/revoke`: revokes whatever the key's state, and records in the
   * audit log whether it was forced (the key was not ready). A revoked key stays as it is.
   */
  async revokeOne(id: string, actor: string): Promise<ApiKeyRecord> {
    const key = await this.#options.apiKeys.get(id)
    if (key.revokedAt !== null) return key
    const snapshot = await this.#options.read({ usageSince: null })
    const quietMs = this.#options.settings.current.quietPeriodSeconds * 1000
    const { state } = keyStatus(key, snapshot, quietMs)
    return this.#revokeAudited(key, actor, state !== 'ready_to_revoke')
  }

  async #revokeAudited(key: ApiKeyRecord, actor: string, forced: boolean): Promise<ApiKeyRecord> {
    const revoked = await this.#options.apiKeys.revoke(key.id)
    await this.#options.audit.record([
      { actor, action: 'api_key.revoke', subjectId: key.id, subjectName: key.name, forced },
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
