import type { FastifyInstance, RouteOptions } from 'fastify'
import type { Logger } from 'pino'
import { AdminAuth } from './admin/auth.ts'
import { adminDocumentRoutes } from './admin/openapi-routes.ts'
import { adminRoutes } from './admin/routes.ts'
import { sessionRoutes } from './admin/session-routes.ts'
import { AdminSessions } from './admin/sessions.ts'
import { AdminUsers } from './admin/users.ts'
import { CustomFields } from './api/custom-fields.ts'
import { apiErrorHandler } from './api/error-handler.ts'
import { DEFAULT_MAX_FILE_BYTES } from './api/nested/files.ts'
import { NestedService } from './api/nested/service.ts'
import { matchesFilters } from './api/query/index.ts'
import { ResourceReads } from './api/reads.ts'
import { RecordRepository } from './api/records.ts'
import { RenderedRecords } from './api/rendered-records.ts'
import { apiRoutes } from './api/routes.ts'
import { DEFAULT_SCAN_LANES, ScanLanes, type ScanLanesOptions } from './api/scan-lanes.ts'
import { ApiService } from './api/service.ts'
import { ApiKeyService } from './api-keys/service.ts'
import { type AuthenticateApiRequest, createApiAuthentication } from './auth/authenticate.ts'
import { RateLimiter } from './auth/rate-limit.ts'
import { VerifiedTokens } from './auth/verified-tokens.ts'
import { findResource, resourcePermissions, resources } from './catalogue/index.ts'
import { ClientService } from './clients/service.ts'
import { type Clock, systemClock } from './contract/clock.ts'
import { SealedSecretError, SealedSecrets } from './crypto/sealed-secrets.ts'
import { createHttpServer } from './http/server.ts'
import { createLogger } from './logger.ts'
import { AccessTokens } from './oauth/access-tokens.ts'
import type { OAuthDeps } from './oauth/endpoints/deps.ts'
import { directTokenRequests } from './oauth/endpoints/token-direct.ts'
import { oauthErrorHandler } from './oauth/error-handler.ts'
import { Revocations } from './oauth/revocations.ts'
import { oauthRoutes } from './oauth/routes.ts'
import { KeySet, unusableKeysReporter } from './oauth/signing-keys.ts'
import { AuthThrottle, type AuthThrottleOptions } from './oauth/throttle.ts'
import { sealSecretsAtRest } from './secrets-at-rest.ts'
import { type SetupUiOptions, setupUiRoutes } from './setup-ui/routes.ts'
import type { Store } from './store/store.ts'
import { startSync } from './sync/feed.ts'
import { createTransition, type Transition } from './transition/create.ts'
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
   * Searches that read records one by one (a filter no index answers): per client at most
   * `perClient` at once and `queuePerClient` waiting (default 1 and 8), each reading at most
   * `scanLimit` records (default 100 000). README: Security.
   */
  searches?: Partial<ScanLanesOptions> & { scanLimit?: number }
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
  /**
   * The largest file the core API accepts as an attachment or invoice image scan, in bytes
   * (default 16 MiB); a larger one is refused with 413. docs/ATTACHMENTS.md.
   */
  maxFileBytes?: number
  /** Called with each route as it is registered (Fastify's onRoute hook): tests list the routes. */
  onRoute?: (route: RouteOptions) => void
  /**
   * The HTTP server's connections (http/connections.ts): an idle keep-alive connection is closed
   * after `keepAliveTimeoutMs` (default 5000), and one remote address may hold `maxPerAddress` open
   * connections (default 256; false: no limit), the next ones closed as they are accepted.
   */
  connections?: { keepAliveTimeoutMs?: number; maxPerAddress?: number | false }
  /** The instance's time zone (IANA name): the offset of the core API's datetimes (default UTC). */
  timeZone?: string
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
  /** The custom fields of the core API resources (docs/CUSTOM-FIELDS.md). */
  customFields: CustomFields
  /** Counts core API calls; undefined when `usageLedger` is false. Tests call `flush()`. */
  ledger: UsageLedger | undefined
  /** Stops background work and the HTTP server, then writes the ledger's last counts; the caller closes the store it passed in. */
  close(): Promise<void>
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_399

/** Builds an instance on an open, migrated store: its services, its HTTP plugins, its sync with other nodes. Nothing listens until `app.listen()`. */
export async function build(options: BuildOptions): Promise<Instance> {
  const { store, clock = systemClock } = options
  const logger = options.logger ?? createLogger({ level: 'silent' })
  const services = await buildServices({ ...options, clock, logger })
  const { clients, keys, revocations, tokens, throttle } = services
  const oauth: OAuthDeps = {
    issuer: options.issuer,
    tokens,
    keys,
    revocations,
    clients,
    throttle,
    realm: options.issuer,
  }
  const app = createHttpServer({
    logger,
    errorHandlersByPrefix: [
      { prefix: '/oauth2/', handler: oauthErrorHandler },
      { prefix: '/api/', handler: apiErrorHandler },
    ],
    keepAliveTimeoutMs: options.connections?.keepAliveTimeoutMs,
    maxConnectionsPerAddress: options.connections?.maxPerAddress,
    serveFirst: directTokenRequests(oauth, logger),
  })
  if (options.onRoute) app.addHook('onRoute', options.onRoute)
  await registerPlugins(app, services, oauth, { ...options, clock })
  const { transition, apiKeys, customFields } = services
  const reportUnusableKeys = unusableKeysReporter(logger)
  const stopSync = startSync({
    feed: store.changes,
    intervalMs: options.syncIntervalMs ?? 400,
    reload: {
      signingKeys: () => keys.load().then(reportUnusableKeys),
      revocations: () => revocations.load(),
      // Custom fields are announced as settings (store/migrations.ts, version 8).
      settings: () => Promise.all([transition.settings.load(), customFields.load()]).then(() => {}),
    },
    caches: { clients, apiKeys },
    purge: () => revocations.purgeExpired(),
    logger,
  })
  const { pepper, api, throttle: _, authenticate, ...exposed } = services
  return {
    app,
    store,
    ...exposed,
    ledger: transition.ledger,
    async close() {
      stopSync()
      await app.close()
      await transition.ledger?.close()
    },
  }
}

