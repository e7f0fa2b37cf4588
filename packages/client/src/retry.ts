/** Waiting before asking again: `Retry-After` and capped exponential backoff with full jitter. */

/**
 * The wait that a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date
 * (relative to `wallNow`, never negative). `undefined` when absent or unreadable.
 * https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 *
 * @example
 * parseRetryAfter('120', Date.now()) // → 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.now()) // → 0 (in the past)
 * @throws Never: unreadable values give `undefined`.
 */
export function parseRetryAfter(value: string | null | undefined, wallNow: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP date always names the weekday; this keeps Date.parse from reading odd strings.
  if (!/^[A-Za-z]{3},/.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNow)
}

/** The shape of a backoff: the first wait's ceiling and the largest ceiling. */
export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

/** Token endpoint retries: ceilings of 1 s, 2 s, 4 s, … up to 5 minutes. */
export const TOKEN_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 1000, capMs: 300_000 })

/**
 * "Full jitter": a random wait between 0 and min(cap, base × 2^(attempt − 1)), so a fleet that
 * failed together does not retry together.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 *
 * @example
 * backoffDelay(3, TOKEN_BACKOFF, Math.random) // somewhere in [0, 4000)
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30))
  return Math.floor(random() * ceiling)
}

/** After a refusal (bad secret, scope not granted, …) the next request waits this long. */
export const PERMANENT_FAILURE_RETRY_MS = 60_000
/** A `Retry-After` longer than this (1 hour) is cut to it. */
export const MAX_TOKEN_RETRY_AFTER_MS = 3_600_000
/** No retry sooner than this: full jitter can draw 0. */
const MIN_RETRY_MS = 100

/**
 * How long to wait before the next token request after `attempt` failures in a row ending in
 * `error`: 60 s after a refusal (asking again at once cannot help); otherwise full-jitter backoff,
 * but never sooner than the server's `Retry-After` (itself capped at 1 hour).
 *
 * @example
 * tokenRetryDelay(error, 2, Math.random) // e.g. 1234
 */
export function tokenRetryDelay(
  error: { transient: boolean; retryAfterMs: number | undefined },
  attempt: number,
  random: () => number,
): number {
  const asked = Math.min(error.retryAfterMs ?? 0, MAX_TOKEN_RETRY_AFTER_MS)
  if (!error.transient) return Math.max(PERMANENT_FAILURE_RETRY_MS, asked)
  const backoff = Math.max(MIN_RETRY_MS, backoffDelay(attempt, TOKEN_BACKOFF, random))
  return Math.max(backoff, asked)
}
