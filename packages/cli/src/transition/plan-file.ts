/**
 * Writes the plan file of `keyshift transition plan --out` (docs/TRANSITION.md, "The plan file"):
 * the plan of the admin API as YAML for the admin to edit, with the instance it was made for and
 * the agent integration each new client is for.
 */
import type { Plan, PlanEntry } from '@keyshift/server/admin-api'
import { Document, isMap, isSeq, type YAMLMap } from 'yaml'
import type { CliError } from '../errors.ts'
import { outFileExists, writeOutFile } from '../files.ts'
import { displayUrl } from '../net.ts'

const HEADER = [
  ' The transition plan of keyshift transition plan. Edit it: action, phase, client, scopes and',
  ' integration (the agent integration to add). `link` links the key to the existing client whose',
  ' client_id (or login) it names; `replace` creates a client, or links the key to the one that has',
  ' its login already. Then run',
  '   keyshift transition apply --plan <this file> [--phase N] [--secrets-file FILE]',
  ' which checks the whole file before it creates anything.',
].join('\n')

/** One key as the file shows it, in the order of the contract's example. */
function fileKey(key: PlanEntry): Record<string, unknown> {
  return {
    api_key_id: key.api_key_id,
    api_key_name: key.api_key_name,
    action: key.action,
    phase: key.phase,
    client: key.client,
    scopes: key.scopes,
    ...(key.action === 'replace' && key.client !== null && { integration: key.client.login }),
  }
}

/** The reason above each key, and a flow list for its scopes. */
function annotate(item: unknown, key: PlanEntry): void {
  if (!isMap(item)) return
  const map = item as YAMLMap
  if (key.reason !== '') map.commentBefore = ` ${key.reason}`
  const scopes = map.get('scopes', true)
  if (isSeq(scopes)) scopes.flow = true
  const action = map.get('action', true) as { comment?: string } | undefined
  if (action !== undefined) action.comment = ' replace | link | revoke | skip'
}

/** The text of the plan file for `plan`, made for the instance at `instance`. */
export function planFileText(plan: Plan, instance: URL): string {
  const document = new Document({
    instance: displayUrl(instance).replace(/\/$/, ''),
    generated_at: plan.generated_at,
    keys: plan.keys.map(fileKey),
  })
  document.commentBefore = HEADER
  const keys = document.get('keys', true)
  if (isSeq(keys)) {
    for (const [i, item] of keys.items.entries()) annotate(item, plan.keys[i] as PlanEntry)
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false })
}

const EXISTS_HINT = 'give --force to write over it (edits made to it are lost), or another --out'

/**
 * Writes the plan file; an existing file is kept unless `force` (it may hold the admin's edits).
 *
 * @throws {CliError} KS_FILE_EXISTS, or KS_FILE_WRITE_FAILED.
 */
export function writePlanFile(path: string, text: string, force: boolean): Promise<void> {
  return writeOutFile(path, text, { force, hint: EXISTS_HINT })
}

export function planFileExists(path: string): CliError {
  return outFileExists(path, EXISTS_HINT)
}
