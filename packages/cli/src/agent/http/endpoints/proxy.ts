/**
 * `/<integration>/api/…` (any method): the credential-injecting proxy. Steps: find the
 * integration, check its local secret, read (or start streaming) the body, add the credential,
 * send, and on a 401 to an OAuth token invalidate it and replay once when the body was buffered;
 * then stream the answer back.
 */
import type { IncomingMessage } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { joinPath } from '../../../net.ts'
import { AgentError } from '../../errors.ts'
import type { IntegrationRoute } from '../../state.ts'
import { statusClass } from '../../telemetry/metrics.ts'
import { type RequestBody, readRequestBody } from '../../upstream/body.ts'
import { downstreamResponseHeaders, upstreamRequestHeaders } from '../../upstream/headers.ts'
import { sendUpstream } from '../../upstream/request.ts'
import type { RequestContext } from '../context.ts'
import { credentialFor, type IntegrationCredential } from '../credential.ts'
import { authenticateIntegration } from '../local-auth.ts'

/** `<instance URL>/api/…?query`, keeping a path prefix of the instance URL. */
function upstreamUrl(base: URL, apiPath: string, search: string): URL {
  const url = joinPath(base, apiPath)
  url.search = search
  return url
}

function checkedApiPath(rest: string, route: IntegrationRoute): string {
  if (rest === '/api' || rest.startsWith('/api/')) return rest
  throw new AgentError(
    'KS_AGENT_NOT_FOUND',
    `only /${route.name}/api/… is proxied to instance ${route.instance}`,
  )
}

async function exchange(
  context: RequestContext,
  route: IntegrationRoute,
  target: URL,
  body: RequestBody,
  credential: IntegrationCredential,
): Promise<IncomingMessage> {
  const { req, deps } = context
  const started = deps.now()
  const bodyLength = body.kind === 'buffered' ? body.data.length : undefined
  const answer = await sendUpstream({
    instance: route.instance,
    url: target,
    method: req.method ?? 'GET',
    headers: upstreamRequestHeaders(req.headers, credential.credential, bodyLength),
    body,
    agents: deps.networks.get(route.network).agents,
    timeoutMs: deps.upstreamTimeoutMs,
  })
  deps.metrics.upstreamSeconds.observe({ integration: route.name }, (deps.now() - started) / 1000)
  return answer
}

/** Sends the request; after a 401 to an OAuth token, drops that token and replays once if it can. */
async function sendWithReplay(
  context: RequestContext,
  route: IntegrationRoute,
  target: URL,
  body: RequestBody,
): Promise<IncomingMessage> {
  const first = await credentialFor(route)
  const answer = await exchange(context, route, target, body, first)
  if (answer.statusCode !== 401 || first.token === undefined) return answer
  // https://www.rfc-editor.org/rfc/rfc6750#section-3.1: invalid_token, the token expired or was revoked.
  route.tokens?.manager.invalidate(first.token)
  if (body.kind !== 'buffered') return answer // streamed: the body is gone, the 401 goes back as is
  answer.resume() // discard the 401's body so its connection can be reused
  context.deps.metrics.replays.inc({ integration: route.name })
  return exchange(context, route, target, body, await credentialFor(route))
}

/** Counts the request once answered: the metric by status class, the usage by resource#action. */
function countRequest(context: RequestContext, route: IntegrationRoute, apiPath: string): void {
  const { req, res, deps } = context
  res.once('close', function countProxied() {
    const status = res.headersSent ? statusClass(res.statusCode) : 'aborted'
    deps.metrics.requests.inc({ integration: route.name, auth: route.auth, status_class: status })
    deps.usage.record(route, req.method ?? 'GET', apiPath, res.headersSent ? res.statusCode : 0)
  })
}

export async function proxy(context: RequestContext, name: string, rest: string): Promise<void> {
  const { req, res, deps } = context
  const route = authenticateIntegration(context, name)
  const apiPath = checkedApiPath(rest, route)
  const target = upstreamUrl(route.baseUrl, apiPath, context.url.search)
  countRequest(context, route, apiPath)
  let body: RequestBody
  try {
    body = await readRequestBody(req, deps.replayLimit)
  } catch {
    res.destroy() // the client went away while sending: nobody to answer
    return
  }
  const answer = await sendWithReplay(context, route, target, body)
  res.writeHead(answer.statusCode ?? 502, downstreamResponseHeaders(answer.headers))
  try {
    await pipeline(answer, res)
  } catch (error) {
    // The client went away, or the instance broke off: either way the answer is cut short.
    deps.logger.debug({ integration: route.name, error }, 'proxied answer cut short')
    res.destroy()
  }
}
