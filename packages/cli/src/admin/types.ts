/** Wire types of the admin JSON API (`/admin/v1`); field names as the server sends them. */

export interface Scope {
  name: string
  description: string
  object: string
  service: string
}

export interface OAuthClient {
  id: string | number
  name: string
  grant_type: string
  client_id: string
  /** Only in the answer to create; never readable again. */
  client_secret?: string
  scopes: string[]
  scope: string
  login: string | null
  contact_first_name: string | null
  contact_last_name: string | null
  contact_email: string | null
  active: boolean
  created_at: string
  updated_at: string
  previous_secret_expires_at: string | null
}

export interface NewClient {
  name: string
  grant_type: string
  scopes: string[] | 'all'
  login: string
  contact_first_name?: string
  contact_last_name?: string
  contact_email?: string
}

export interface ClientChanges {
  name?: string
  scopes?: string[]
  contact_first_name?: string
  contact_last_name?: string
  contact_email?: string
}

export interface RotatedSecret {
  client_secret: string
  previous_secret_expires_at: string | null
}

export interface SigningKey {
  kid: string
  alg: string
  created_at: string
  retired_at: string | null
  active: boolean
}

/** A legacy API key (`X-COUPA-API-KEY`), as `/admin/v1/api-keys` shows it. */
export interface ApiKey {
  id: string | number
  name: string
  description: string | null
  contact_first_name: string | null
  contact_last_name: string | null
  contact_login: string
  contact_email: string
  /** `YYYY-MM-DD`: the key stops working at 00:00 UTC that day; null: never expires. */
  expires_on: string | null
  /** `resource#action` pairs; null or empty: every API. */
  permissions: string[] | null
  /** `active`, `revoked` or `expired`. */
  state: string
  revoked_at: string | null
  created_at: string
  updated_at: string
  /** The key itself (40 hex characters): only in the answer to create, never readable again. */
  key?: string
}

export interface NewApiKey {
  name: string
  description?: string
  contact_first_name?: string
  contact_last_name?: string
  contact_login: string
  contact_email: string
  expires_on?: string
  permissions?: string[]
}

/** RFC 9457 problem details. https://www.rfc-editor.org/rfc/rfc9457#section-3 */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  errors?: Record<string, string[]>
}