type Services = Omit<Instance, 'app' | 'store' | 'ledger' | 'close'> & {
  pepper: string
  api: ApiService
  throttle: AuthThrottle
  authenticate: AuthenticateApiRequest
}

/** The services of the instance, on the store's secrets and signing keys (loaded first). */
async function buildServices(options: BuildOptions & { clock: Clock; logger: Logger }): Promise<Services> {
  const { store, issuer, clock, logger } = options
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS
  const secrets = options.secrets ?? SealedSecrets.none
  const pepper = await openSecrets(store, secrets, logger)
  const keys = new KeySet({ store, clock, tokenLifetimeMs: tokenLifetimeSeconds * 1000, secrets })
  const revocations = new Revocations({ store, clock })
  await loadKeysAndRevocations(keys, revocations)
  const tokens = new AccessTokens({
    keys,
    clock,
    issuer,
    audience: `${issuer}/api`,
    lifetimeSeconds: tokenLifetimeSeconds,
  })
  const clients = new ClientService({ store, clock, pepper })
  const customFields = new CustomFields({ store, clock, resolve: findResource })
  await customFields.load()
  const apiKeys = new ApiKeyService({ store, clock, pepper, knownPermissions: resourcePermissions })
  const api = new ApiService({
    records: new RecordRepository({ store, clock }),
    matches: matchesFilters,
    clock,
    scanLimit: options.searches?.scanLimit,
    customFields,
  })
  const usageLedger = options.usageLedger ?? {}
  const transition = await createTransition({ store, clock, logger, apiKeys, realm: issuer, usageLedger })
  const rateLimit = options.apiRateLimit ?? { perSecond: 25, burst: 20 }
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
  const adminUsers = new AdminUsers({ store, clock })
  const throttle = new AuthThrottle({ clock, ...options.throttle })
  return {
    pepper,
    clients,
    adminUsers,
    apiKeys,
    keys,
    tokens,
    revocations,
    transition,
    api,
    throttle,
    authenticate,
    customFields,
  }
}

/** The pepper, once the store's secrets are stored as KEYSHIFT_SECRETS_KEY says (secrets-at-rest.ts). */
async function openSecrets(store: Store, secrets: SealedSecrets, logger: Logger): Promise<string> {
  const { pepper, rewritten } = await sealSecretsAtRest(store, secrets)
  if (rewritten.length > 0) {
    logger.info(
      { rewritten, encrypted: secrets.sealing },
      'secrets at rest rewritten for KEYSHIFT_SECRETS_KEY',
    )
  }
  return pepper
}

async function loadKeysAndRevocations(keys: KeySet, revocations: Revocations): Promise<void> {
  // Both settle before a failure goes up, so that the caller may close the store at once.
  const [loadedKeys, loadedRevocations] = await Promise.allSettled([keys.load(), revocations.load()])
  if (loadedKeys.status === 'rejected') throw loadedKeys.reason
  if (loadedRevocations.status === 'rejected') throw loadedRevocations.reason
  // Every key opened a moment ago; one that does not now was sealed meanwhile by a node with another key.
  if (loadedKeys.value.length > 0) throw new SealedSecretError(loadedKeys.value.join('; '))
}

/** The HTTP plugins, each in its own context with its own error format. */
async function registerPlugins(
  app: FastifyInstance,
  services: Services,
  oauth: OAuthDeps,
  options: BuildOptions & { clock: Clock },
): Promise<void> {
  const { store, issuer, clock } = options
  const { clients, keys, adminUsers, apiKeys, api, transition, customFields } = services
  await app.register(oauthRoutes, oauth)
  const sessions = new AdminSessions({ store, clock, pepper: services.pepper })
  const adminThrottle = new AuthThrottle({ clock, ...options.throttle })
  const auth = new AdminAuth({ users: adminUsers, sessions, throttle: adminThrottle, issuer })
  await app.register(sessionRoutes, { prefix: '/admin/v1', auth, sessions })
  await app.register(adminDocumentRoutes, { prefix: '/admin/v1', issuer, cookieName: auth.cookieName })
  await app.register(adminRoutes, {
    prefix: '/admin/v1',
    auth,
    clients,
    keys,
    apiKeys,
    clock,
    api,
    transition,
    customFields,
  })
  const rendered = new RenderedRecords({ clock })
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  // A custom field defined, changed or deactivated changes how that resource's records render.
  customFields.onChange((resource) => rendered.forgetResource(resource))
  await app.register(apiRoutes, {
    prefix: '/api',
    issuer,
    service: api,
    reads: new ResourceReads({
      service: api,
      rendered,
      resolve: customFields.resolve,
      timeZone: options.timeZone,
    }),
    resources,
    resolve: customFields.resolve,
    customFields,
    authenticate: services.authenticate,
    realm: issuer,
    ledger: transition.ledger,
    scans: new ScanLanes({ ...DEFAULT_SCAN_LANES, ...options.searches }),
    nested: new NestedService({ store, api, clock, maxFileBytes }),
    maxFileBytes,
  })
  if (options.setupUi) await app.register(setupUiRoutes, options.setupUi)
}

const unlimited = { take: () => 0, describe: () => 'no limit' }
