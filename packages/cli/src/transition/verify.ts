/**
 * `keyshift transition verify` on a Keyshift instance: from its status, the keys still called after
 * their replacement client's first call (state migrating): integrations not yet moved, or moved
 * back. A key quiet for the quiet period since (ready_to_revoke) is settled and not listed. The
 * instance's ledger counts calls by hour and does not keep their paths, so each is named by its key
 * and its last call (a Coupa instance's verify, from the agent, names each call: observed/).
 */
import type { Status, StatusEntry } from '@keyshift/server/admin-api'
import { table } from '../output.ts'

export interface KeyshiftVerify {
  generated_at: string
  regressions: StatusEntry[]
}

/** Keys still migrating whose last call came after their client's first call. */
export function keyshiftVerify(status: Status): KeyshiftVerify {
  const regressions = status.keys.filter(
    (key) =>
      key.state === 'migrating' &&
      key.first_oauth_call_at !== null &&
      key.last_key_call_at !== null &&
      Date.parse(key.last_key_call_at) >= Date.parse(key.first_oauth_call_at),
  )
  return { generated_at: status.generated_at, regressions }
}

export function formatKeyshiftVerify(verify: KeyshiftVerify): string {
  if (verify.regressions.length === 0) return "No key called after its client's first call.\n"
  const rows = verify.regressions.map((key) => [
    key.api_key_name,
    key.api_key_id,
    key.replacement_client_name ?? key.replacement_client_id ?? '-',
    key.first_oauth_call_at ?? '-',
    key.last_key_call_at ?? '-',
  ])
  const headers = ['NAME', 'ID', 'CLIENT', 'FIRST OAUTH CALL', 'LAST KEY CALL']
  return `${table(headers, rows)}\n${verify.regressions.length} key(s) still called after the client's first call: an integration not moved yet, or moved back (the instance counts by hour).\n`
}
