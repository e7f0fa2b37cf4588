/** Store records for tests: a family of valid values, told apart by a number or a name. */
import assert from 'node:assert/strict'
import type {
  AdminUserRecord,
  ApiKeyRecord,
  OAuthClientRecord,
  RevokedTokenRecord,
  SigningKeyRecord,
} from '../src/contract/records.ts'
import { StoreConflictError } from '../src/store/store.ts'

/** 2026-01-01T00:00:00Z; the records' times are counted from it. */
export const T0 = Date.UTC(2026, 0, 1)

export function client(n: number, overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord {
  return {
    id: `client-${n}`,
    clientId: n.toString(16).padStart(32, '0'),
    name: `Integration ${n}`,
    grantType: 'client_credentials',
    scopes: ['core.supplier.read', 'core.invoice.read', 'openid'],
    login: `integration-${n}`,
    contactFirstName: 'Ada',
    contactLastName: 'Lovelace',
    contactEmail: 'ada@example.com',
    active: true,
    secretHash: 'a'.repeat(64),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    createdAt: T0 + n,
    updatedAt: T0 + n,
    tokensRevokedAt: null,
    ...overrides,
  }
}

export function apiKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Supplier sync',
    description: null,
    contactFirstName: null,
    contactLastName: null,
    contactLogin: 'supplier-sync',
    contactEmail: 'sync@example.com',
    keyHash: 'a'.repeat(64),
    expiresOn: null,
    permissions: ['suppliers#index'],
    revokedAt: null,
    replacementClientId: null,
    deprecationAt: null,
    sunsetAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  }
}

export function signingKey(
  kid: string,
  createdAt: number,
  retiredAt: number | null = null,
): SigningKeyRecord {
  const publicJwk = { kty: 'EC', crv: 'P-256', x: `x-${kid}`, y: `y-${kid}`, kid, alg: 'ES256', use: 'sig' }
  return { kid, alg: 'ES256', privateJwk: { ...publicJwk, d: `d-${kid}` }, publicJwk, createdAt, retiredAt }
}

export function revoked(jti: string, expiresAt: number): RevokedTokenRecord {
  return { jti, clientId: `client-of-${jti}`, expiresAt, revokedAt: expiresAt - 86_399_000 }
}

export function admin(username: string): AdminUserRecord {
  return { username, passwordHash: `scrypt$${username}`, createdAt: T0 }
}

/** For assert.rejects: the error is a StoreConflictError on `field`. */
export function conflict(field: string) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreConflictError, `expected StoreConflictError, got ${error}`)
    assert.equal(error.field, field)
    return true
  }
}
