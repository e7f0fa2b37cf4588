import pino, { type DestinationStream, type Logger } from 'pino'

export interface LoggerOptions {
  level?: string
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream
}

// Query parameters whose values never reach a log line.
const SECRET_PARAMS = /([?&](?:client_secret|token|access_token|password|api_key|key)=)[^&#]*/gi

/** Removes secret values from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[REDACTED]')
}

/**
 * The instance's logger: JSON lines (pino). Requests are logged by method, redacted URL and
 * address only, never headers or bodies, so secrets and tokens cannot reach the log; the redact
 * list is a second line of defence for anything logged by field name.
 */
export function createLogger({ level = 'info', destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-coupa-api-key"]',
          '*.client_secret',
          '*.password',
          '*.access_token',
          '*.token',
          'client_secret',
          'password',
          'access_token',
          'token',
        ],
        censor: '[REDACTED]',
      },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string }) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // Error messages may quote a URL (Fastify's do): redact them like URLs.
        err: (error: Error) => {
          const serialized = pino.stdSerializers.err(error)
          return { ...serialized, message: redactUrl(serialized.message), stack: redactUrl(serialized.stack) }
        },
      },
    },
    destination,
  )
}
