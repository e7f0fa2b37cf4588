/**
 * The wire types of the admin JSON API (`/admin/v1`): every shape it answers, and the request
 * bodies its clients build, with the field names as they travel. The server's views, reports and
 * routes declare these as their return types, so that a field added to an answer fails the
 * typecheck until it is added here; the CLI (`@keyshift/server/admin-api`) and the Setup pages
 * (packages/web) import them instead of keeping copies.
 *
 * Types only, and no import of any kind (not even `import type`): packages/web type-checks this file
 * with a DOM-only tsconfig (`"types": []`, no Node types) and bundles it, so it must not pull in any
 * server file.
 *
 * All times are ISO 8601 strings; a field is `null` only where the server can have no value for it.
 */

/**
 * RFC 9457 problem details: the body of every failed admin API answer
 * (packages/server/src/http/problem.ts). https://www.rfc-editor.org/rfc/rfc9457#section-3
 */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  /** Field → messages, when the body was wrong (`{"name": ["is required"]}`). */
  errors?: Record<string, string[]>
}

/** `POST` and `GET /admin/v1/session`: the Setup pages' session (the cookie itself is HttpOnly). */
export interface SessionView {
  username: string
  /** Sent back as `X-CSRF-Token` with every change. */
  csrf_token: string
  expires_at: string
}

// OAuth clients: /admin/v1/oauth2/clients

/** An OAuth client as the admin API shows it: never its secret or the secret's hash. */
export interface ClientView {
  id: string
  name: string
  grant_type: 'client_credentials'
  /** The Identifier: 32 hex characters. */
  client_id: string
  scopes: string[]
  /** The Oidc Scopes string to paste into the token request: `scopes` joined by spaces. */
  scope: string
  login: string
  contact_first_name: string | null
  contact_last_name: string | null
  contact_email: string | null
  active: boolean
  created_at: string
  updated_at: string
  /** Until when the secret before the last rotation is still accepted; null: it no longer is. */
  previous_secret_expires_at: string | null
  /**
   * Every token issued at or before this instant is refused for good, even once the client is active
   * again (set by deactivation, `…/tokens/revoke` and a rotation with `revoke_tokens`); null: none.
   */
  tokens_revoked_at: string | null
}

/** `POST /admin/v1/oauth2/clients` (201): the only answer that ever carries the secret. */
export interface CreatedClientView extends ClientView {
  client_secret: string
}

/** `GET /admin/v1/oauth2/clients` */
export interface ClientList {
  clients: ClientView[]
}

/** `POST /admin/v1/oauth2/clients/:id/secret`: the new secret, shown once. */
export interface RotatedSecret {
  client_secret: string
  previous_secret_expires_at: string | null
  /** The client's cut-off: with `revoke_tokens`, this rotation's instant; null when none was ever set. */
  tokens_revoked_at: string | null
}

/** Body of `POST /admin/v1/oauth2/clients/:id/secret` (admin/schemas.ts `secretRotationBody`). */
export interface SecretRotation {
  /** How long the previous secret keeps working: 0 to 2 592 000 (30 days); default 86 400. */
  grace_period_seconds?: number
  /** Also refuse, for good, every token issued so far (with either secret). Default false. */
  revoke_tokens?: boolean
}

/** Body of `POST /admin/v1/oauth2/clients` (admin/schemas.ts `clientCreateBody`). */
export interface NewClient {
  name: string
  /** Only `client_credentials` (the default) is accepted. */
  grant_type?: string
  /** `all`: every scope of the catalogue (not least privilege). */
  scopes: string[] | 'all'
  login: string
  contact_first_name?: string | null
  contact_last_name?: string | null
  contact_email?: string | null
}

/** Body of `PATCH /admin/v1/oauth2/clients/:id`: a field left out is unchanged. */
export interface ClientChanges {
  name?: string
  /** The new full list of scopes. */
  scopes?: string[] | 'all'
  contact_first_name?: string | null
  contact_last_name?: string | null
  contact_email?: string | null
}

// Scopes and signing keys

