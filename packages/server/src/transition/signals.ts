import type { Clock } from '../contract/clock.ts'
import type { ApiKeyRecord } from '../contract/records.ts'
import { iso } from '../contract/views.ts'
import { linkTarget, type TransitionSettings } from './settings.ts'

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
 *
 * The headers are built here, while the request is authenticated and before any handler writes,
 * and only from checked values: whatever the store holds (a value written by an older version, or
 * by hand), each header is a valid field value, or is left out. A header Node refuses would fail
 * the answer after the write committed.
 */
export function createApiKeySignals({ settings, clock, realm }: ApiKeySignalsOptions) {
  // The settings change rarely and every API-key call reads them: the Link is encoded once per change.
  let linkOf: { url: string | null; target: string | undefined } = { url: null, target: undefined }
  const target = (url: string | null) => {
    if (url !== linkOf.url) linkOf = { url, target: url === null ? undefined : linkTarget(url) }
    return linkOf.target
  }
  return function apiKeySignal(key: ApiKeyRecord): { headers: Record<string, string>; refusal?: string } {
    const { deprecationAt, sunsetAt, documentationUrl } = settings.current
    const deprecation = key.deprecationAt ?? deprecationAt
    const sunset = key.sunsetAt ?? sunsetAt
    const link = target(documentationUrl)
    const headers: Record<string, string> = {}
    // https://www.rfc-editor.org/rfc/rfc9745#section-2.1 : an RFC 9651 Date, `@` and Unix seconds.
    if (isSignalDate(deprecation)) headers.deprecation = `@${Math.floor(deprecation / 1000)}`
    // https://www.rfc-editor.org/rfc/rfc8594#section-3 : an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7).
    if (isSignalDate(sunset)) headers.sunset = new Date(sunset).toUTCString()
    // https://www.rfc-editor.org/rfc/rfc9745#section-3 : the `deprecation` link relation, in the
    // syntax of https://www.rfc-editor.org/rfc/rfc8288#section-3 (the target percent-encoded).
    if (link !== undefined) headers.link = `<${link}>; rel="deprecation"; type="text/html"`
    const brownout = settings.activeBrownout(key.id, clock.now())
    if (!brownout) return { headers }
    const moveTo = link ?? `${realm}/oauth2/token`
    const refusal = `API keys are switched off for a brownout until ${iso(brownout.endsAt)}; move to OAuth 2.0: ${moveTo}`
    return { headers, refusal }
  }
}

/** The first and last instants an IMF-fixdate can write (its year has four digits). */
const FIRST_DATE = Date.parse('0000-01-01T00:00:00.000Z')
const LAST_DATE = Date.parse('9999-12-31T23:59:59.999Z')

/** A date a Deprecation or Sunset header can carry: from year 0000 to 9999. */
function isSignalDate(ms: number | null): ms is number {
  return ms !== null && Number.isFinite(ms) && ms >= FIRST_DATE && ms <= LAST_DATE
}
