import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Logger } from 'pino'
import { AdminAuth } from './admin/auth.ts'
import { adminRoutes } from './admin/routes.ts'
import { sessionRoutes } from './admin/session-routes.ts'
import { AdminSessions } from './admin/sessions.ts'
import { AdminUsers } from './admin/users.ts'
import { apiErrorHandler } from './api/error-handler.ts'
import { matchesFilters } from './api/query/index.ts'
import { ResourceReads } from './api/reads.ts'
import { RecordRepository } from './api/records.ts'
import { RenderedRecords } from './api/rendered-records.ts'
import { apiRoutes } from './api/routes.ts'
import { ApiService } from './api/service.ts'
import { ApiKeyService } from './api-keys/service.ts'
import { createApiAuthentication } from './auth/authenticate.ts'
import { RateLimiter } from './auth/rate-limit.ts'
import { VerifiedTokens } from './auth/verified-tokens.ts'
import { findResource, resourcePermissions, resources } from './catalogue/index.ts'
import { ClientService } from './clients/service.ts'
import { type Clock, systemClock } from './clock.ts'
import { SealedSecretError, SealedSecrets } from './crypto/sealed-secrets.ts'
import { ProblemError, problemErrorHandler } from './http/problem.ts'
import { createLogger } from './logger.ts'
import { AccessTokens } from './oauth/access-tokens.ts'
import { oauthErrorHandler } from './oauth/error-handler.ts'
import { Revocations } from './oauth/revocations.ts'
import { oauthRoutes } from './oauth/routes.ts'
import { KeySet } from './oauth/signing-keys.ts'
import { AuthThrottle, type AuthThrottleOptions } from './oauth/throttle.ts'
import { sealSecretsAtRest } from './secrets-at-rest.ts'
import { type SetupUiOptions, setupUiRoutes } from './setup-ui/routes.ts'
import type { Store } from './store/store.ts'
import { createTransition, type Transition } from './transition/create.ts'
import type { TransitionSettings } from './transition/settings.ts'
import type { UsageLedger } from './transition/usage-ledger.ts'

export interface BuildOptions {
  store: Store
  /** Public URL of the instance, without a trailing slash: `https://acme.example.com`. */
  issuer: string
  clock?: Clock
  logger?: Logger
  /** Lifetime of access tokens (default 86 399 s, Coupa's 24 hours). */
  tokenLifetimeSeconds?: number
  /** How often caches re-read the store, so changes made on other nodes arrive (default 400 ms: with the
   *  request that follows, well within the second a change may take to reach every node). */
  syncIntervalMs?: number
  throttle?: Omit<AuthThrottleOptions, 'clock'>
  /** Per-principal limit of the core API (default Coupa's 25/s, burst 20); false turns it off (benchmarks). */
  apiRateLimit?: { perSecond: number; burst: number } | false
  /**
   * The usage ledger of the transition (docs/TRANSITION.md): flush interval (default 5000 ms) and
   * retention of hours (default 35 days); false: no ledger, no call is counted (benchmarks compare).
   */
  usageLedger?: { flushIntervalMs?: number; retentionDays?: number } | false
  /** Serves the Setup pages built by @keyshift/web from this folder; absent: no pages (tests of the API). */
  setupUi?: SetupUiOptions
  /**
   * Encryption at rest of the signing keys' private parts and the pepper (KEYSHIFT_SECRETS_KEY). At
   * build, what the store holds is rewritten to match: sealed with the current key, or in clear
   * without one. Default: none. A sealed value no configured key opens fails the build with a
   * SealedSecretError that says which key is missing.
   */
  secrets?: SealedSecrets
}

