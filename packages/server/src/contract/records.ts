/**
 * The records of an instance: what the store keeps and what services take and return. Times are
 * epoch milliseconds. Shapes, and the one fact read straight off a record that every floor needs (a
 * key's state): the store persists them, the services work on them, and views.ts maps them to the
 * admin API's wire types (wire.ts).
 */
import type { JsonWebKey } from 'node:crypto'
import type { CustomFieldDefinition } from '../catalogue/custom-fields.ts'
import type { AuditVia } from './wire.ts'

export interface OAuthClientRecord {
  id: string
  clientId: string
  name: string
  grantType: 'client_credentials'
  scopes: string[]
  login: string
  contactFirstName: string | null
  contactLastName: string | null
  contactEmail: string | null
  active: boolean
  /** HMAC-SHA-256 of the secret with the instance pepper, hex. The secret itself is never stored. */
  secretHash: string
  previousSecretHash: string | null
  previousSecretExpiresAt: number | null
  createdAt: number
  updatedAt: number
  /**
   * The cut-off of the client's tokens: one issued at or before this instant is refused for good,
   * even once the client is active again. Set by deactivation, by revoking every token, and by a
   * secret rotation that asks for it; it never moves back. Null: no token was ever cut off.
   */
  tokensRevokedAt: number | null
}

export interface SigningKeyRecord {
  kid: string
  alg: 'ES256'
  privateJwk: JsonWebKey
  publicJwk: JsonWebKey
  createdAt: number
  retiredAt: number | null
}

export interface RevokedTokenRecord {
  jti: string
  clientId: string
  expiresAt: number
  revokedAt: number
}

export interface ApiKeyRecord {
  id: string
  name: string
  description: string | null
  contactFirstName: string | null
  contactLastName: string | null
  contactLogin: string
  contactEmail: string
  /** HMAC-SHA-256 of the key with the instance pepper; the key itself is never stored. */
  keyHash: string
  /** `YYYY-MM-DD`: the key stops working at 00:00 UTC that day. */
  expiresOn: string | null
  /** Allowed `resource#action` pairs; null means every resource and action. */
  permissions: string[] | null
  revokedAt: number | null
  /** The client_id (32 hex) of the OAuth client that replaces the key, or null. */
  replacementClientId: string | null
  /** This key's deprecation and sunset dates; null falls back to the instance's. */
  deprecationAt: number | null
  sunsetAt: number | null
  createdAt: number
  updatedAt: number
}

export interface AdminUserRecord {
  username: string
  passwordHash: string
  createdAt: number
}

/** A signed-in admin of the Setup pages. `idHash` is the SHA-256 of the cookie's session id. */
export interface AdminSessionRecord {
  idHash: string
  username: string
  createdAt: number
  lastSeenAt: number
  /** Absolute end of the session, however active it is. */
  expiresAt: number
}

/** Who called: an API key (its id) or an OAuth client (its 32-hex client_id). */
export type PrincipalKind = 'api_key' | 'client'

/** Calls of one principal on one resource × action in one hour. */
export interface HourlyUsage {
  principalKind: PrincipalKind
  principalId: string
  resource: string
  action: string
  /** Start of the hour (UTC), a multiple of 3 600 000. */
  hour: number
  calls: number
}

/** A count as read back: of one hour, or of one day once hours are rolled up. */
export interface UsageRecord {
  principalKind: PrincipalKind
  principalId: string
  resource: string
  action: string
  period: 'hour' | 'day'
  /** Start of the hour or of the day (UTC). */
  start: number
  calls: number
}

/** The first and the last call of a principal, and where the last one came from. */
export interface PrincipalUseRecord {
  principalKind: PrincipalKind
  principalId: string
  firstAt: number
  lastAt: number
  lastRemoteAddress: string | null
  lastUserAgent: string | null
}

/** A window in which API-key calls are refused: every key's (`apiKeyId` null) or one key's. */
export interface BrownoutRecord {
  id: string
  startsAt: number
  /** Exclusive. */
  endsAt: number
  apiKeyId: string | null
}

export interface AuditEntryInput {
  at: number
  /** The admin user who did it. */
  actor: string
  /** `api_key.revoke` */
  action: string
  subjectId: string
  subjectName: string | null
  /** Done although the subject was not ready for it. */
  forced: boolean
  /** Which endpoint did it; null for entries written before migration 7 recorded it. */
  via: AuditVia | null
}

export interface AuditEntryRecord extends AuditEntryInput {
  /** Increasing in the order the entries were written, across nodes. */
  seq: number
}

/** The transition settings of the instance (docs/TRANSITION.md, `/admin/v1/transition/settings`). */
export interface TransitionSettingsRecord {
  quietPeriodSeconds: number
  deprecationAt: number | null
  sunsetAt: number | null
  documentationUrl: string | null
  brownouts: BrownoutRecord[]
}

/** `revoked`, `expired` (from 00:00 UTC of its expires_on day) or `active`, at `now`. */
export function apiKeyState(key: ApiKeyRecord, now: number): 'active' | 'expired' | 'revoked' {
  if (key.revokedAt !== null) return 'revoked'
  return hasExpired(key, now) ? 'expired' : 'active'
}

/** Whether the key's expiry date has come: it stops working at 00:00 UTC of its `expiresOn` day. */
export function hasExpired(key: ApiKeyRecord, now: number): boolean {
  return key.expiresOn !== null && key.expiresOn <= utcDate(now)
}

/** The UTC date of an instant, `YYYY-MM-DD`. */
export function utcDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

/** A custom field of a resource (docs/CUSTOM-FIELDS.md), as stored. */
export interface CustomFieldRecord extends CustomFieldDefinition {
  id: string
  createdAt: number
  updatedAt: number
}
