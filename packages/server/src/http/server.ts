import type { IncomingMessage, ServerResponse } from 'node:http'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify'
import type { Logger } from 'pino'
import {
  DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  limitConnectionsPerAddress,
} from './connections.ts'
import { ProblemError, problemErrorHandler } from './problem.ts'
import { requestLoggerFactory } from './request-logger.ts'

type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply

export interface HttpServerOptions {
  logger: Logger
  /**
   * The error format of each plugin by the path prefix it serves, for the one kind of request that
   * reaches no plugin: a URL Fastify cannot decode. Anything else is refused by its own plugin.
   */
  errorHandlersByPrefix: ReadonlyArray<{ prefix: string; handler: ErrorHandler }>
  /** How long an idle keep-alive connection stays open (default 5000 ms, Node's default). */
  keepAliveTimeoutMs?: number | undefined
  /** Open connections allowed from one remote address (default 256); false: no limit. */
  maxConnectionsPerAddress?: number | false | undefined
  /**
   * Serves some requests before Fastify routes them (the token endpoint's, token-direct.ts): true
   * when it took the request. Not while the server closes (Fastify answers 503 then), nor when debug
   * lines are written (Fastify's hook writes one per request).
   */
  serveFirst?: ((request: IncomingMessage, response: ServerResponse) => boolean) | undefined
}

/**
 * The Fastify server the plugins are registered on: timeouts that cut off slow clients, idle
 * connections closed after a few seconds and a limit of open connections per address
 * (connections.ts), one access-log line per request at debug level, and problem details for what
 * no plugin takes.
 */
export function createHttpServer({
  logger,
  errorHandlersByPrefix,
  keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
  maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  serveFirst,
}: HttpServerOptions): FastifyInstance {
  const handlerFor = (url: string) =>
    errorHandlersByPrefix.find(({ prefix }) => url.startsWith(prefix))?.handler ?? problemErrorHandler
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Slow or stalled requests are cut off instead of holding the server (slowloris): the whole
    // request within 30 s, its headers within 10 s, checked every second (Node checks every 30 s
    // by default, so a slow client could hold a socket for a minute).
    requestTimeout: 30_000,
    // An idle keep-alive connection is closed after this (Fastify's default, 72 s, lets idle
    // sockets pile up); the answers say so in `Keep-Alive: timeout=…`, which clients follow.
    keepAliveTimeout: keepAliveTimeoutMs,
    http: { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // No route means no onResponse hook: log those requests here.
    frameworkErrors: function frameworkError(error, request, reply) {
      request.log.debug({ req: request, code: error.code }, 'request refused before routing')
      return handlerFor(request.url)(error, request, reply)
    },
    // One access-log line per request, at debug level (logRequest below), instead of Fastify's
    // two at info: at the default level the token endpoint then writes nothing per request.
    logController: new LogController({ disableRequestLogging: true }),
    // `request.log` becomes a child logger only when it writes a line (request-logger.ts).
    childLoggerFactory: requestLoggerFactory,
  })
  // Only when debug lines are written: a hook on every response costs the token endpoint about a
  // tenth of its throughput, for a line that the default level drops.
  if (logger.isLevelEnabled('debug')) {
    app.addHook('onResponse', async function logRequest(request, reply) {
      request.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    })
  } else if (serveFirst) {
    serveBeforeRouting(app, serveFirst)
  }
  if (maxConnectionsPerAddress !== false) {
    limitConnectionsPerAddress(app.server, maxConnectionsPerAddress, {
      onLimitReached(address, limit) {
        logger.warn(
          { remoteAddress: address, limit },
          'connections refused: this address holds as many as --connections-per-address allows',
        )
      },
    })
  }
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(function notFound(request) {
    throw new ProblemError(404, `no route ${request.method} ${request.url.split('?')[0]}`)
  })
  return app
}

/** Puts `serveFirst` in front of Fastify's request listener, until the server starts to close. */
function serveBeforeRouting(
  app: FastifyInstance,
  serveFirst: (request: IncomingMessage, response: ServerResponse) => boolean,
): void {
  const [route] = app.server.listeners('request') as Array<
    (request: IncomingMessage, response: ServerResponse) => void
  >
  if (route === undefined) throw new Error('Fastify has no request listener to serve before')
  let closing = false
  app.addHook('preClose', function stopServingFirst(done) {
    closing = true
    done()
  })
  app.server.removeListener('request', route)
  app.server.on('request', function serveOrRoute(request: IncomingMessage, response: ServerResponse) {
    if (closing || !serveFirst(request, response)) route(request, response)
  })
}
