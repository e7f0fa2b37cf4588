/**
 * The steps of `keyshift transition apply` on one instance, for a plan already checked: for each
 * `replace` key (of the phase), create its client, then link the key to it. Apply never revokes.
 */
import { CliError } from '../errors.ts'
import type { TransitionApi } from './api.ts'
import type { PlannedKey } from './plan-read.ts'

/**
 * - `created`: the client was created (and `linked` says whether the key was linked to it);
 * - `exists`: a client with that login exists (an earlier apply?): skipped;
 * - `revoke`, `skip`: what the plan says, nothing done; `other_phase`: not in `--phase`;
 * - `failed`: creating the client failed; `not_run`: not tried after a failure.
 */
export type KeyOutcome = 'created' | 'exists' | 'revoke' | 'skip' | 'other_phase' | 'failed' | 'not_run'

export interface KeyResult {
  api_key_id: string
  api_key_name: string
  action: PlannedKey['action']
  phase: number | null
  outcome: KeyOutcome
  integration?: string
  login?: string
  scopes?: string[]
  /** The new client's Identifier. */
  client_id?: string
  /** Only in memory, to be written once; never in the summary. */
  client_secret?: string
  linked?: boolean
  error?: string
}

export interface ApplyResult {
  results: KeyResult[]
  /** The failure that stopped the run; the keys before it are done, those after not tried. */
  failure: CliError | undefined
}

function base(key: PlannedKey): KeyResult {
  return {
    api_key_id: key.api_key_id,
    api_key_name: key.api_key_name,
    action: key.action,
    phase: key.phase,
    outcome: 'not_run',
  }
}

function asCliError(error: unknown): CliError {
  return error instanceof CliError
    ? error
    : new CliError('KS_INTERNAL', error instanceof Error ? error.message : String(error), { cause: error })
}

/** Creates the key's client and links the key to it. Throws only what should stop the run. */
async function replaceKey(api: TransitionApi, key: PlannedKey, result: KeyResult): Promise<void> {
  const replacement = key.replacement
  if (replacement === undefined) return
  result.integration = replacement.integration
  result.login = replacement.client.login
  result.scopes = replacement.scopes
  try {
    const client = await api.createClient({
      name: replacement.client.name,
      login: replacement.client.login,
      scopes: replacement.scopes,
      grant_type: 'client_credentials',
    })
    Object.assign(result, { outcome: 'created', client_id: client.client_id, linked: false })
    result.client_secret = client.client_secret
  } catch (error) {
    if (error instanceof CliError && error.code === 'KS_ADMIN_CONFLICT') {
      result.outcome = 'exists'
      return
    }
    result.outcome = 'failed'
    throw error
  }
  await api.setReplacement(key.api_key_id, result.client_id ?? '')
  result.linked = true
}

function outcomeWithoutCall(key: PlannedKey, phase: number | undefined): KeyOutcome | undefined {
  if (key.action === 'revoke') return 'revoke'
  if (key.action === 'skip') return 'skip'
  if (phase !== undefined && key.phase !== phase) return 'other_phase'
  return undefined
}

/** Runs the plan's keys in order; the first failure stops it (the clients made so far are kept). */
export async function applyPlan(
  api: TransitionApi,
  keys: PlannedKey[],
  phase: number | undefined,
): Promise<ApplyResult> {
  const results: KeyResult[] = []
  let failure: CliError | undefined
  for (const key of keys) {
    const result = base(key)
    results.push(result)
    const outcome = outcomeWithoutCall(key, phase)
    if (outcome !== undefined) result.outcome = outcome
    else if (failure !== undefined) continue
    else {
      try {
        await replaceKey(api, key, result)
      } catch (error) {
        failure = asCliError(error)
        result.error = failure.message
      }
    }
  }
  return { results, failure }
}