export interface Instance {
  app: FastifyInstance
  store: Store
  clients: ClientService
  adminUsers: AdminUsers
  apiKeys: ApiKeyService
  keys: KeySet
  tokens: AccessTokens
  revocations: Revocations
  /** The transition workflow: settings, reports, revoke, audit. */
  transition: Transition
  /** Counts core API calls; undefined when `usageLedger` is false. Tests call `flush()`. */
  ledger: UsageLedger | undefined
  /** Stops background work and the HTTP server, then writes the ledger's last counts; the caller closes the store it passed in. */
  close(): Promise<void>
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_399

/** Builds an instance on an open, migrated store. Nothing listens until `app.listen()`. */
export async function build(options: BuildOptions): Promise<Instance> {
  const { store, issuer, clock = systemClock } = options
  const logger = options.logger ?? createLogger({ level: 'silent' })
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS

  const secrets = options.secrets ?? SealedSecrets.none
  const { pepper, rewritten } = await sealSecretsAtRest(store, secrets)
  if (rewritten.length > 0) {
    logger.info(
      { rewritten, encrypted: secrets.sealing },
      'secrets at rest rewritten for KEYSHIFT_SECRETS_KEY',
    )
  }
  const clients = new ClientService({ store, clock, pepper })
  const adminUsers = new AdminUsers({ store, clock })
  const keys = new KeySet({ store, clock, tokenLifetimeMs: tokenLifetimeSeconds * 1000, secrets })
  const revocations = new Revocations({ store, clock })
  // Both settle before a failure goes up, so that the caller may close the store at once.
  const [loadedKeys, loadedRevocations] = await Promise.allSettled([keys.load(), revocations.load()])
  if (loadedKeys.status === 'rejected') throw loadedKeys.reason
  if (loadedRevocations.status === 'rejected') throw loadedRevocations.reason
  // Every key opened a moment ago; one that does not now was sealed meanwhile by a node with another key.
  if (loadedKeys.value.length > 0) throw new SealedSecretError(loadedKeys.value.join('; '))
  const tokens = new AccessTokens({
    keys,
    clock,
    issuer,
    audience: `${issuer}/api`,
    lifetimeSeconds: tokenLifetimeSeconds,
  })
  const throttle = new AuthThrottle({ clock, ...options.throttle })
  const apiKeys = new ApiKeyService({ store, clock, pepper, knownPermissions: resourcePermissions })
  const records = new RecordRepository({ store, clock })
  const api = new ApiService({ records, matches: matchesFilters, clock })
  const rateLimit = options.apiRateLimit ?? { perSecond: 25, burst: 20 }
  const transition = await createTransition({
    store,
    clock,
    logger,
    apiKeys,
    realm: issuer,
    usageLedger: options.usageLedger ?? {},
  })
  const authenticate = createApiAuthentication({
    verified: new VerifiedTokens({ tokens, clock }),
    revocations,
    clients,
    apiKeys,
    rateLimiter: rateLimit ? new RateLimiter({ clock, ...rateLimit }) : unlimited,
    realm: issuer,
    apiKeySignals: transition.apiKeySignals,
    keyThrottle: new AuthThrottle({ clock, ...options.throttle }),
  })

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Slow or stalled requests are cut off instead of holding the server (slowloris): the whole
    // request within 30 s, its headers within 10 s, checked every second (Node checks every 30 s
    // by default, so a slow client could hold a socket for a minute).
    requestTimeout: 30_000,
    http: { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // A URL Fastify cannot even decode reaches no plugin; it is refused in the format of the plugin
    // whose prefix it starts with. No route means no onResponse hook: log those requests here.
    frameworkErrors: function frameworkError(error, request, reply) {
      request.log.debug({ req: request, code: error.code }, 'request refused before routing')
      return errorHandlerByPrefix(request.url)(error, request, reply)
    },
    // One access-log line per request, at debug level (logRequest below), instead of Fastify's
    // two at info: at the default level the token endpoint then writes nothing per request.
    logController: new LogController({ disableRequestLogging: true }),
  })
  // Only when debug lines are written: a hook on every response costs the token endpoint about a
  // tenth of its throughput, for a line that the default level drops.
  if (logger.isLevelEnabled('debug')) {
    app.addHook('onResponse', async function logRequest(request, reply) {
      request.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    })
  }
  // Each plugin renders its own errors in its own format; this one is for what no plugin takes.
  app.setErrorHandler(problemErrorHandler)
  app.setNotFoundHandler(function notFound(request) {
    throw new ProblemError(404, `no route ${request.method} ${request.url.split('?')[0]}`)
  })
  await app.register(oauthRoutes, { issuer, tokens, keys, revocations, clients, throttle, realm: issuer })
  const sessions = new AdminSessions({ store, clock, pepper })
  const adminAuth = new AdminAuth({
    users: adminUsers,
    sessions,
    throttle: new AuthThrottle({ clock, ...options.throttle }),
    issuer,
  })
  await app.register(sessionRoutes, { prefix: '/admin/v1', auth: adminAuth, sessions })
  await app.register(adminRoutes, {
    prefix: '/admin/v1',
    auth: adminAuth,
    clients,
    keys,
    apiKeys,
    clock,
    api,
    transition,
  })
  await app.register(apiRoutes, {
    prefix: '/api',
    service: api,
    reads: new ResourceReads({
      service: api,
      rendered: new RenderedRecords({ clock }),
      resolve: findResource,
    }),
    resources,
    resolve: findResource,
    authenticate,
    realm: issuer,
    ledger: transition.ledger,
  })
  if (options.setupUi) await app.register(setupUiRoutes, options.setupUi)

  const stopSync = startSync({
    store,
    intervalMs: options.syncIntervalMs ?? 400,
    keys,
    revocations,
    settings: transition.settings,
    clients,
    apiKeys,
    logger,
  })
  return {
    app,
    store,
    clients,
    adminUsers,
    apiKeys,
    keys,
    tokens,
    revocations,
    transition,
    ledger: transition.ledger,
    async close() {
      stopSync()
      await app.close()
      await transition.ledger?.close()
    },
  }
}

const unlimited = { take: () => 0, describe: () => 'no limit' }

/** The plugins' error formats by the prefixes they serve, for the requests that never reach them. */
const ERROR_HANDLERS_BY_PREFIX = [
  { prefix: '/oauth2/', handler: oauthErrorHandler },
  { prefix: '/api/', handler: apiErrorHandler },
]

