/**
 * The logger the library writes to: pino's shape (`logger.warn({ fields }, 'message')`), so a pino
 * logger or a child of one fits as is. The library never logs a secret or a token, only a token's
 * fingerprint.
 *
 * @example
 * import pino from 'pino'
 * const tokens = createTokenManager({ ...options, logger: pino().child({ component: 'coupa-tokens' }) })
 */
export interface Logger {
  debug(fields: object, message?: string): void
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
  error(fields: object, message?: string): void
}

function ignore(): void {}

/** A logger that drops everything: the default. */
export function silentLogger(): Logger {
  return { debug: ignore, info: ignore, warn: ignore, error: ignore }
}
