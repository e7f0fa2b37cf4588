import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { ClientService } from '../clients/service.ts'
import type { OAuthClientRecord } from '../contract/records.ts'
import { InvalidClientError, invalidRequest, OAuthError, TooManyAttemptsError } from './errors.ts'
import type { FormParams } from './form.ts'
import type { AuthThrottle } from './throttle.ts'

export interface ClientAuthDeps {
  clients: ClientService
  throttle: AuthThrottle
  /** Realm of the `WWW-Authenticate: Basic` challenge: the issuer. */
  realm: string
}

/**
 * What client authentication reads of a request: a Fastify request, or the one the token endpoint
 * builds when it serves a request straight from node:http (endpoints/token-direct.ts).
 */
export interface AuthenticatingRequest {
  readonly headers: { readonly authorization?: string | undefined }
  /** The peer's address, as Fastify's `request.ip` without a trusted proxy. */
  readonly ip: string
  readonly log: Pick<FastifyBaseLogger, 'info'>
}

interface PresentedCredentials {
  clientId: string
  secret: string
  usedBasic: boolean
}

/**
 * Authenticates the client of an OAuth request with client_secret_basic or client_secret_post
 * (https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1). The secret is checked first: it is 256
 * random bits, checked with one HMAC against a cached client, so checking costs nothing worth
 * saving and the odds of a guess are nil. The right secret therefore always passes, from any
 * address, whatever was guessed before (the client id is public: a lock-out on it would let anyone
 * deny the real client, RFC 6819 §5.1.4.2.3). Only failures meet the throttle: they are counted,
 * slowed, then answered 429 instead of 401 (https://www.rfc-editor.org/rfc/rfc6749#section-5.2).
 */
export async function authenticateClient(
  request: AuthenticatingRequest,
  params: FormParams,
  deps: ClientAuthDeps,
): Promise<OAuthClientRecord> {
  const credentials = readCredentials(request.headers.authorization, params, deps.realm)
  const address = request.ip
  const result = await deps.clients.authenticate(credentials.clientId, credentials.secret)
  if (result.ok) {
    deps.throttle.succeeded(address, result.client.clientId)
    return result.client
  }
  // Counted under at most 64 characters of the id (real ids have 32): a 16 KiB client_id costs the
  // throttle's maps no more than a real one.
  await refuseOrSlow(address, credentials.clientId.slice(0, 64), deps.throttle)
  request.log.info(
    { client_id: credentials.clientId.slice(0, 64), reason: result.reason },
    'client authentication failed',
  )
  throw new InvalidClientError(result.reason, credentials.usedBasic, deps.realm)
}

/** A failed authentication: throws 429 when the throttle refuses it, else counts it and waits. */
async function refuseOrSlow(address: string, clientId: string, throttle: AuthThrottle): Promise<void> {
  const retryAfter = throttle.retryAfter(address, clientId)
  if (retryAfter > 0) throw new TooManyAttemptsError(retryAfter)
  const delay = throttle.failed(address, clientId)
  if (delay > 0) await sleep(delay)
}

function readCredentials(
  authorization: string | undefined,
  params: FormParams,
  realm: string,
): PresentedCredentials {
  if (authorization !== undefined) {
    const basic = parseBasic(authorization)
    // https://www.rfc-editor.org/rfc/rfc6749#section-2.3 : "The client MUST NOT use more than one authentication method in each request."
    if (params.client_secret !== undefined) {
      throw invalidRequest(
        'use one client authentication method: HTTP Basic or client_secret in the body, not both',
      )
    }
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      throw invalidRequest('client_id in the body differs from the client of the Authorization header')
    }
    return { ...basic, usedBasic: true }
  }
  if (params.client_id === undefined || params.client_secret === undefined) {
    const error = new OAuthError(
      'invalid_client',
      'client authentication is missing: send client_id and client_secret in the body, or use HTTP Basic',
      401,
    )
    error.headers['www-authenticate'] = `Basic realm="${realm}", charset="UTF-8"`
    throw error
  }
  return { clientId: params.client_id, secret: params.client_secret, usedBasic: false }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** `Basic base64(urlencode(id) ":" urlencode(secret))` https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 */
function parseBasic(authorization: string): { clientId: string; secret: string } {
  const [scheme, encoded, ...rest] = authorization.trim().split(/\s+/)
  if (scheme?.toLowerCase() !== 'basic' || !encoded || rest.length > 0 || !BASE64.test(encoded)) {
    throw invalidRequest('the Authorization header must be "Basic <base64(client_id:client_secret)>"')
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) throw invalidRequest('the Basic credentials must be client_id:client_secret')
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    }
  } catch {
    throw invalidRequest('the Basic credentials are not correctly form-urlencoded')
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '))
}
