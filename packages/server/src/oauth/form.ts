import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invalidRequest, OAuthError } from './errors.ts'

/** Largest form body the OAuth endpoints read; larger ones are refused with 413. */
export const FORM_BODY_LIMIT = 16 * 1024

export type FormParams = Readonly<Record<string, string>>

/**
 * Makes the OAuth endpoints read only `application/x-www-form-urlencoded` bodies.
 * https://www.rfc-editor.org/rfc/rfc6749#section-3.2 : "Parameters sent without a value MUST be
 * treated as if they were omitted" and "Request and response parameters MUST NOT be included
 * more than once."
 */
export function acceptOnlyForms(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    function parseForm(_request, body, done) {
      try {
        done(null, parseFormBody(String(body)))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )
  app.addContentTypeParser('*', function refuseOtherBodies(request, _payload, done) {
    const type = request.headers['content-type']
    const got =
      type === undefined ? 'the request has no Content-Type' : `not ${JSON.stringify(type.slice(0, 100))}`
    done(invalidRequest(`the body must be application/x-www-form-urlencoded, ${got}`), undefined)
  })
}

export function parseFormBody(body: string): FormParams {
  const params: Record<string, string> = Object.create(null)
  const seen = new Set<string>()
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) throw invalidRequest(`parameter ${JSON.stringify(name.slice(0, 64))} is repeated`)
    seen.add(name)
    if (value !== '') params[name] = value
  }
  return params
}

/** The parsed form of a request; an empty body reads as no parameters. */
export function formParams(request: FastifyRequest): FormParams {
  refuseSecretsInUrl(request)
  return (request.body as FormParams | undefined) ?? {}
}

/** https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 : credentials "MUST NOT be included in the request URI". */
function refuseSecretsInUrl(request: FastifyRequest): void {
  const query = request.url.indexOf('?')
  if (query === -1) return
  const names = new URLSearchParams(request.url.slice(query + 1))
  for (const name of ['client_secret', 'token', 'access_token']) {
    if (names.has(name)) {
      throw new OAuthError(
        'invalid_request',
        `${name} must be sent in the form-encoded body (or HTTP Basic), never in the URL, where proxies and logs keep it`,
      )
    }
  }
}
