import type { Clock } from '../contract/clock.ts'
import type { AccessTokenClaims, AccessTokens } from '../oauth/access-tokens.ts'
import { Cache } from '../sync/cache.ts'

/**
 * Access tokens whose signature has been checked, until they expire: an ES256 verification costs
 * about 70 µs, a Map lookup well under one. Entries are found by the token's last characters (all
 * of them signature: an ES256 signature takes 86) and then compared with the whole token, so a hit
 * proves the very same string was verified: a Map hashes its key on every lookup, and hashing the
 * whole token (about 600 characters) instead was 3 % of a bearer GET's time in a profile
 * (`perf record`, 2026-12-03). Bounded: the oldest entry goes
 * when it is full. What can change while a token lives is checked on every request, not cached
 * here: its revocation, its client's state and its client's cut-off (`isCutOff` in
 * oauth/access-tokens.ts, against the client as the clients' cache holds it, which the change feed
 * keeps current on every node). So an entry here never lets a cut-off token through.
 */
export class VerifiedTokens {
  readonly #tokens: AccessTokens
  readonly #clock: Clock
  readonly #verified: Cache<string, { token: string; claims: AccessTokenClaims }>

  constructor({ tokens, clock, max = 10_000 }: { tokens: AccessTokens; clock: Clock; max?: number }) {
    this.#tokens = tokens
    this.#clock = clock
    // A checked signature stays checked: an entry is dropped when its token has expired.
    this.#verified = new Cache({ clock, ttlMs: Number.POSITIVE_INFINITY, max })
  }

  /**
   * The answer of `check` for a token checked before, or undefined for any other string: one Map
   * lookup, so a caller may try it before it parses the header the token came in.
   */
  checkKnown(token: string): { claims: AccessTokenClaims } | { reason: string } | undefined {
    const key = keyOf(token)
    const cached = this.#verified.get(key)
    if (cached?.token !== token) return undefined
    if (cached.claims.exp * 1000 > this.#clock.now()) return { claims: cached.claims }
    this.#verified.forget(key)
    return { reason: 'expired' }
  }

  /** The token's claims when it is valid now, or the reason it is not. */
  check(token: string): { claims: AccessTokenClaims } | { reason: string } {
    const known = this.checkKnown(token)
    if (known) return known
    const result = this.#tokens.verify(token)
    if (!result.valid) return { reason: result.reason }
    this.#verified.set(keyOf(token), { token, claims: result.claims })
    return { claims: result.claims }
  }
}

/**
 * The key of a token in the cache: its last characters, which are its signature's (RFC 7515 §7.1).
 * Any string works as a key, since a hit is confirmed against the whole token.
 */
function keyOf(token: string): string {
  return token.slice(-KEY_CHARS)
}

const KEY_CHARS = 64
