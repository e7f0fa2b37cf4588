import type { Clock } from '../contract/clock.ts'
import type { AccessTokenClaims, AccessTokens } from '../oauth/access-tokens.ts'
import { Cache } from '../sync/cache.ts'

/**
 * Access tokens whose signature has been checked, by token, until they expire: an ES256
 * verification costs about 70 µs, a Map lookup well under one. Bounded: the oldest entry goes
 * when it is full. What can change while a token lives is checked on every request, not cached
 * here: its revocation, its client's state and its client's cut-off (`isCutOff` in
 * oauth/access-tokens.ts, against the client as the clients' cache holds it, which the change feed
 * keeps current on every node). So an entry here never lets a cut-off token through.
 */
export class VerifiedTokens {
  readonly #tokens: AccessTokens
  readonly #clock: Clock
  readonly #verified: Cache<string, AccessTokenClaims>

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
    const cached = this.#verified.get(token)
    if (!cached) return undefined
    if (cached.exp * 1000 > this.#clock.now()) return { claims: cached }
    this.#verified.forget(token)
    return { reason: 'expired' }
  }

  /** The token's claims when it is valid now, or the reason it is not. */
  check(token: string): { claims: AccessTokenClaims } | { reason: string } {
    const known = this.checkKnown(token)
    if (known) return known
    const result = this.#tokens.verify(token)
    if (!result.valid) return { reason: result.reason }
    this.#verified.set(token, result.claims)
    return { claims: result.claims }
  }
}
