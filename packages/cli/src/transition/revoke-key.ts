/**
 * One revoke rule for one key, whichever command revokes it (`keyshift admin api-keys revoke`,
 * `keyshift transition revoke`): a key that is not ready_to_revoke is refused unless forced, and
 * the refusal shows its state, the reason and its calls of the last 7 days. Asked first with a dry
 * run of `POST /admin/v1/transition/revoke`, then done with `POST /admin/v1/api-keys/:id/revoke`
 * (`{ "force": true }` when forced), which servers that check readiness themselves refuse with 409.
 */
import type { ApiKeyView, RevokeResult } from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'
import type { TransitionApi } from './api.ts'
import { countedCalls } from './render.ts'

const HINT =
  'see `keyshift transition status`; --force revokes anyway, and the calls still made with the key then fail'

/** `calls in the last 7 days: 20 (invoices#index 20)` */
export function recentCalls(result: RevokeResult): string {
  const usage = result.usage_7d.map((u) => `${u.resource}#${u.action} ${u.calls_7d}`).join(', ')
  return `${countedCalls(result)}: ${result.calls_7d}${usage === '' ? '' : ` (${usage})`}`
}

/** What the dry run says of the key; undefined when the server cannot say (no transition API). */
async function readiness(api: TransitionApi, id: string): Promise<RevokeResult | undefined> {
  try {
    const answer = await api.revoke({ api_key_ids: [id], dry_run: true })
    return answer.results.find((result) => result.api_key_id === id)
  } catch (error) {
    // An older instance without the transition, or no such key: the revoke itself will say.
    if (error instanceof CliError && error.code === 'KS_ADMIN_NOT_FOUND') return undefined
    throw error
  }
}

function refused(name: string, details: string[]): CliError {
  return new CliError(
    'KS_TRANSITION_REFUSED',
    `API key ${name} is not ready_to_revoke, so it was left as it is`,
    {
      details,
      hint: HINT,
    },
  )
}

export interface CheckedRevoke {
  key: ApiKeyView
  /** The dry run's answer for the key, when the server gave one. */
  check: RevokeResult | undefined
  /** Revoked although not ready_to_revoke. */
  forced: boolean
}

/**
 * Revokes the key `id` if it is ready_to_revoke, or if `force`.
 *
 * @throws {CliError} KS_TRANSITION_REFUSED (nothing revoked) with the state, reason and recent
 *   calls; the admin API's codes otherwise.
 */
export async function revokeKeyChecked(
  api: TransitionApi,
  id: string,
  force: boolean,
): Promise<CheckedRevoke> {
  const check = await readiness(api, id)
  const notReady = check !== undefined && check.refused !== null
  if (notReady && !force) {
    throw refused(`${check.api_key_name} (${check.api_key_id})`, [`${check.refused}`, recentCalls(check)])
  }
  try {
    const key = await api.revokeApiKey(id, force)
    return { key, check, forced: notReady }
  } catch (error) {
    // A server that checks readiness itself answers 409 with the state, reason and calls.
    if (error instanceof CliError && error.code === 'KS_ADMIN_CONFLICT') {
      throw refused(id, [error.message, ...error.details])
    }
    throw error
  }
}
