import type { Clock } from '../contract/clock.ts'
import type { Store } from '../store/store.ts'
import type { AccessTokenClaims } from './access-tokens.ts'

/**
 * Revoked access tokens by `jti`, held in memory so that checking one costs a Map lookup.
 * `load()` re-reads the store: at start, when the store's change feed announces a revocation made
 * on another node, and on every tick of the fallback poll.
 */
export class Revocations {
  readonly #store: Store
  readonly #clock: Clock
  readonly #revoked = new Map<string, number>()

  constructor({ store, clock }: { store: Store; clock: Clock }) {
    this.#store = store
    this.#clock = clock
  }

  /**
   * Adds the revocations of the store and drops those whose token has expired. It never replaces
   * the set: a revocation is never undone, and one made here while the read ran must not be lost.
   */
  async load(): Promise<void> {
    const now = this.#clock.now()
    const records = await this.#store.listRevokedTokens(now)
    for (const r of records) this.#revoked.set(r.jti, r.expiresAt)
    for (const [jti, expiresAt] of this.#revoked) if (expiresAt <= now) this.#revoked.delete(jti)
  }

  /** Records the revocation durably before it resolves. https://www.rfc-editor.org/rfc/rfc7009#section-2.1 */
  async revoke(claims: AccessTokenClaims): Promise<void> {
    const expiresAt = claims.exp * 1000
    await this.#store.insertRevokedToken({
      jti: claims.jti,
      clientId: claims.client_id,
      expiresAt,
      revokedAt: this.#clock.now(),
    })
    this.#revoked.set(claims.jti, expiresAt)
  }

  isRevoked(jti: string): boolean {
    return this.#revoked.has(jti)
  }

  /** Drops revocations of tokens that have expired anyway. */
  purgeExpired(): Promise<number> {
    return this.#store.deleteExpiredRevocations(this.#clock.now())
  }
}
