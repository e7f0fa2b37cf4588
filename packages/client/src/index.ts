/**
 * @keyshift/client: the middleware side of the move from API keys to OAuth 2.0 client credentials.
 * A token manager that creates the token and refreshes it every 20 hours, and an API client that
 * calls the core API with it. Plain RFC 6749: works against a Coupa instance or a Keyshift one.
 * Helpers a user does not need are in `@keyshift/client/internal`.
 *
 * @example
 * import { createApiClient, createTokenManager } from '@keyshift/client'
 * const tokens = createTokenManager({ tokenUrl, clientId, clientSecret, scope: 'core.invoice.read core.common.read' })
 * const coupa = createApiClient({ baseUrl: 'https://acme.coupahost.com', tokens })
 * for await (const invoice of coupa.list('invoices', { status: 'approved' })) console.log(invoice)
 */
export { type ApiClient, type ApiClientOptions, createApiClient } from './api-client.ts'
export { ApiError, type ApiErrorDetails } from './api-error.ts'
export type { CallOptions, TokenSource } from './api-request.ts'
export type { ApiFormat } from './api-response.ts'
export type { Query } from './api-url.ts'
export {
  type ClientAuthMethod,
  type ClientCredentialsRequestOptions,
  type ClientCredentialsResponse,
  clientCredentialsRequest,
  type ProcessResponseOptions,
  processClientCredentialsResponse,
} from './client-credentials.ts'
export { type Clock, systemClock, type TimerHandle } from './clock.ts'
export {
  API_ERROR_CODES,
  type ApiErrorCode,
  ClientError,
  ERROR_CODES,
  type ErrorCode,
  TOKEN_ERROR_CODES,
  TokenError,
  type TokenErrorCode,
  type TokenErrorDetails,
} from './errors.ts'
export { createFileTokenStore, type FileTokenStoreOptions } from './file-token-store.ts'
export type { FetchLike } from './http.ts'
export type { Logger } from './logger.ts'
export {
  type NoProxyRule,
  type ProxyEnv,
  type ProxyOption,
  type ProxyRules,
  parseNoProxy,
  parseProxyUrl,
  proxyForUrl,
  proxyRulesFor,
  proxyRulesFromEnv,
  redactProxyUrl,
} from './proxy.ts'
export { createProxyFetch } from './proxy-fetch.ts'
export { COUPA_RATE_LIMIT, createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.ts'
export { tokenFingerprint } from './token-key.ts'
export { createTokenManager } from './token-manager.ts'
export type { TokenManagerOptions } from './token-manager-options.ts'
export type {
  InvalidatedEvent,
  RefreshFailedEvent,
  StaleEvent,
  TokenEvent,
  TokenManager,
  TokenManagerEvents,
} from './token-manager-types.ts'
export { createMemoryTokenStore, type StoredToken, type TokenStore } from './token-store.ts'
