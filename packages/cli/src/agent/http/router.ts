/**
 * The local service's request handler: takes the current snapshot, routes to one endpoint, and
 * renders whatever it throws in one place.
 *
 *   GET  /healthz                  token state of every client
 *   GET  /metrics                  Prometheus text
 *   GET  /v1/tokens/<integration>  the integration's access token
 *   GET  /v1/usage                 what the agent counted of the calls it proxied
 *   ANY  /<integration>/api/…      proxied to <instance URL>/api/… with the credential added
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AgentError } from '../errors.ts'
import { type AgentState, enterState, leaveState } from '../state.ts'
import type { RequestContext, ServiceDeps } from './context.ts'
import { health } from './endpoints/health.ts'
import { metrics } from './endpoints/metrics.ts'
import { proxy } from './endpoints/proxy.ts'
import { tokens } from './endpoints/tokens.ts'
import { usage } from './endpoints/usage.ts'
import { renderHttpError } from './respond.ts'
import { type RequestTarget, requestTarget } from './target.ts'

function notFound(): AgentError {
  return new AgentError(
    'KS_AGENT_NOT_FOUND',
    'no such endpoint: use /<integration>/api/…, /v1/tokens/<integration>, /v1/usage, /healthz or /metrics',
  )
}

function onlyGet(req: IncomingMessage): void {
  if (req.method === 'GET' || req.method === 'HEAD') return
  throw new AgentError('KS_AGENT_METHOD_NOT_ALLOWED', `use GET for this endpoint`, {
    headers: { allow: 'GET, HEAD' },
  })
}

async function route(context: RequestContext): Promise<void> {
  const path = context.target.pathname
  if (path === '/healthz') {
    onlyGet(context.req)
    return health(context)
  }
  if (path === '/metrics') {
    onlyGet(context.req)
    return metrics(context)
  }
  if (path === '/v1/usage') {
    onlyGet(context.req)
    return usage(context)
  }
  const token = /^\/v1\/tokens\/([^/]+)$/.exec(path)
  if (token !== null) return tokens(context, token[1] as string)
  const proxied = /^\/([^/]+)(\/.*)?$/.exec(path)
  if (proxied !== null && proxied[1] !== 'v1') return proxy(context, proxied[1] as string, proxied[2] ?? '')
  throw notFound()
}

/** A node:http request listener serving `currentState()` at the time each request arrives. */
export function createRequestHandler(
  currentState: () => AgentState,
  deps: ServiceDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return function handleRequest(req, res) {
    const state = currentState()
    const started = deps.now()
    enterState(state)
    res.once('close', function requestDone() {
      leaveState(state)
      if (!deps.logger.enabled('debug')) return
      deps.logger.debug(
        {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: deps.now() - started,
        },
        'request',
      )
    })
    let target: RequestTarget
    try {
      target = requestTarget(req)
    } catch (error) {
      renderHttpError(res, error, deps.logger)
      return
    }
    route({ req, res, state, deps, target }).catch((error: unknown) =>
      renderHttpError(res, error, deps.logger),
    )
  }
}
