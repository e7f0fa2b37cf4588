/**
 * `/<integration>/api/…` (any method): the credential-injecting proxy. Steps: find the
 * integration, check its local secret, read (or start streaming) the body, add the credential,
 * send, and on a 401 to an OAuth token invalidate it and replay once when the body was buffered;
 * then stream the answer back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AgentError } from '../../errors.ts'
import type { IntegrationRoute } from '../../state.ts'
import { type Labels, statusClass } from '../../telemetry/metrics.ts'
import { declaredEmptyBody, type RequestBody, readRequestBody } from '../../upstream/body.ts'
import { downstreamResponseHeaders, upstreamRequestHeaders } from '../../upstream/headers.ts'
import { sendUpstream, upstreamBase } from '../../upstream/request.ts'
import type { RequestContext } from '../context.ts'
import { credentialFor, type IntegrationCredential } from '../credential.ts'
import { authenticateIntegration } from '../local-auth.ts'

/**
 * The metric labels of a route, made once: the same objects on every request, so the metrics find
 * their series without serialising the labels again (metrics.ts keeps the key of each object).
 */
interface RouteLabels {
  upstream: Labels
  /** By status class. */
  requests: Map<string, Labels>
}

const routeLabels = new WeakMap<IntegrationRoute, RouteLabels>()

function labelsOf(route: IntegrationRoute): RouteLabels {
  let labels = routeLabels.get(route)
  if (labels === undefined) {
    labels = { upstream: { integration: route.name }, requests: new Map() }
    routeLabels.set(route, labels)
  }
  return labels
}

function requestLabels(route: IntegrationRoute, status: string): Labels {
  const { requests } = labelsOf(route)
  let labels = requests.get(status)
  if (labels === undefined) {
    labels = { integration: route.name, auth: route.auth, status_class: status }
    requests.set(status, labels)
  }
  return labels
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
  path: string,
  body: RequestBody,
  credential: IntegrationCredential,
): Promise<IncomingMessage> {
  const { req, deps } = context
  const started = deps.now()
  const bodyLength = body.kind === 'buffered' ? body.data.length : undefined
  const answer = await sendUpstream({
    instance: route.instance,
    base: upstreamBase(route.baseUrl),
    path,
    method: req.method ?? 'GET',
    headers: upstreamRequestHeaders(req.headers, credential.credential, bodyLength),
    body,
    agents: deps.networks.get(route.network).agents,
    timeoutMs: deps.upstreamTimeoutMs,
  })
  deps.metrics.upstreamSeconds.observe(labelsOf(route).upstream, (deps.now() - started) / 1000)
  return answer
}

/** Sends the request; after a 401 to an OAuth token, drops that token and replays once if it can. */
async function sendWithReplay(
  context: RequestContext,
  route: IntegrationRoute,
  path: string,
  body: RequestBody,
): Promise<IncomingMessage> {
  const first = await credentialFor(route)
  const answer = await exchange(context, route, path, body, first)
  if (answer.statusCode !== 401 || first.token === undefined) return answer
  // https://www.rfc-editor.org/rfc/rfc6750#section-3.1: invalid_token, the token expired or was revoked.
  route.tokens?.manager.invalidate(first.token)
  if (body.kind !== 'buffered') return answer // streamed: the body is gone, the 401 goes back as is
  answer.resume() // discard the 401's body so its connection can be reused
  context.deps.metrics.replays.inc({ integration: route.name })
  return exchange(context, route, path, body, await credentialFor(route))
}

/** Counts the request once answered: the metric by status class, the usage by resource#action. */
function countRequest(context: RequestContext, route: IntegrationRoute, apiPath: string): void {
  const { req, res, deps } = context
  res.once('close', function countProxied() {
    const status = res.headersSent ? statusClass(res.statusCode) : 'aborted'
    deps.metrics.requests.inc(requestLabels(route, status))
    deps.usage.record(route, req.method ?? 'GET', apiPath, res.headersSent ? res.statusCode : 0)
  })
}

/**
 * Streams the instance's answer to the client as it arrives, with backpressure (paused while the
 * client's socket is full). Settles nothing: `cut` runs once if the answer breaks off or the client
 * goes away before its end, after which both sides are destroyed.
 */
function forwardAnswer(answer: IncomingMessage, res: ServerResponse, cut: (error: unknown) => void): void {
  if (answer.complete) {
    // The whole answer came in with its headers (a small one does): what node:http holds of it
    // goes out with the headers in one write, without a turn of the stream per chunk and for its
    // end. Reading it to the end frees the upstream connection for the next request.
    const chunks: Buffer[] = []
    for (let chunk = answer.read() as Buffer | null; chunk !== null; chunk = answer.read() as Buffer | null)
      chunks.push(chunk)
    res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
    return
  }
  let done = false
  function cutShort(error: unknown): void {
    if (done) return
    done = true
    cut(error)
    answer.destroy()
    res.destroy()
  }
  answer.on('data', function forwardChunk(chunk: Buffer) {
    if (!res.write(chunk)) answer.pause()
  })
  res.on('drain', function clientDrained() {
    answer.resume()
  })
  answer.once('end', function answerEnded() {
    done = true
    res.end()
  })
  answer.once('error', cutShort)
  answer.once('close', function answerClosed() {
    if (!answer.complete) cutShort(new Error('the instance broke off its answer'))
  })
  res.once('close', function clientClosed() {
    if (!res.writableFinished) cutShort(new Error('the client went away before the end of the answer'))
  })
}

export async function proxy(context: RequestContext, name: string, rest: string): Promise<void> {
  const { req, res, deps } = context
  const route = authenticateIntegration(context, name)
  const apiPath = checkedApiPath(rest, route)
  // The path as parsed (dot segments resolved, encoded), under the instance URL's path.
  const path = `${upstreamBase(route.baseUrl).prefix}${apiPath}${context.target.search}`
  countRequest(context, route, apiPath)
  let body = declaredEmptyBody(req)
  if (body === undefined) {
    try {
      body = await readRequestBody(req, deps.replayLimit)
    } catch {
      res.destroy() // the client went away while sending: nobody to answer
      return
    }
  }
  const answer = await sendWithReplay(context, route, path, body)
  res.writeHead(answer.statusCode ?? 502, downstreamResponseHeaders(answer.rawHeaders))
  // The client went away, or the instance broke off: either way the answer is cut short.
  forwardAnswer(answer, res, (error) =>
    deps.logger.debug({ integration: route.name, error }, 'proxied answer cut short'),
  )
}