function errorHandlerByPrefix(url: string) {
  return ERROR_HANDLERS_BY_PREFIX.find(({ prefix }) => url.startsWith(prefix))?.handler ?? problemErrorHandler
}

/** While the store pushes changes, the fallback poll runs this often, and cached clients and keys live as long. */
const PUSHED_SYNC_INTERVAL_MS = 5000
/** Revocations of tokens that have expired anyway are deleted about this often. */
const PURGE_INTERVAL_MS = 3_600_000

/**
 * Keeps this node's in-memory state in step with changes made through other nodes.
 *
 * Where the store pushes changes (PostgreSQL LISTEN/NOTIFY, store/postgres-changes.ts), each notice
 * drops the client or API key it names, or reloads the revocations, signing keys or settings, at
 * once; a poll every 5 s (and cached clients and keys trusted for 5 s) is only the fallback for a
 * notice lost on the sending side. While the feed is interrupted (PostgreSQL restarting), and where
 * there is no feed (the embedded store: one node, nothing else writes), it polls every `intervalMs`
 * (400 ms) and the caches re-read after 400 ms, as before the feed existed. After the feed
 * reconnects, everything is read again: notices sent meanwhile are lost.
 *
 * Failures are logged once until the store answers again; nothing here throws or keeps the process
 * alive (timers are unref'd, and the returned function stops everything).
 */
function startSync(options: {
  store: Store
  intervalMs: number
  keys: KeySet
  revocations: Revocations
  settings: TransitionSettings
  clients: ClientService
  apiKeys: ApiKeyService
  logger: Logger
}): () => void {
  const { store, intervalMs, keys, revocations, settings, clients, apiKeys, logger } = options
  const feed = store.changes
  // Signing keys this node can only verify with, logged when that changes rather than on every poll.
  let unusableKeys = ''
  function reportUnusableKeys(problems: string[]): void {
    const now = problems.join('\n')
    if (now !== unusableKeys && problems.length > 0) {
      logger.error({ problems }, 'signing keys this node cannot sign with (KEYSHIFT_SECRETS_KEY)')
    }
    unusableKeys = now
  }
  const reload = {
    keys: oneAtATime(() => keys.load().then(reportUnusableKeys)),
    revocations: oneAtATime(() => revocations.load()),
    settings: oneAtATime(() => settings.load()),
  }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let failing = false
  let interrupted = false
  let purgedAt = performance.now()

  const failed = (error: unknown) => {
    if (stopped || failing) return
    failing = true
    logger.warn({ err: error }, 'sync with the store failed; retrying (logged once until it works again)')
  }
  const poll = async () => {
    try {
      await Promise.all([reload.keys(), reload.revocations(), reload.settings()])
      if (failing) logger.info('sync with the store works again')
      failing = false
      if (performance.now() - purgedAt >= PURGE_INTERVAL_MS) {
        purgedAt = performance.now()
        await revocations.purgeExpired()
      }
    } catch (error) {
      failed(error)
    }
  }
  const schedule = () => {
    clearTimeout(timer)
    if (stopped) return
    const listening = feed?.listening === true
    timer = setTimeout(
      async function syncTick() {
        await poll()
        schedule()
      },
      listening ? Math.max(intervalMs, PUSHED_SYNC_INTERVAL_MS) : intervalMs,
    )
    timer.unref()
  }
  const pushed = (on: boolean) => {
    clients.pushChanges(on)
    apiKeys.pushChanges(on)
  }
  const everything = () => {
    clients.forgetAll()
    apiKeys.forgetAll()
    void poll()
  }

  const unsubscribe = feed?.subscribe({
    change(change) {
      if (change.kind === 'client') clients.forget(change.clientId)
      else if (change.kind === 'api_key') apiKeys.forget(change.id)
      else if (change.kind === 'revocations') reload.revocations().catch(failed)
      else if (change.kind === 'signing_keys') reload.keys().catch(failed)
      else if (change.kind === 'settings') reload.settings().catch(failed)
      else everything()
    },
    listening() {
      if (stopped) return
      if (interrupted) {
        const every = Math.max(intervalMs, PUSHED_SYNC_INTERVAL_MS)
        logger.info(`listening for changes from other nodes again; fallback poll every ${every} ms`)
      }
      interrupted = false
      pushed(true)
      everything()
      schedule()
    },
    interrupted(error) {
      if (stopped) return
      interrupted = true
      pushed(false)
      logger.warn(
        { err: error },
        `lost the PostgreSQL connection that pushes changes from other nodes; polling every ${intervalMs} ms until it is back`,
      )
      schedule()
    },
  })
  schedule()
  return () => {
    stopped = true
    clearTimeout(timer)
    unsubscribe?.()
  }
}

/**
 * Runs `load` one call at a time. A call made while it runs gets one more run after it, shared
 * with the other calls made meanwhile: a reload asked for by a change must begin after the change.
 */
function oneAtATime(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  return function run(): Promise<void> {
    if (!running) {
      running = load().finally(() => {
        running = undefined
      })
      return running
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined
        return run()
      })
    return queued
  }
}
