import type { Clock } from '../contract/clock.ts'

export interface RateLimitOptions {
  clock: Clock
  /** Sustained requests per second (default 25, Coupa's limit). */
  perSecond?: number
  /** Requests allowed at once above the sustained rate (default 20, Coupa's burst). */
  burst?: number
}

/**
 * A token bucket per principal: `burst` requests at once, refilled at `perSecond`.
 * Coupa: "25 requests per second and a burst query limit of 20 calls", then 429.
 */
export class RateLimiter {
  readonly #clock: Clock
  readonly #perSecond: number
  readonly #burst: number
  readonly #buckets = new Map<string, { tokens: number; at: number }>()

  constructor({ clock, perSecond = 25, burst = 20 }: RateLimitOptions) {
    this.#clock = clock
    this.#perSecond = perSecond
    this.#burst = burst
  }

  /** The limit in words, for the 429 answer: `25 per second with a burst of 20`. */
  describe(): string {
    return `${this.#perSecond} per second with a burst of ${this.#burst}`
  }

  /** 0 when the request may go ahead (and is counted), else the seconds to wait. */
  take(principal: string): number {
    const now = this.#clock.now()
    let bucket = this.#buckets.get(principal)
    if (!bucket) {
      if (this.#buckets.size >= 100_000) this.#buckets.clear()
      bucket = { tokens: this.#burst, at: now }
      this.#buckets.set(principal, bucket)
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond)
    bucket.at = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perSecond))
  }
}
