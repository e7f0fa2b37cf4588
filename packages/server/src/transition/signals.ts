import type { FastifyReply } from 'fastify'
import { ApiError } from '../auth/principal.ts'
import type { Clock } from '../clock.ts'
import type { ApiKeyRecord } from '../store/store.ts'
import type { TransitionSettings } from './settings.ts'
import { iso } from './time.ts'

/** Applied to every authenticated API-key call: the deprecation signals, then the brownout check. */
export type ApiKeySignals = (key: ApiKeyRecord, reply: FastifyReply) => void

export interface ApiKeySignalsOptions {
  settings: Pick<TransitionSettings, 'current' | 'activeBrownout'>
  clock: Clock
  /** The instance's issuer: the realm of the challenge and the base of the token endpoint. */
  realm: string
}

/**
 * Tells API-key integrations that the keys are going away, from the in-memory settings (no I/O):
 * the key's own dates win over the instance's. During a brownout the call is refused with 401, not
 * 429, so that integrations do not simply retry.
 */
export function createApiKeySignals({ settings, clock, realm }: ApiKeySignalsOptions): ApiKeySignals {
  return function applyApiKeySignals(key, reply) {
    const { deprecationAt, sunsetAt, documentationUrl } = settings.current
    const deprecation = key.deprecationAt ?? deprecationAt
    const sunset = key.sunsetAt ?? sunsetAt
    // https://www.rfc-editor.org/rfc/rfc9745#section-2.1 : an RFC 9651 Date, `@` and Unix seconds.
    if (deprecation !== null) reply.header('deprecation', `@${Math.floor(deprecation / 1000)}`)
    // https://www.rfc-editor.org/rfc/rfc8594#section-3 : an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7).
    if (sunset !== null) reply.header('sunset', new Date(sunset).toUTCString())
    // https://www.rfc-editor.org/rfc/rfc9745#section-3 : the `deprecation` link relation.
    if (documentationUrl !== null) {
      reply.header('link', `<${documentationUrl}>; rel="deprecation"; type="text/html"`)
    }
    const brownout = settings.activeBrownout(key.id, clock.now())
    if (brownout) throw brownoutError(brownout.endsAt, documentationUrl ?? `${realm}/oauth2/token`, realm)
  }
}

function brownoutError(until: number, moveTo: string, realm: string): ApiError {
  const error = new ApiError(401, [
    `API keys are switched off for a brownout until ${iso(until)}; move to OAuth 2.0: ${moveTo}`,
  ])
  error.errorKey = 'api_key_brownout'
  // https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2 : a 401 carries a challenge, the one to move to.
  error.headers['www-authenticate'] = `Bearer realm="${realm}"`
  return error
}
