/**
 * `@keyshift/client/internal`: helpers the library uses inside, reachable for Keyshift's own tools
 * and tests. Not part of the library's API: a name here may change or go without notice. A user of
 * the library needs only `@keyshift/client`.
 */
export { MAX_PAGE_SIZE } from './api-client.ts'
export { bearerChallenge, coupaErrors } from './api-response.ts'
export { queryString } from './api-url.ts'
export { basicAuthorization } from './client-credentials.ts'
export { MAX_TIMER_DELAY_MS } from './clock.ts'
export {
  DEFAULT_EXPIRES_IN_S,
  DEFAULT_REFRESH_AFTER_S,
  HARD_EXPIRY_MARGIN_MS,
  MAX_EXPIRES_IN_S,
  tokenLifetime,
} from './lifetime.ts'
export { parseRetryAfter } from './retry.ts'
export { normalizeScope, tokenCacheKey } from './token-key.ts'
export { readStoredToken } from './token-store.ts'
