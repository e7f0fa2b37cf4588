/**
 * Where tokens outlive the process. The token manager reads the store before asking the token
 * endpoint and writes every new token to it, so a restart (or a peer sharing the store) reuses a
 * valid token instead of asking again. A store that fails is a miss, never an outage.
 */
import { isObject } from './http.ts'

/**
 * A persisted token. Times are wall-clock epoch milliseconds, since monotonic times mean nothing
 * to another process; the client secret is never part of it.
 * @example
 * await store.save(tokens.key, { access_token, token_type: 'bearer', issued_at: Date.now(), expires_at: Date.now() + 86_399_000 })
 */
export interface StoredToken {
  access_token: string
  token_type: string
  /** Granted scopes, when the token endpoint said. */
  scope?: string
  /** When the token arrived. */
  issued_at: number
  /** When it expires (`issued_at + expires_in`). */
  expires_at: number
}

/**
 * Persistence for tokens, keyed by the token manager's cache key (a SHA-256 hex string, its
 * `key`). Methods may throw or reject: the token manager logs a warning and carries on.
 *
 * @example
 * const tokens = createTokenManager({ ...options, store: createFileTokenStore('/var/lib/app/tokens.json') })
 */
export interface TokenStore {
  /** The token saved under `key`, or `undefined`. */
  load(key: string): Promise<StoredToken | undefined>
  /** Saves `token` under `key`, replacing what was there. */
  save(key: string, token: StoredToken): Promise<void>
  /** Removes the token under `key` only if it is still `accessToken` (it failed with 401). */
  remove(key: string, accessToken: string): Promise<void>
}

/**
 * `value` as a StoredToken, or `undefined` when any field is missing or wrong (a corrupt entry is
 * a miss).
 *
 * @example
 * const token = readStoredToken(JSON.parse(text).tokens[key])
 * @throws Never: anything malformed gives `undefined`.
 */
export function readStoredToken(value: unknown): StoredToken | undefined {
  if (!isObject(value)) return undefined
  const { access_token, token_type, scope, issued_at, expires_at } = value
  if (typeof access_token !== 'string' || access_token === '') return undefined
  if (typeof token_type !== 'string') return undefined
  if (scope !== undefined && typeof scope !== 'string') return undefined
  if (typeof issued_at !== 'number' || !Number.isFinite(issued_at)) return undefined
  if (typeof expires_at !== 'number' || !Number.isFinite(expires_at) || expires_at <= issued_at)
    return undefined
  return scope === undefined
    ? { access_token, token_type, issued_at, expires_at }
    : { access_token, token_type, scope, issued_at, expires_at }
}

/**
 * A store in memory. Token managers that share one share their tokens: two managers with the same
 * token URL, client, secret and scopes in one process make one token request, not two.
 *
 * @example
 * const store = createMemoryTokenStore()
 * const a = createTokenManager({ ...options, store })
 * const b = createTokenManager({ ...options, store }) // reuses a's token
 * @throws Never; its methods never reject.
 */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, StoredToken>()
  return {
    load: async function loadFromMemory(key) {
      const token = tokens.get(key)
      return token === undefined ? undefined : { ...token }
    },
    save: async function saveToMemory(key, token) {
      tokens.set(key, { ...token })
    },
    remove: async function removeFromMemory(key, accessToken) {
      if (tokens.get(key)?.access_token === accessToken) tokens.delete(key)
    },
  }
}
