/**
 * What the agent saw of the calls it proxied, as `GET /v1/usage` answers it and as
 * `keyshift transition review|plan|status|verify` read it for an instance of kind `coupa`
 * (AGENT.md, "Usage"). Times are ISO 8601 UTC strings; `resource#action` names and scopes come
 * from the server's catalogue (one table, shared).
 */
import type { IntegrationAuth } from '../config/types.ts'

/** Calls of one integration, with one auth mode, to one `resource#action`, in one hour. */
export interface UsageHour {
  /** Start of the hour, `2026-12-02T07:00:00.000Z`. */
  hour: string
  instance: string
  integration: string
  auth: IntegrationAuth
  /** `suppliers`; for a path the catalogue does not know, its first segment after /api/. */
  resource: string
  /**
   * `index`, `show`, `create`, `update` or a custom action (`void`); for a path the catalogue does
   * not know, by the same rules (`GET /api/invoices/1/attachments` → `attachments`).
   */
  action: string
  /** Requests proxied, whatever their answer (a replay after a 401 is not counted again). */
  calls: number
}

/** One call made with an API key: kept (the most recent few per key) to show regressions. */
export interface KeyCall {
  at: string
  integration: string
  method: string
  /** The path without its query string (a query may hold search values). */
  path: string
  /** The status the integration got; 0 when no answer was sent (the client went away). */
  status: number
}

/** An integration as the agent runs it now, and its history of auth modes. */
export interface IntegrationUsage {
  integration: string
  instance: string
  /**
   * The auth mode in the running configuration (read without a running agent: the one it last
   * loaded). Integrations no longer configured stay listed with their last mode.
   */
  auth: IntegrationAuth
  /** The configured client when auth is oauth. */
  client: string | null
  /**
   * The first 12 hex digits of the SHA-256 of the API key it used last (kept after a flip to
   * oauth): identifies the key among integrations without storing it.
   */
  key_fingerprint: string | null
  /** When the agent first ran it with oauth after having run it with api_key; null if never. */
  flipped_at: string | null
  first_key_call_at: string | null
  last_key_call_at: string | null
  first_oauth_call_at: string | null
  last_oauth_call_at: string | null
}

/** One API key (by fingerprint) and the calls made with it through the agent. */
export interface KeyUsage {
  key_fingerprint: string
  /** Integrations that used it, sorted. */
  integrations: string[]
  first_call_at: string | null
  last_call_at: string | null
  /** The most recent calls with the key, newest first (at most 20). */
  recent_calls: KeyCall[]
}

export interface UsageReport {
  generated_at: string
  /** When this state_dir first counted a call (null: nothing counted yet). */
  counting_since: string | null
  retention_days: number
  integrations: IntegrationUsage[]
  keys: KeyUsage[]
  /** Sorted by hour, then instance, integration, auth, resource, action. */
  hours: UsageHour[]
}
