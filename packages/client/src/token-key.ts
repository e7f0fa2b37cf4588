/**
 * What identifies a token: the cache key (everything that changes the token it would get) and the
 * fingerprint (how logs and events name a token without showing it).
 */
import { createHash } from 'node:crypto'

/** A scope set: `list` in the caller's order, deduplicated, for the request; `key` sorted. */
export interface NormalizedScope {
  /** Deduplicated scopes in the order given; sent space-separated. */
  list: readonly string[]
  /** The sorted set joined by spaces: the same scopes in any order give the same key. */
  key: string
}

/**
 * Splits a scope string (or list of strings) on whitespace and removes duplicates.
 * https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 *
 * @example
 * normalizeScope('core.invoice.read  core.common.read core.invoice.read')
 * // → { list: ['core.invoice.read', 'core.common.read'], key: 'core.common.read core.invoice.read' }
 * @throws Never.
 */
export function normalizeScope(scope: string | readonly string[] | undefined): NormalizedScope {
  const words = (typeof scope === 'string' ? [scope] : (scope ?? [])).flatMap((part) => part.split(/\s+/))
  const list = [...new Set(words.filter((word) => word !== ''))]
  return { list, key: [...list].sort().join(' ') }
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/**
 * The first 8 hex digits of the token's SHA-256: enough to tell tokens apart in logs and events,
 * useless to anyone who reads them.
 *
 * @example
 * tokenFingerprint(accessToken) // → '3f9a0c1e'
 * @throws Never.
 */
export function tokenFingerprint(accessToken: string): string {
  return sha256(accessToken).slice(0, 8)
}

/** The parts of a cache key. */
export interface TokenKeyParts {
  tokenUrl: string
  clientId: string
  clientSecret: string
  scope: string | readonly string[] | undefined
}

/**
 * The cache key of a token: SHA-256 over the token URL, the client id, the sorted scope set and a
 * SHA-256 of the secret. A new scope or a rotated secret therefore never finds the old token, and
 * the key (which a store may write to disk) holds neither the secret nor anything that reveals it.
 *
 * @example
 * const key = tokenCacheKey({ tokenUrl, clientId, clientSecret, scope: 'core.invoice.read' })
 * @throws Never.
 */
export function tokenCacheKey(parts: TokenKeyParts): string {
  const secretHash = sha256(`keyshift-client-secret\u0000${parts.clientSecret}`)
  const fields = [parts.tokenUrl, parts.clientId, normalizeScope(parts.scope).key, secretHash]
  return sha256(JSON.stringify(fields))
}
