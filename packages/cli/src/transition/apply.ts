/**
 * The steps of `keyshift transition apply` on one instance, for a plan already checked: for each
 * `replace` key (of the phase), create its client, then link the key to it; for each `link` key,
 * link it to the client that exists. Apply never revokes.
 */
import type { ClientView } from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'
import type { TransitionApi } from './api.ts'
import type { PlannedKey } from './plan-read.ts'

/**
 * - `created`: the client was created (and `linked` says whether the key was linked to it);
 * - `linked`: the key was linked to a client that exists: a `link` of the plan, or a `replace`
 *   whose login is taken (`existing`: an earlier apply, or a client made by hand);
 * - `revoke`, `skip`: what the plan says, nothing done; `other_phase`: not in `--phase`;
 * - `failed`: creating or linking failed; `not_run`: not tried after a failure.
 */
export type KeyOutcome = 'created' | 'linked' | 'revoke' | 'skip' | 'other_phase' | 'failed' | 'not_run'

export interface KeyResult {
  api_key_id: string
  api_key_name: string
  action: PlannedKey['action']
  phase: number | null
  outcome: KeyOutcome
  integration?: string
  login?: string
  scopes?: string[]
  /** The client's Identifier. */
  client_id?: string
  /** Only in memory, to be written once; never in the summary. */
  client_secret?: string
  linked?: boolean
  /** `replace` found its login taken and linked the key to that client instead. */
  existing?: boolean
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

/** The clients of the instance, asked for once per run and only when needed. */
type ClientLookup = () => Promise<ClientView[]>

function clientLookup(api: TransitionApi): ClientLookup {
  let clients: Promise<ClientView[]> | undefined
  return () => {
    clients ??= api.listClients().then((list) => list.clients)
    return clients
  }
}

/** The existing client with `login`; KS_ADMIN_NOT_FOUND when there is none. */
async function clientByLogin(clients: ClientLookup, login: string): Promise<ClientView> {
  const found = (await clients()).find((client) => client.login === login)
  if (found === undefined) {
    throw new CliError('KS_ADMIN_NOT_FOUND', `no OAuth client has the login ${JSON.stringify(login)}`, {
      hint: 'see `keyshift admin clients list`; a link names its client by client_id or login',
    })
  }
  return found
}

async function link(api: TransitionApi, key: PlannedKey, result: KeyResult, clientId: string): Promise<void> {
  await api.setReplacement(key.api_key_id, clientId)
  Object.assign(result, { outcome: 'linked', client_id: clientId, linked: true })
}

/** Creates the key's client and links the key to it; a login taken links the key to that client. */
async function replaceKey(api: TransitionApi, key: PlannedKey, result: KeyResult, clients: ClientLookup) {
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
    if (!(error instanceof CliError) || error.code !== 'KS_ADMIN_CONFLICT') {
      result.outcome = 'failed'
      throw error
    }
    const existing = await clientByLogin(clients, replacement.client.login)
    result.existing = true
    await link(api, key, result, existing.client_id)
    return
  }
  await api.setReplacement(key.api_key_id, result.client_id ?? '')
  result.linked = true
}

/** Links the key to the existing client the plan names (by client_id, else by login). */
async function linkKey(api: TransitionApi, key: PlannedKey, result: KeyResult, clients: ClientLookup) {
  const planned = key.link
  if (planned === undefined) return
  if (planned.integration !== undefined) result.integration = planned.integration
  if (planned.login !== undefined) result.login = planned.login
  result.scopes = planned.scopes
  const clientId = planned.client_id ?? (await clientByLogin(clients, planned.login ?? '')).client_id
  await link(api, key, result, clientId)
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
  const clients = clientLookup(api)
  let failure: CliError | undefined
  for (const key of keys) {
    const result = base(key)
    results.push(result)
    const outcome = outcomeWithoutCall(key, phase)
    if (outcome !== undefined) result.outcome = outcome
    else if (failure !== undefined) continue
    else {
      try {
        if (key.action === 'link') await linkKey(api, key, result, clients)
        else await replaceKey(api, key, result, clients)
      } catch (error) {
        failure = asCliError(error)
        if (result.outcome === 'not_run') result.outcome = 'failed'
        result.error = failure.message
      }
    }
  }
  return { results, failure }
}
