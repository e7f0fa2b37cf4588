import type { Clock } from '../contract/clock.ts'
import type { ApiKeyRecord } from '../contract/records.ts'
import { iso } from '../contract/views.ts'
import type { TransitionSettings } from './settings.ts'

export interface ApiKeySignalsOptions {
  settings: Pick<TransitionSettings, 'current' | 'activeBrownout'>
  clock: Clock
  /** The instance's issuer: the base of the token endpoint to move to. */
  realm: string
}

/**
 * What to tell an API-key call that the keys are going away, from the in-memory settings (no I/O):
 * the key's own dates win over the instance's. During a brownout the answer is a refusal, which
 * the API answers with 401, not 429, so that integrations do not simply retry.
 */
export function createApiKeySignals({ settings, clock, realm }: ApiKeySignalsOptions) {
  return function apiKeySignal(key: ApiKeyRecord): { headers: Record<string, string>; refusal?: string } {
    const { deprecationAt, sunsetAt, documentationUrl } = settings.current
    const deprecation = key.deprecationAt ?? deprecationAt
    const sunset = key.sunsetAt ?? sunsetAt
    const headers: Record<string, string> = {}
    // https://www.rfc-editor.org/rfc/rfc9745#section-2.1 : an RFC 9651 Date, `@` and Unix seconds.
    if (deprecation !== null) headers.deprecation = `@${Math.floor(deprecation / 1000)}`
    // https://www.rfc-editor.org/rfc/rfc8594#section-3 : an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7).
    if (sunset !== null) headers.sunset = new Date(sunset).toUTCString()
    // https://www.rfc-editor.org/rfc/rfc9745#section-3 : the `deprecation` link relation.
    if (documentationUrl !== null) headers.link = `<${documentationUrl}>; rel="deprecation"; type="text/html"`
    const brownout = settings.activeBrownout(key.id, clock.now())
    if (!brownout) return { headers }
    const moveTo = documentationUrl ?? `${realm}/oauth2/token`
    const refusal = `API keys are switched off for a brownout until ${iso(brownout.endsAt)}; move to OAuth 2.0: ${moveTo}`
    return { headers, refusal }
  }
}