/** One scope of `GET /admin/v1/scopes` (packages/server/src/catalogue/scopes.ts). */
export interface ScopeView {
  /** `core.invoice.read` */
  name: string
  description: string
  /** What the scope is about (`invoice`, `inventory.receiving`, `openid`). */
  object: string
  /** The scope name's first part (`core` for the core API), or `oidc` for the OpenID Connect scopes. */
  service: ScopeService
  /** `resource#action` pairs of the core API this scope grants. */
  actions: string[]
}

/** The services scopes belong to; the catalogue's own list must fit in it (admin/routes.ts). */
export type ScopeService =
  | 'core'
  | 'travel_booking'
  | 'treasury'
  | 'quality_collaboration'
  | 'riskassess'
  | 'oidc'

/** `GET /admin/v1/scopes` */
export interface ScopeList {
  scopes: ScopeView[]
}

/** A key that signs the access tokens. */
export interface SigningKeyView {
  kid: string
  /** The JWS algorithm: `ES256`. */
  alg: string
  created_at: string
  retired_at: string | null
  /** The key that signs new tokens; the others only verify. */
  active: boolean
}

/** `GET /admin/v1/signing-keys` */
export interface SigningKeyList {
  keys: SigningKeyView[]
}

/** `POST /admin/v1/signing-keys/rotate`: `kid` is the new active key. */
export interface RotatedSigningKey {
  kid: string
  keys: SigningKeyView[]
}

// Legacy API keys: /admin/v1/api-keys

export type ApiKeyState = 'active' | 'expired' | 'revoked'

/** A legacy API key (`X-COUPA-API-KEY`) as the admin API shows it: never the key or its hash. */
export interface ApiKeyView {
  id: string
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
  state: ApiKeyState
  revoked_at: string | null
  /** The client_id of the OAuth client that replaces the key (docs/TRANSITION.md), or null. */
  replacement_client_id: string | null
  /** This key's Deprecation and Sunset dates; null: the instance's apply. */
  deprecation_at: string | null
  sunset_at: string | null
  created_at: string
  updated_at: string
}

/** `POST /admin/v1/api-keys` (201): the only answer that ever carries the key. */
export interface CreatedApiKeyView extends ApiKeyView {
  /** The key itself, 40 hex characters: never readable again. */
  key: string
}

/** `GET /admin/v1/api-keys` */
export interface ApiKeyList {
  api_keys: ApiKeyView[]
}

/** Body of `POST /admin/v1/api-keys` (admin/schemas.ts `apiKeyCreateBody`). */
export interface NewApiKey {
  name: string
  description?: string | null
  contact_first_name?: string | null
  contact_last_name?: string | null
  /** Unique among API keys. */
  contact_login: string
  /** Unique among API keys. */
  contact_email: string
  /** `YYYY-MM-DD`; left out or null: never expires. */
  expires_on?: string | null
  /** `resource#action` pairs; left out or null: every API. */
  permissions?: string[] | null
}

// Integration history: /admin/v1/integration-history/:resource/:id

/** Which client or API key created or changed a core API record (Coupa's "Integration History"). */
export interface IntegrationHistoryEntry {
  at: string
  /** The client's login, or the API key's contact login. */
  by: string
  via: 'oauth_client' | 'api_key'
  /** `create`, `update`, `export`, or the name of a custom action. */
  action: string
}

/** `GET /admin/v1/integration-history/:resource/:id` */
export interface IntegrationHistory {
  resource: string
  id: number
  entries: IntegrationHistoryEntry[]
}

// The transition: /admin/v1/transition (docs/TRANSITION.md)

/** `unused`: no call in 30 days; else which categories of resources the key called. */
export type KeyCategory = 'unused' | 'master_data' | 'transactional' | 'both'

/** One key of `GET /admin/v1/transition/review`: who it is (as ApiKeyView shows it), its use. */
export interface ReviewEntry
  extends Pick<
    ApiKeyView,
    | 'id'
    | 'name'
    | 'description'
    | 'contact_first_name'
    | 'contact_last_name'
    | 'contact_login'
    | 'contact_email'
    | 'created_at'
    | 'expires_on'
    | 'state'
  > {
  last_used_at: string | null
  last_used_from: string | null
  last_user_agent: string | null
  calls: { last_1d: number; last_7d: number; last_30d: number }
  /** Every resource × action called in the last 30 days, most calls first. */
  usage: Array<{ resource: string; action: string; calls_30d: number }>
  category: KeyCategory
}

