import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { relative } from 'node:path'
import type { InitialAdmin } from './admin/users.ts'
import { seedDemoCustomFields } from './api/demo/custom-fields.ts'
import { seedDemoData } from './api/demo/seed.ts'
import { build, DEFAULT_TOKEN_LIFETIME_SECONDS, type Instance } from './app.ts'
import { ConfigError, readServeConfig, type ServeConfig } from './config.ts'
import { type Clock, systemClock } from './contract/clock.ts'
import { SealedSecretError, SealedSecrets } from './crypto/sealed-secrets.ts'
import { type DemoClient, seedDemoClient } from './demo.ts'
import { type DemoTransition, seedDemoTransition } from './demo-transition.ts'
import { createLogger } from './logger.ts'
import { setupPagesDir } from './setup-ui/location.ts'
import { openStore } from './store/open.ts'
import type { Store } from './store/store.ts'

/**
 * `keyshift serve`: reads flags and environment, opens the store, builds the instance, listens and
 * prints how to get a token. Resolves once listening; SIGINT/SIGTERM close it cleanly.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let config: ServeConfig
  try {
    config = readServeConfig(argv, env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`keyshift serve: ${error.message}\n`)
      process.exitCode = 2
      return
    }
    throw error
  }
  // Everything the server writes (database, WAL, password files) is readable by its owner only.
  process.umask(0o077)
  const port = config.port === 0 && !config.issuer ? await freePort(config.host) : config.port
  const issuer = config.issuer ?? `http://${urlHost(config.host)}:${port}`
  const logger = createLogger({ level: config.logLevel })
  let store: Store
  try {
    // The data folder also holds the first admin password and the demo secret with PostgreSQL.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  } catch (error) {
    process.stderr.write(`keyshift serve: ${storeProblem(config, error)}\n`)
    process.exitCode = 1
    return
  }
  const secrets = new SealedSecrets(config.secretsKey, config.previousSecretsKey)
  // The one clock of the process: the instance's, and the demo data's.
  const clock = systemClock
  let instance: Instance
  try {
    instance = await build({
      store,
      issuer,
      clock,
      logger,
      apiRateLimit: config.apiRateLimit,
      usageLedger: config.usageLedger ? { retentionDays: config.usageRetentionDays } : false,
      setupUi: { root: setupPagesDir },
      tokenLifetimeSeconds: config.tokenLifetimeSeconds,
      maxFileBytes: config.maxFileSizeMiB * 1024 * 1024,
      timeZone: config.timeZone,
      secrets,
      connections: {
        keepAliveTimeoutMs: config.keepAliveTimeoutSeconds * 1000,
        maxPerAddress: config.maxConnectionsPerAddress,
      },
    })
  } catch (error) {
    // The build's error is the one to show, whatever closing the store says.
    await store.close().catch(() => {})
    if (!(error instanceof SealedSecretError)) throw error
    process.stderr.write(`keyshift serve: ${error.message}\n`)
    process.exitCode = 1
    return
  }
  const admin = await instance.adminUsers.ensureInitialAdmin({
    password: config.adminPassword,
    dataDir: config.dataDir,
  })
  const demo = config.demo ? await seedDemo(instance, clock, config.dataDir) : undefined
  try {
    await instance.app.listen({ port, host: config.host })
  } catch (error) {
    await instance.close()
    await store.close()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why =
        code === 'EADDRINUSE'
          ? 'is in use'
          : code === 'EACCES'
            ? 'needs privileges'
            : 'is not an address of this machine'
      process.stderr.write(
        `keyshift serve: ${config.host}:${port} ${why}; choose another with --port/PORT or --host/HOST\n`,
      )
      process.exitCode = 1
      return
    }
    throw error
  }
  const address = instance.app.server.address()
  const listening = typeof address === 'object' && address ? address.port : port
  process.stdout.write(banner({ config, port: listening, issuer, admin, demo, secrets }))

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    await instance.close()
    await store.close()
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

/** The demo client, the demo data set and a transition under way, each made once. */
async function seedDemo(instance: Instance, clock: Clock, dataDir: string): Promise<Demo> {
  const { store, clients, apiKeys } = instance
  const client = await seedDemoClient(clients, dataDir)
  await seedDemoData(store, { now: clock.now() })
  await seedDemoCustomFields(instance.customFields, store)
  const transition = await seedDemoTransition({ store, clients, apiKeys, clock, dataDir })
  return { client, transition }
}

