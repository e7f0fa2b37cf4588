/**
 * The token manager: one cached token for one key (token URL, client, secret, scope set), handed
 * out from memory, refreshed in the background at 20 h (5/6 of shorter lifetimes) while the old one
 * is still served, asked for once however many callers wait (single-flight). How: the state
 * machine of token-manager-state.ts (the states and a table of their moves) and
 * token-manager-machine.ts (the moves).
 */
import { createEmitter } from './events.ts'
import { TokenManagerMachine } from './token-manager-machine.ts'
import { resolveTokenManagerOptions, type TokenManagerOptions } from './token-manager-options.ts'
import type { TokenManager, TokenManagerEvents } from './token-manager-types.ts'

/**
 * Creates a token manager for the client credentials grant (RFC 6749 §4.4).
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` when an option is wrong (nothing is sent).
 * @example
 * const tokens = createTokenManager({
 *   tokenUrl: 'https://acme.coupahost.com/oauth2/token',
 *   clientId, clientSecret,
 *   scope: 'core.invoice.read core.common.read',
 *   store: createFileTokenStore('/var/lib/app/coupa-tokens.json'),
 * })
 * const token = await tokens.getToken()
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const config = resolveTokenManagerOptions(options)
  const emitter = createEmitter<TokenManagerEvents>(config.logger)
  const machine = new TokenManagerMachine(config, function report(event, payload, level, message) {
    emitter.emit(event, payload)
    config.logger[level](payload, message)
  })
  // Plain functions, not methods: callers may pass `tokens.getToken` around on its own.
  const manager: TokenManager = {
    getToken: () => machine.getToken(),
    invalidate: (token) => machine.invalidate(token),
    close: () => machine.close(),
    on(event, listener) {
      emitter.on(event, listener)
      return manager
    },
    off(event, listener) {
      emitter.off(event, listener)
      return manager
    },
    key: config.key,
  }
  return manager
}