/** `GET /admin/v1/transition/review`: every API key, who, last use, what it touched. */
export interface Review {
  generated_at: string
  api_keys: ReviewEntry[]
}

/**
 * `replace`: make a new client; `link`: link an existing client (`client.client_id`); `revoke`: a key
 * proven unused; `skip`: nothing to do yet (`reason` says why).
 */
export type PlanAction = 'replace' | 'link' | 'revoke' | 'skip'

/** The OAuth client the plan makes (`replace`) or links (`link`) for a key. */
export interface PlanClient {
  name: string
  /** `replace`: derived from the key's name, unique among existing clients and the plan; `link`: the client's. */
  login: string
  /** Only with `link`: the Identifier (32 hex) of the existing client, for `PUT /admin/v1/api-keys/:id/replacement`. */
  client_id?: string
}

/** One key of `GET /admin/v1/transition/plan`. */
export interface PlanEntry {
  api_key_id: string
  api_key_name: string
  action: PlanAction
  /** 1: master data only; 2: transactional too; null for a key to revoke or an unused one to skip. */
  phase: 1 | 2 | null
  /** The least-privilege scopes for what the key called (sorted, no repeats). */
  scopes: string[]
  client: PlanClient | null
  reason: string
}

/** `GET /admin/v1/transition/plan`: the client for each key in use, or revoke; revoked keys left out. */
export interface Plan {
  generated_at: string
  keys: PlanEntry[]
}

export type TransitionState = 'in_use' | 'migrating' | 'ready_to_revoke' | 'revoked'

/** One key of `GET /admin/v1/transition/status`. */
export interface StatusEntry {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  replacement_client_id: string | null
  replacement_client_name: string | null
  first_oauth_call_at: string | null
  last_key_call_at: string | null
  /** When the key became ready_to_revoke. */
  ready_at: string | null
  /** Why the key is in its state. */
  reason: string
}

/** `GET /admin/v1/transition/status`: per key, in_use → migrating → ready_to_revoke → revoked. */
export interface Status {
  generated_at: string
  quiet_period_seconds: number
  keys: StatusEntry[]
}

/** One UTC day of `GET /admin/v1/transition/usage`: API-key calls versus OAuth calls. */
export interface UsageDay {
  /** `YYYY-MM-DD` */
  day: string
  api_key_calls: number
  oauth_calls: number
}

/** `GET /admin/v1/transition/usage`: the last 30 days, today included, oldest first. */
export interface UsagePerDay {
  days: UsageDay[]
}

/** One entry of `GET /admin/v1/transition/audit`. */
export interface AuditEntry {
  at: string
  /** The admin user who did it. */
  actor: string
  /** `api_key.revoke` */
  action: string
  subject_id: string
  subject_name: string | null
  /** Done although the subject was not ready for it. */
  forced: boolean
  /**
   * Which endpoint did it: `transition` (`POST /admin/v1/transition/revoke`) or `api_keys`
   * (`POST /admin/v1/api-keys/:id/revoke`); null for entries written before Keyshift recorded it.
   */
  via: AuditVia | null
}

export type AuditVia = 'transition' | 'api_keys'

/** `GET /admin/v1/transition/audit`: newest last. */
export interface AuditList {
  entries: AuditEntry[]
}

/** A window in which API-key calls are refused: every key's (`api_key_id` null) or one key's. */
export interface BrownoutView {
  id: string
  starts_at: string
  /** Exclusive. */
  ends_at: string
  api_key_id: string | null
}

/** `GET` and `PUT /admin/v1/transition/settings`: the instance's transition settings. */
export interface TransitionSettingsView {
  quiet_period_seconds: number
  deprecation_at: string | null
  sunset_at: string | null
  documentation_url: string | null
  brownouts: BrownoutView[]
}

