import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { RequestLogger } from '../../http/request-logger.ts'
import type { AuthenticatingRequest } from '../client-auth.ts'
import { oauthErrorResponse } from '../error-handler.ts'
import { FORM_BODY_LIMIT, parseFormBody } from '../form.ts'
import type { OAuthDeps } from './deps.ts'
import { tokenResponseBody, tokenResponseHeaders } from './token.ts'

/** The two ways clients type a form: curl and most libraries, and fetch (undici) with URLSearchParams. */
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded;charset=UTF-8',
])

/**
 * The token endpoint served straight from node:http, before Fastify routes the request: Fastify's
 * request and reply objects, its hooks and its body reading cost about a tenth of the endpoint's
 * throughput, which is what a token endpoint signing with node:crypto may lose to a bare server
 * (the `bare-es256` goal of `npm run bench`). Only a plain request is served here: POST to the
 * exact path, a form body of one of `FORM_TYPES` with a Content-Length of at most
 * `FORM_BODY_LIMIT`. Anything else (a query string, another type, a chunked or empty body) goes on
 * to Fastify's route (token.ts), which answers it as the endpoint always has. Both answer with
 * `tokenResponseBody` and `oauthErrorResponse`, so a request gets the same answer either way
 * (test/oauth/token-direct.test.ts sends the same requests both ways).
 *
 * Returns a listener that answers true when it took the request.
 */
export function directTokenRequests(
  deps: OAuthDeps,
  logger: Logger,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  let served = 0
  return function serveTokenRequest(request, response) {
    if (request.method !== 'POST' || request.url !== '/oauth2/token') return false
    const { headers } = request
    if (!FORM_TYPES.has(headers['content-type'] ?? '') || headers['transfer-encoding'] !== undefined)
      return false
    const length = Number(headers['content-length'])
    if (!(length > 0 && length <= FORM_BODY_LIMIT)) return false
    const client = new DirectTokenRequest(headers, request.socket.remoteAddress ?? '', logger, ++served)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      // Decoded as Fastify's form parser decodes it (as UTF-8), once all of it is here.
      const body = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8')
      answer(response, client, () => tokenResponseBody(client, parseFormBody(body), deps))
    })
    return true
  }
}

/**
 * What the endpoint reads of a request served here: its headers, its peer's address and a logger
 * made only when a line is written (a token that is issued writes none). A class, not an object
 * literal with a getter: V8 builds such a literal in its runtime, in the old generation, where it
 * kept every request's headers and strings alive until the next full collection (2 MB promoted
 * per scavenge under load, scavenges 4 to 7 times longer; `node --trace-gc`).
 */
class DirectTokenRequest implements AuthenticatingRequest {
  readonly headers: IncomingHttpHeaders
  readonly ip: string
  readonly #logger: Logger
  readonly #id: number
  #log: RequestLogger | undefined

  constructor(headers: IncomingHttpHeaders, ip: string, logger: Logger, id: number) {
    this.headers = headers
    this.ip = ip
    this.#logger = logger
    this.#id = id
  }

  get log(): RequestLogger {
    this.#log ??= new RequestLogger(this.#logger, { reqId: `token-${this.#id.toString(36)}` }, {})
    return this.#log
  }
}

function answer(response: ServerResponse, client: DirectTokenRequest, respond: () => Promise<string>): void {
  let pending: Promise<string>
  try {
    pending = respond()
  } catch (error) {
    pending = Promise.reject(error)
  }
  pending.then(
    (body) => {
      response.writeHead(200, tokenResponseHeaders(body)).end(body)
    },
    (error: unknown) => {
      const { status, headers, body } = oauthErrorResponse(error)
      if (status >= 500) client.log.error({ err: error }, 'request failed')
      response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body)
    },
  )
}
