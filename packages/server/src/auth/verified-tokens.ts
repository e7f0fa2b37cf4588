import type { Clock } from '../clock.ts'
import type { AccessTokenClaims, AccessTokens } from '../oauth/access-tokens.ts'

/**
 * Access tokens whose signature has been checked, by token, until they expire: an ES256
 * verification costs about 70 µs, a Map lookup well under one. Bounded: the oldest entry goes
 * when it is full. Revocation and client state are checked on every request, not cached here.
 */
export class VerifiedTokens {
  readonly #tokens: AccessTokens
  readonly #clock: Clock
  readonly #max: number
  readonly #verified = new Map<string, AccessTokenClaims>()

  constructor({ tokens, clock, max = 10_000 }: { tokens: AccessTokens; clock: Clock; max?: number }) {
    this.#tokens = tokens
    this.#clock = clock
    this.#max = max
  }

  /** The token's claims when it is valid now, or the reason it is not. */
  check(token: string): { claims: AccessTokenClaims } | { reason: string } {
    const cached = this.#verified.get(token)
    if (cached) {
      if (cached.exp * 1000 > this.#clock.now()) return { claims: cached }
      this.#verified.delete(token)
      return { reason: 'expired' }
    }
    const result = this.#tokens.verify(token)
    if (!result.valid) return { reason: result.reason }
    if (this.#verified.size >= this.#max) this.#verified.delete(this.#verified.keys().next().value as string)
    this.#verified.set(token, result.claims)
    return { claims: result.claims }
  }
}
