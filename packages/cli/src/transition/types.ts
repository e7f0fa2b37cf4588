/** Wire types of the transition admin API (`/admin/v1/transition`, docs/TRANSITION.md); wire names kept. */

export interface CallCounts {
  last_1d: number
  last_7d: number
  last_30d: number
}

export interface ResourceUsage {
  resource: string
  action: string
  calls_30d: number
}

export type KeyCategory = 'unused' | 'master_data' | 'transactional' | 'both'

export interface ReviewKey {
  id: string
  name: string
  description: string | null
  contact_first_name: string | null
  contact_last_name: string | null
  contact_login: string
  contact_email: string
  created_at: string
  expires_on: string | null
  state: string
  last_used_at: string | null
  last_used_from: string | null
  last_user_agent: string | null
  calls: CallCounts
  /** Every resource × action called in the last 30 days, most calls first. */
  usage: ResourceUsage[]
  category: KeyCategory
}

export interface Review {
  generated_at: string
  api_keys: ReviewKey[]
}

export type PlanAction = 'replace' | 'revoke' | 'skip'

export interface PlanClient {
  name: string
  login: string
}

export interface PlanKey {
  api_key_id: string
  api_key_name: string
  action: PlanAction
  /** 1: master data only; 2: transactional; null for a key to revoke. */
  phase: number | null
  scopes: string[]
  client: PlanClient | null
  reason: string
}

export interface Plan {
  generated_at: string
  keys: PlanKey[]
}

export type TransitionState = 'in_use' | 'migrating' | 'ready_to_revoke' | 'revoked'

export interface StatusKey {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  replacement_client_id: string | null
  replacement_client_name: string | null
  first_oauth_call_at: string | null
  last_key_call_at: string | null
  ready_at: string | null
  reason: string | null
}

export interface Status {
  generated_at: string
  quiet_period_seconds: number
  keys: StatusKey[]
}

export interface RevokeRequest {
  api_key_ids?: string[]
  all_ready?: true
  dry_run?: true
  force?: true
}

/** The calls of the last 7 days to one resource × action that would have failed. */
export interface RevokeUsage {
  resource: string
  action: string
  calls_7d: number
}

export interface RevokeResult {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  revoked: boolean
  /** Why the key was not revoked, e.g. `in_use: …`; null when it was (or would be). */
  refused: string | null
  calls_7d: number
  usage_7d: RevokeUsage[]
}

export interface RevokeAnswer {
  dry_run: boolean
  results: RevokeResult[]
}