interface Demo {
  client: DemoClient
  transition: DemoTransition
}

function banner({
  config,
  port,
  issuer,
  admin,
  demo,
  secrets,
}: {
  config: ServeConfig
  /** The port listened on (the one chosen when --port was 0). */
  port: number
  issuer: string
  admin: InitialAdmin
  demo: Demo | undefined
  secrets: SealedSecrets
}): string {
  const show = (path: string) => relative(process.cwd(), path) || path
  const adminLine =
    admin.source === 'environment'
      ? `user "${admin.username}", password from KEYSHIFT_ADMIN_PASSWORD`
      : admin.passwordFile
        ? `user "${admin.username}", password in ${show(admin.passwordFile)} (mode 0600)`
        : `user "${admin.username}" (already set up)`
  const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded SQLite in ${config.dataDir}`
  const tokenEndpoint = `${issuer}/oauth2/token`
  const lines = [
    '',
    `Keyshift instance listening on http://${urlHost(config.host)}:${port}`,
    ...(config.issuer ? [`  issuer:    ${issuer}`] : []),
    `  store:     ${store}`,
    `  signing:   ES256 on libuv's thread pool of ${signingThreads()} (UV_THREADPOOL_SIZE)`,
    `  secrets:   signing keys and pepper ${secrets.describe()}`,
    ...(config.tokenLifetimeSeconds === DEFAULT_TOKEN_LIFETIME_SECONDS
      ? []
      : [
          `  tokens:    expire after ${config.tokenLifetimeSeconds} s (--token-lifetime; Coupa's after ${DEFAULT_TOKEN_LIFETIME_SECONDS} s)`,
        ]),
    `  Setup:     ${issuer}/  (sign in as the admin user)`,
    `  admin:     ${adminLine}`,
    `  metadata:  ${issuer}/.well-known/oauth-authorization-server`,
    '',
  ]
  const client = demo?.client
  if (client?.secretFile) {
    lines.push(
      "Get a token for the demo client (the command of Coupa's OAuth 2.0 transition guide):",
      `  curl -X POST -H "Content-Type: application/x-www-form-urlencoded" -d "client_id=${client.clientId}&grant_type=client_credentials&scope=${client.scope}&client_secret=$(cat ${show(client.secretFile)})" ${tokenEndpoint}`,
      'Then call the core API with its access_token:',
      `  curl -H "Authorization: Bearer <access_token>" -H "Accept: application/json" "${issuer}/api/invoices?status=approved&limit=2"`,
    )
    const keysFile = demo?.transition.keysFile
    if (keysFile) {
      lines.push(
        `A transition under way (Setup > Transition): its legacy API keys are in ${show(keysFile)} (mode 0600)`,
      )
    }
  } else {
    lines.push(
      "Create an OAuth client, then get a token with Coupa's command:",
      `  npx keyshift admin clients create --url ${issuer} --name "My integration" --login my-integration --scopes "core.invoice.read core.common.read"`,
      `  curl -X POST -H "Content-Type: application/x-www-form-urlencoded" -d "client_id=<ID>&grant_type=client_credentials&scope=<SPACE_SEPARATED_SCOPES>&client_secret=<SECRET>" ${tokenEndpoint}`,
    )
  }
  return `${lines.join('\n')}\n\n`
}

/** Why the store did not open, in words that say what to fix; never the database password. */
function storeProblem(config: ServeConfig, error: unknown): string {
  const reason = (error as Error).cause ?? error
  const detail = (reason as NodeJS.ErrnoException).code ?? (reason as Error).message
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl)
    return `cannot open the PostgreSQL store at ${url.hostname}:${url.port || 5432}${url.pathname} (${detail}); check DATABASE_URL/--database-url and that the server is running`
  }
  return `cannot open the embedded store in ${config.dataDir} (${detail}); check that the folder is writable or choose another with --data/KEYSHIFT_DATA_DIR`
}

/**
 * The threads that sign tokens: what libuv read from UV_THREADPOOL_SIZE (bin/keyshift.cjs sets it to
 * leave the event loop one core unless the user did), else libuv's default of 4.
 */
function signingThreads(): number {
  const size = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10)
  // libuv clamps the size to 1..1024 and ignores what is not a number.
  return Number.isNaN(size) ? 4 : Math.min(1024, Math.max(1, size))
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** A port the OS says is free on `host`, so the issuer can name it before the server listens. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}