/** Body of `POST /admin/v1/transition/revoke`: the keys named, or every key that is ready_to_revoke. */
export type RevokeRequest = ({ api_key_ids: string[] } | { all_ready: true }) & {
  /** Revoke nothing; answer what would be revoked. */
  dry_run?: boolean
  /** Revoke keys that are not ready_to_revoke too. */
  force?: boolean
}

/**
 * Since when a revoke counts the calls that would fail: `client_first_call` (the key's replacement
 * client made its first call within the last 7 days: only the key's calls since then count) or
 * `last_7_days` (no client, a client that has not called yet, or one that first called earlier).
 */
export type CountedFrom = 'client_first_call' | 'last_7_days'

/** The calls to one resource × action, counted since `counted_since`, that would fail. */
export interface RevokeUsage {
  resource: string
  action: string
  calls_7d: number
}

/** One key of the answer of `POST /admin/v1/transition/revoke`. */
export interface RevokeResult {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  revoked: boolean
  /** Why the key was not revoked, e.g. `in_use: …`; null when it was (or, in a dry run, would be). */
  refused: string | null
  /** The key's calls since `counted_since` (at most 7 days back): those that would fail from now on. */
  calls_7d: number
  usage_7d: RevokeUsage[]
  counted_from: CountedFrom
  /**
   * The start of the count. The ledger counts per hour: the hour that contains this instant counts
   * whole, unless the key's last call (kept to the millisecond) came before it.
   */
  counted_since: string
}

/** `POST /admin/v1/transition/revoke` */
export interface RevokeAnswer {
  dry_run: boolean
  results: RevokeResult[]
}

/** Body of `POST /admin/v1/api-keys/:id/revoke` (admin/transition-schemas.ts `apiKeyRevokeBody`); may be left out. */
export interface ApiKeyRevokeRequest {
  /** Revoke the key even when it is not ready_to_revoke (the audit log says `forced`). Default false. */
  force?: boolean
}

/**
 * The 409 of `POST /admin/v1/api-keys/:id/revoke` for a key that is not ready_to_revoke, sent
 * without `"force": true`: problem details with the key's state, why, and the calls a revoke would
 * fail, counted as `POST /admin/v1/transition/revoke` counts them (RFC 9457 §3.2 extension members).
 */
export interface ApiKeyNotReadyProblem extends Problem {
  api_key_id: string
  api_key_name: string
  state: TransitionState
  /** Why the key is in its state (as `GET /admin/v1/transition/status` says). */
  reason: string
  calls_7d: number
  usage_7d: RevokeUsage[]
  counted_from: CountedFrom
  counted_since: string
}

// Custom fields (docs/CUSTOM-FIELDS.md)

/** `string`, `integer`, `boolean`, `date`, or `lookup` (one of `values`). */
export type CustomFieldType = 'string' | 'integer' | 'boolean' | 'date' | 'lookup'

/** A custom field of a resource: records carry it under `custom-fields` as `name`. */
export interface CustomFieldView {
  id: string
  /** The resource whose records carry it: `invoices`. */
  resource: string
  /** Dashed, as records show it: `erp-vendor-id`. */
  name: string
  label: string
  type: CustomFieldType
  /** A lookup's allowed values; null for the other types. */
  values: string[] | null
  required: boolean
  active: boolean
  created_at: string
  updated_at: string
}

/** `GET /admin/v1/custom-fields` */
export interface CustomFieldList {
  custom_fields: CustomFieldView[]
}

/** Body of `POST /admin/v1/custom-fields` (admin/schemas.ts `customFieldCreateBody`). */
export interface NewCustomField {
  resource: string
  /** Dashed or underscored: `erp-vendor-id`. */
  name: string
  label: string
  type: CustomFieldType
  /** Required for a lookup, refused for the other types. */
  values?: string[] | null | undefined
  required?: boolean | undefined
}

/** Body of `PATCH /admin/v1/custom-fields/:id`: what may change (name, resource and type may not). */
export interface CustomFieldChanges {
  label?: string | undefined
  values?: string[] | null | undefined
  required?: boolean | undefined
  active?: boolean | undefined
}
