/**
 * A client-side rate limiter, so one process stays inside Coupa's limit (25 requests per second,
 * bursts of 20) instead of finding it with 429s. A token bucket, written as GCRA: each request
 * reserves the next free slot, so waiters go out in order and never wake together.
 * https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */
import { type Clock, sleep } from './clock.ts'
import { invalidArgument } from './errors.ts'

/**
 * Rate and burst of a {@link RateLimiter}.
 * @example
 * createApiClient({ baseUrl, tokens, rateLimit: { perSecond: 10, burst: 5 } })
 */
export interface RateLimit {
  /** Sustained requests per second (Coupa: 25). */
  perSecond: number
  /** Requests that may go out at once after a quiet spell (Coupa: 20). */
  burst: number
}

/**
 * Coupa's documented limit.
 * @example
 * const shared = createRateLimiter(COUPA_RATE_LIMIT, systemClock())
 */
export const COUPA_RATE_LIMIT: RateLimit = Object.freeze({ perSecond: 25, burst: 20 })

/**
 * A limiter shared by the requests to one instance.
 * @example
 * const limiter = createRateLimiter(COUPA_RATE_LIMIT, systemClock())
 * const a = createApiClient({ baseUrl, tokens: readTokens, rateLimit: limiter })
 * const b = createApiClient({ baseUrl, tokens: writeTokens, rateLimit: limiter })
 */
export interface RateLimiter {
  /** Resolves when the caller may send one request (at once when the bucket has room). */
  take(): Promise<void>
  /** Holds every request until `ms` from now (the server answered 429), then sends at the sustained rate. */
  pause(ms: number): void
}

/**
 * A token-bucket limiter on `clock`. Give one limiter to every API client of the same instance to
 * share the instance's budget.
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` when `perSecond` or `burst` is not positive.
 * @example
 * const limiter = createRateLimiter({ perSecond: 25, burst: 20 }, systemClock())
 * await limiter.take() // then send
 */
export function createRateLimiter(limit: RateLimit | false, clock: Clock): RateLimiter {
  if (limit !== false) {
    const { perSecond, burst } = limit
    if (!(Number.isFinite(perSecond) && perSecond > 0) || !(Number.isInteger(burst) && burst >= 1)) {
      throw invalidArgument(
        'rateLimit needs perSecond > 0 and a whole burst >= 1, e.g. { perSecond: 25, burst: 20 }',
      )
    }
  }
  /** Milliseconds between requests at the sustained rate; 0 without a limit. */
  const interval = limit === false ? 0 : 1000 / limit.perSecond
  /** How far ahead of the sustained schedule a burst may run. */
  const tolerance = limit === false ? 0 : (limit.burst - 1) * interval
  /** Theoretical arrival time of the next request. */
  let tat = Number.NEGATIVE_INFINITY
  let pausedUntil = Number.NEGATIVE_INFINITY

  return {
    take: function takeSlot(): Promise<void> {
      const now = clock.now()
      const earliest = Math.max(now, pausedUntil)
      const sendAt = Math.max(earliest, tat - tolerance)
      tat = Math.max(tat, sendAt) + interval
      return sendAt > now ? sleep(clock, sendAt - now) : Promise.resolve()
    },
    pause: function pauseSending(ms: number): void {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms)
      // No burst right after a 429: the server's bucket is full.
      tat = Math.max(tat, pausedUntil + tolerance)
    },
  }
}
