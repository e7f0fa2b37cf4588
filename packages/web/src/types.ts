/** What the admin API answers (packages/server/src/admin/views.ts and transition/). */

export interface Scope {
  name: string
  description: string
  object: string
  service: 'core' | 'oidc'
  /** `resource#action` pairs of the core API this scope grants. */
  actions: string[]
}

export interface Client {
  id: string
  name: string
  grant_type: string
  client_id: string
  scopes: string[]
  scope: string
  login: string
  contact_first_name: string | null
  contact_last_name: string | null
  contact_email: string | null
  active: boolean
  created_at: string
  updated_at: string
  previous_secret_expires_at: string | null
}

export interface CreatedClient extends Client {
  client_secret: string
}

export interface ApiKey {
  id: string
  name: string
  description: string | null
  contact_first_name: string | null
  contact_last_name: string | null
  contact_login: string
  contact_email: string
  expires_on: string | null
  permissions: string[] | null
  state: 'active' | 'expired' | 'revoked'
  revoked_at: string | null
  replacement_client_id: string | null
  created_at: string
}

export interface CreatedApiKey extends ApiKey {
  key: string
}

export interface ReviewEntry {
  id: string
  name: string
  last_used_at: string | null
  last_used_from: string | null
  last_user_agent: string | null
  calls: { last_1d: number; last_7d: number; last_30d: number }
  usage: Array<{ resource: string; action: string; calls_30d: number }>
  category: string
}

export type TransitionState = 'in_use' | 'migrating' | 'ready_to_revoke' | 'revoked'

export interface StatusEntry {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  replacement_client_id: string | null
  replacement_client_name: string | null
  first_oauth_call_at: string | null
  last_key_call_at: string | null
  ready_at: string | null
  reason: string
}

export interface PlanEntry {
  api_key_id: string
  api_key_name: string
  action: 'replace' | 'revoke' | 'skip'
  phase: 1 | 2 | null
  scopes: string[]
  client: { name: string; login: string } | null
  reason: string
}

export interface UsageDay {
  day: string
  api_key_calls: number
  oauth_calls: number
}

export interface RevokeResult {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  revoked: boolean
  refused: string | null
  calls_7d: number
  usage_7d: Array<{ resource: string; action: string; calls_7d: number }>
}

export interface RevokeAnswer {
  dry_run: boolean
  results: RevokeResult[]
}
